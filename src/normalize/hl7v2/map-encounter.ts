// PV1 -> Encounter: class (table 0004), period PV1-44/45, discharge disposition PV1-36, status from the trigger.
import type { Hl7Segment } from '../../inbound/hl7v2/hl7-message.ts';
import { stableId } from '../../kernel/ids.ts';
import type { Encounter, Patient, Reference } from '../../kernel/fhir.ts';
import { DISCHARGE_DISPOSITION, PATIENT_CLASS } from './code-tables.ts';
import { toFhirDateTime, toIdentifier, unreadable } from './hl7-datatypes.ts';
import type { MapRun } from './map-context.ts';
import { mapPractitioner } from './map-patient.ts';

/** ADT trigger -> Encounter.status: A03 closes the visit; A08 updates it (finished once PV1-45 is valued). */
function statusFor(trigger: string, discharged: boolean): Encounter['status'] {
  switch (trigger) {
    case 'A03':
      return 'finished';
    case 'A01':
    case 'A04':
    case 'A06':
    case 'A07':
      return 'in-progress';
    case 'A05':
    case 'A14':
      return 'planned';
    case 'A11':
      return 'cancelled';
    default:
      return discharged ? 'finished' : 'in-progress';
  }
}

export function mapEncounter(
  run: MapRun,
  pv1: Hl7Segment,
  subject: Reference<Patient>,
): Reference<Encounter> {
  const visit = toIdentifier(pv1, 19, 1);
  const key = visit
    ? `${visit.system ?? `sender:${run.sender}`}|${visit.value ?? ''}`
    : `message:${run.sender}|${run.msg.controlId}`;
  const admitted = pv1.get('44.1');
  const discharged = pv1.get('45.1');
  const patientClass = pv1.get('2.1');
  const row = patientClass === '' ? undefined : PATIENT_CLASS.lookup(patientClass);
  const encounter: Encounter & { id: string } = {
    resourceType: 'Encounter',
    id: stableId('hl7v2', 'Encounter', key),
    status: statusFor(run.msg.get('MSH-9.2'), discharged !== ''),
    // Encounter.class is required (1..1): an unknown or empty PV1-2 is said so, not guessed.
    class: row
      ? { system: PATIENT_CLASS.system, code: row.to, display: row.display }
      : { system: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor', code: 'UNK', display: 'unknown' },
    subject,
  };
  if (visit) encounter.identifier = [visit];
  const period: NonNullable<Encounter['period']> = {};
  if (admitted !== '') {
    const start = toFhirDateTime(admitted, run.defaultOffset);
    if (start) period.start = start;
    else unreadable(run.issues, 'PV1-44', 'admit date/time');
  }
  if (discharged !== '') {
    const end = toFhirDateTime(discharged, run.defaultOffset);
    if (end) period.end = end;
    else unreadable(run.issues, 'PV1-45', 'discharge date/time');
  }
  if (period.start !== undefined || period.end !== undefined) encounter.period = period;

  const disposition = pv1.get('36.1');
  if (disposition !== '') {
    const d = DISCHARGE_DISPOSITION.lookup(disposition);
    encounter.hospitalization = {
      dischargeDisposition: {
        coding: [
          ...(d ? [{ system: DISCHARGE_DISPOSITION.system, code: d.to, display: d.display }] : []),
          { system: 'http://terminology.hl7.org/CodeSystem/v2-0112', code: disposition },
        ],
      },
    };
  }
  const location = [pv1.get('3.1'), pv1.get('3.2'), pv1.get('3.3')].filter((p) => p !== '').join(' ');
  if (location !== '') encounter.location = [{ location: { display: location } }];
  const attending = mapPractitioner(run, pv1, 7);
  if (attending) {
    encounter.participant = [
      {
        type: [
          {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'ATND' }],
          },
        ],
        individual: attending,
      },
    ];
  }
  return run.add(encounter);
}
