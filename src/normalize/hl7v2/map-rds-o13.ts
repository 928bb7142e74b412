// RDS^O13 pharmacy dispense -> per ORC group the encoded order (RXE, when sent) as MedicationRequest and each RXD as a
// MedicationDispense: code RXD-2, date RXD-3, amount RXD-4/5, prescription number RXD-7, dispense type RXD-33
// (HL7 v2.5.1 ch. 4A.3.11 RDS_O13, ch. 4A.4.5 RXD).
import type { Hl7Message } from '../../inbound/hl7v2/hl7-message.ts';
import { stableId } from '../../kernel/ids.ts';
import type { Bundle, Dosage, MedicationDispense } from '../../kernel/fhir.ts';
import type { Result } from '../../kernel/result.ts';
import { warningIssue } from '../../kernel/result.ts';
import { readUnit, toCodeableConcept, toFhirDateTime, toQuantity } from './hl7-datatypes.ts';
import type { Hl7MapContext } from './map-context.ts';
import { dosesPerDay } from './map-dosage.ts';
import {
  buildDosage,
  mapMedicationRequest,
  orderIdentifiers,
  orderKey,
  orderTiming,
} from './map-medication-request.ts';
import { mapPractitioner } from './map-patient.ts';
import { mapPatientMessage } from './map-patient-message.ts';
import { orderGroups, orderPart } from './order-groups.ts';

export function mapRdsO13(msg: Hl7Message, context: Hl7MapContext): Result<Bundle> {
  return mapPatientMessage(msg, context, (run, patient, encounter) => {
    const groups = orderGroups(msg);
    let dispenses = 0;
    for (const group of groups) {
      const order = orderPart(group, 'RXE')
        ? mapMedicationRequest(run, group, patient, encounter, { source: 'RXE', intent: 'filler-order' })
        : undefined;
      group.parts.forEach((part) => {
        const rxd = part.head?.name === 'RXD' ? part.head : undefined;
        if (!rxd) return;
        dispenses++;
        const where = dispenses > 1 ? `RXD[${dispenses}]` : 'RXD';
        const medication = toCodeableConcept(rxd, 2);
        if (!medication) {
          run.issues.push(
            warningIssue('required', `${where}-2`, 'dispense/give code is empty; dispense not mapped'),
          );
          return;
        }
        const rxNumber = rxd.get(7);
        const ids = orderIdentifiers(run, group.orc, rxNumber);
        // One dispense per prescription and fill: RXD-1 counts the dispenses of one order.
        const id = stableId(
          'hl7v2',
          'MedicationDispense',
          patient.key,
          orderKey(run, ids, group),
          rxd.get(1),
          rxd.get('3.1'),
        );
        const dispense: MedicationDispense & { id: string } = {
          resourceType: 'MedicationDispense',
          id,
          // RDS reports a dispense that happened (ch. 4A.3.11); RXA/RAS would report administration.
          status: 'completed',
          medicationCodeableConcept: medication,
          subject: patient.reference,
        };
        const rxId = ids.find((i) => i.type?.text === 'Prescription number');
        if (rxId) dispense.identifier = [rxId];
        if (encounter) dispense.context = encounter;
        const when = rxd.get('3.1');
        if (when !== '') {
          const dt = toFhirDateTime(when, run.defaultOffset);
          if (dt) dispense.whenHandedOver = dt;
          else run.issues.push(warningIssue('value', `${where}-3`, 'date/time dispensed could not be read'));
        }
        const quantity = toQuantity(rxd.get(4), readUnit(rxd, 5));
        if (quantity) dispense.quantity = quantity;
        else if (rxd.get(4) !== '')
          run.issues.push(warningIssue('value', `${where}-4`, 'dispense amount is not a number'));
        if (order) dispense.authorizingPrescription = [order];
        else if (rxId) dispense.authorizingPrescription = [{ identifier: rxId }];
        const performer = mapPractitioner(run, rxd, 10);
        if (performer) dispense.performer = [{ actor: performer }];
        const type = toCodeableConcept(rxd, 33);
        if (type) {
          const code = rxd.read(33, 1, 1, 0);
          dispense.type = {
            ...type,
            coding: (type.coding ?? []).map((c) =>
              c.code === code && c.system === undefined
                ? { ...c, system: 'http://terminology.hl7.org/CodeSystem/v2-0484' }
                : c,
            ),
          };
        }
        const notes = rxd.getAll(9).filter((n) => n !== '');
        if (notes.length > 0) dispense.note = notes.map((text) => ({ text }));
        const timing = orderTiming(run, group, part);
        const dosage: Dosage = buildDosage(run, rxd, part, timing, {});
        if (Object.keys(dosage).length > 0) dispense.dosageInstruction = [dosage];
        // Days supply (no v2.5.1 field): dispensed amount over the ordered daily dose, when units agree.
        const rxe = orderPart(group, 'RXE')?.head;
        const dose = rxe ? Number(rxe.get(3)) : NaN;
        const perDay = timing.asNeeded ? undefined : dosesPerDay(timing.timing?.repeat);
        if (
          rxe &&
          quantity?.value &&
          dose > 0 &&
          perDay &&
          rxe.get('5.1').toUpperCase() === rxd.get('5.1').toUpperCase()
        ) {
          const days = Math.round((quantity.value / (dose * perDay)) * 100) / 100;
          dispense.daysSupply = { value: days, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' };
        }
        run.add(dispense);
      });
    }
    if (dispenses === 0)
      run.issues.push(warningIssue('required', 'RXD', 'no RXD segment; no MedicationDispense mapped'));
  });
}
