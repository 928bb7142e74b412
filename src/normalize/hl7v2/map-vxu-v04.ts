// VXU^V04 unsolicited vaccination record -> Patient and one Immunization per RXA: vaccine RXA-5 (CVX, NDC),
// occurrence RXA-3, dose RXA-6/7, lot RXA-15, expiry RXA-16, manufacturer RXA-17 (MVX), refusal RXA-18, status
// RXA-20/21, route and site from RXR (HL7 v2.5.1 ch. 4.17 VXU_V04; CDC IIS HL7 v2.5.1 IG release 1.5).
import type { Hl7Message } from '../../inbound/hl7v2/hl7-message.ts';
import { stableId } from '../../kernel/ids.ts';
import type { Bundle, Immunization, Organization } from '@medplum/fhirtypes';
import type { Result } from '../../kernel/result.ts';
import { warningIssue } from '../../kernel/result.ts';
import { COMPLETION_STATUS } from './code-tables.ts';
import { readUnit, toCodeableConcept, toFhirDate, toFhirDateTime, toQuantity } from './hl7-datatypes.ts';
import type { Hl7MapContext } from './map-context.ts';
import { routeOf } from './map-dosage.ts';
import { orderIdentifiers } from './map-medication-request.ts';
import { mapPractitioner } from './map-patient.ts';
import { mapPatientMessage } from './map-patient-message.ts';
import { childrenOf, orderGroups } from './order-groups.ts';

const MVX = 'http://hl7.org/fhir/sid/mvx';

export function mapVxuV04(msg: Hl7Message, context: Hl7MapContext): Result<Bundle> {
  return mapPatientMessage(msg, context, (run, patient) => {
    let count = 0;
    for (const group of orderGroups(msg)) {
      for (const part of group.parts) {
        const rxa = part.head?.name === 'RXA' ? part.head : undefined;
        if (!rxa) continue;
        count++;
        const where = count > 1 ? `RXA[${count}]` : 'RXA';
        const vaccine = toCodeableConcept(rxa, 5);
        if (!vaccine) {
          run.issues.push(
            warningIssue('required', `${where}-5`, 'administered code is empty; immunization not mapped'),
          );
          continue;
        }
        const occurrence = toFhirDateTime(rxa.get('3.1'), run.defaultOffset);
        if (!occurrence)
          run.issues.push(warningIssue('required', `${where}-3`, 'administration date could not be read'));
        const ids = orderIdentifiers(run, group.orc, '');
        const vaccineKey = `${vaccine.coding?.[0]?.system ?? ''}|${vaccine.coding?.[0]?.code ?? vaccine.text ?? ''}`;
        // Patient-scoped: the same vaccine on the same day is one immunization whichever message reports it.
        const id = stableId('hl7v2', 'Immunization', patient.key, vaccineKey, rxa.get('3.1'));
        const action = rxa.get('21').toUpperCase();
        const completion = rxa.get('20').toUpperCase();
        const statusRow =
          completion === '' ? COMPLETION_STATUS.lookup('CP') : COMPLETION_STATUS.lookup(completion);
        if (completion !== '' && !statusRow)
          run.issues.push(
            warningIssue(
              'value',
              `${where}-20`,
              'completion status is not in table 0322; taken as completed',
            ),
          );
        const immunization: Immunization & { id: string } = {
          resourceType: 'Immunization',
          id,
          // RXA-21 D (table 0323 delete) withdraws the record: entered-in-error.
          status:
            action === 'D' ? 'entered-in-error' : ((statusRow?.to ?? 'completed') as Immunization['status']),
          vaccineCode: vaccine,
          patient: patient.reference,
          // occurrence[x] is required (1..1): an unreadable date is said so, not invented.
          ...(occurrence ? { occurrenceDateTime: occurrence } : { occurrenceString: 'unknown' }),
        };
        if (ids.length > 0) immunization.identifier = ids;
        // RXA-9 (NIP001): 00 = new record (primary source), 01..08 = historical.
        const source = rxa.read(9, 1, 1, 0);
        if (source !== '') {
          immunization.primarySource = source === '00';
          const origin = toCodeableConcept(rxa, 9);
          if (origin && source !== '00') immunization.reportOrigin = origin;
        }
        const refusal = toCodeableConcept(rxa, 18);
        if (refusal && immunization.status === 'not-done') immunization.statusReason = refusal;
        else if (immunization.status === 'not-done' && completion === 'RE')
          immunization.statusReason = {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
                code: 'PATOBJ',
                display: 'patient objection',
              },
            ],
          };
        if (completion === 'PA') immunization.isSubpotent = true;
        // CDC IIS IG: RXA-6 999 means the amount is unknown.
        const amount = rxa.get(6);
        if (amount !== '' && amount !== '999') {
          const dose = toQuantity(amount, readUnit(rxa, 7));
          if (dose) immunization.doseQuantity = dose;
          else run.issues.push(warningIssue('value', `${where}-6`, 'administered amount is not a number'));
        }
        const lot = rxa.get(15);
        if (lot !== '') immunization.lotNumber = lot;
        const expiry = rxa.get('16.1');
        if (expiry !== '') {
          const d = toFhirDate(expiry);
          if (d) immunization.expirationDate = d;
        }
        const mvx = rxa.read(17, 1, 1, 0);
        const mvxName = rxa.read(17, 1, 2, 0);
        if (mvx !== '' || mvxName !== '') {
          const org: Organization & { id: string } = {
            resourceType: 'Organization',
            id: stableId('hl7v2', 'Organization', 'mvx', mvx || mvxName),
            ...(mvx !== '' ? { identifier: [{ system: MVX, value: mvx }] } : {}),
            ...(mvxName !== '' ? { name: mvxName } : {}),
          };
          immunization.manufacturer = run.add(org);
        }
        const performers: NonNullable<Immunization['performer']> = [];
        const administering = mapPractitioner(run, rxa, 10);
        if (administering)
          performers.push({
            function: {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/v2-0443',
                  code: 'AP',
                  display: 'Administering Provider',
                },
              ],
            },
            actor: administering,
          });
        const ordering = group.orc ? mapPractitioner(run, group.orc, 12) : undefined;
        if (ordering)
          performers.push({
            function: {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/v2-0443',
                  code: 'OP',
                  display: 'Ordering Provider',
                },
              ],
            },
            actor: ordering,
          });
        if (performers.length > 0) immunization.performer = performers;
        const rxr = childrenOf(part, 'RXR')[0];
        if (rxr) {
          const route = routeOf(run, rxr, `${where}/RXR`);
          if (route) immunization.route = route;
          const site = toCodeableConcept(rxr, 2);
          if (site) immunization.site = site;
        }
        const recorded = toFhirDateTime(rxa.get('22.1'), run.defaultOffset);
        if (recorded) immunization.recorded = recorded;
        run.add(immunization);
      }
    }
    if (count === 0)
      run.issues.push(warningIssue('required', 'RXA', 'no RXA segment; no Immunization mapped'));
  });
}
