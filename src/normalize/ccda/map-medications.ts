// Medication Activity (4.16) -> MedicationStatement (medications section) or MedicationRequest (discharge
// medications 4.35, planned/ordered moods); Medication Information (4.23) code in RxNorm with its translations.
import type { CodeableConcept, MedicationRequest, MedicationStatement } from '@medplum/fhirtypes';
import type { Ref as Reference } from './ccda-run.ts';
import type { XmlElement } from '../../inbound/ccda/xml/xml-element.ts';
import { concept, identifierOf, iiKey, originalText, periodOf } from './ccda-datatypes.ts';
import type { CcdaRun } from './ccda-run.ts';
import { dosageOf } from './map-dosage.ts';
import type { EntryContext } from './entry-context.ts';
import { related } from './entry-context.ts';
import { mapAssigned } from './map-header.ts';

export const MEDICATION_ACTIVITY = '2.16.840.1.113883.10.20.22.4.16';
export const DISCHARGE_MEDICATION = '2.16.840.1.113883.10.20.22.4.35';
const INDICATION = '2.16.840.1.113883.10.20.22.4.19';
const INSTRUCTION = '2.16.840.1.113883.10.20.22.4.20';
const FREE_TEXT_SIG = '2.16.840.1.113883.10.20.22.4.147';

/** statusCode (v3 ActStatus) + negation -> MedicationStatement.status. */
function statementStatus(run: CcdaRun, sa: XmlElement, where: string): MedicationStatement['status'] {
  if (sa.attr('negationInd') === 'true') return 'not-taken';
  const code = sa.child('statusCode')?.attr('code');
  switch (code ?? '') {
    case 'active':
      return 'active';
    case 'completed':
      return 'completed';
    case 'aborted':
      return 'stopped';
    case 'suspended':
    case 'held':
      return 'on-hold';
    case 'cancelled':
      return 'not-taken';
    case 'nullified':
      return 'entered-in-error';
    case 'new':
      return 'intended';
    default:
      run.warn(
        'required',
        `${where}/statusCode`,
        `medication status ${code ?? '(none)'} is not an ActStatus we know; status unknown`,
      );
      return 'unknown';
  }
}

function requestStatus(run: CcdaRun, sa: XmlElement, where: string): MedicationRequest['status'] {
  const code = sa.child('statusCode')?.attr('code');
  switch (code ?? '') {
    case 'active':
    case 'new':
      return 'active';
    case 'completed':
      return 'completed';
    case 'aborted':
      return 'stopped';
    case 'suspended':
    case 'held':
      return 'on-hold';
    case 'cancelled':
      return 'cancelled';
    case 'nullified':
      return 'entered-in-error';
    default:
      run.warn(
        'required',
        `${where}/statusCode`,
        `medication status ${code ?? '(none)'} is not an ActStatus we know; status unknown`,
      );
      return 'unknown';
  }
}

/** The drug: manufacturedMaterial/code (RxNorm + translations such as NDC), else the entry's narrative text. */
export function medicationConcept(run: CcdaRun, sa: XmlElement, where: string): CodeableConcept | undefined {
  const product = sa.at('consumable/manufacturedProduct');
  const material = product?.child('manufacturedMaterial');
  const codeEl = material?.child('code');
  const cc = concept(run, codeEl, `${where}/consumable/manufacturedProduct/manufacturedMaterial/code`);
  const name = material?.child('name');
  const named = name ? name.text() : '';
  const sig = originalText(run, sa.child('text'), `${where}/text`);
  if (cc) {
    if (!cc.text && named) cc.text = named;
    return cc;
  }
  if (named) return { text: named };
  if (sig) return { text: sig };
  return undefined;
}

function reasons(run: CcdaRun, sa: XmlElement, where: string): CodeableConcept[] {
  return related(sa, where, INDICATION).flatMap((r) => {
    const c =
      concept(run, r.el.child('value'), `${r.path}/value`) ??
      concept(run, r.el.child('code'), `${r.path}/code`);
    return c ? [c] : [];
  });
}

/** The sig as written: the Medication Free Text Sig (4.147), else the entry's own text. */
function sigText(run: CcdaRun, sa: XmlElement, where: string): string | undefined {
  const free = related(sa, where, FREE_TEXT_SIG)[0];
  if (free) return originalText(run, free.el.child('text'), `${free.path}/text`);
  return undefined;
}

export function mapMedicationActivity(
  run: CcdaRun,
  sa: XmlElement,
  at: EntryContext,
  asRequest: boolean,
): Reference[] {
  const where = at.path;
  const medication = medicationConcept(run, sa, where);
  if (!medication) {
    run.warn(
      'required',
      `${where}/consumable`,
      'medication has neither a code nor any text naming the drug; not mapped',
    );
    return [];
  }
  const dosage = dosageOf(run, sa, where);
  const freeSig = sigText(run, sa, where);
  if (freeSig && dosage) dosage.text = freeSig;
  const instructions = related(sa, where, INSTRUCTION)
    .map(
      (r) =>
        originalText(run, r.el.child('text'), `${r.path}/text`) ??
        concept(run, r.el.child('code'), `${r.path}/code`)?.text,
    )
    .filter((s): s is string => !!s);
  const finalDosage = dosage ?? (freeSig ? { text: freeSig } : undefined);
  if (finalDosage && instructions.length) finalDosage.patientInstruction = instructions.join('; ');
  const identifier = sa.elements('id').flatMap((i) => {
    const id = identifierOf(i);
    return id ? [id] : [];
  });
  const reasonCode = reasons(run, sa, where);
  const id = run.id(
    asRequest ? 'MedicationRequest' : 'MedicationStatement',
    where,
    iiKey(sa.child('id')) ?? '',
  );
  const subject = run.patient ?? { display: 'patient not named in the document' };
  const mood = sa.attr('moodCode') ?? 'EVN';
  if (asRequest) {
    const req: MedicationRequest & { id: string } = {
      resourceType: 'MedicationRequest',
      id,
      status: requestStatus(run, sa, where),
      intent: mood === 'RQO' ? 'order' : mood === 'PRP' ? 'proposal' : 'plan',
      medicationCodeableConcept: medication,
      subject,
    };
    if (sa.attr('negationInd') === 'true') req.doNotPerform = true;
    if (at.section === 'dischargeMedications')
      req.category = [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
              code: 'discharge',
              display: 'Discharge',
            },
          ],
        },
      ];
    if (identifier.length) req.identifier = identifier;
    if (finalDosage) req.dosageInstruction = [finalDosage];
    if (reasonCode.length) req.reasonCode = reasonCode;
    if (run.encounter) req.encounter = run.encounter;
    const author = mapAssigned(run, sa.at('author/assignedAuthor'));
    if (author?.reference) req.requester = author;
    const supply = sa
      .elements('entryRelationship')
      .map((r) => r.child('supply'))
      .find((s) => s);
    if (supply) {
      const repeats = Number(supply.child('repeatNumber')?.attr('value'));
      const quantity = supply.child('quantity');
      const dr: NonNullable<MedicationRequest['dispenseRequest']> = {};
      if (Number.isFinite(repeats) && repeats > 0) dr.numberOfRepeatsAllowed = repeats - 1;
      const qv = Number(quantity?.attr('value'));
      if (Number.isFinite(qv)) dr.quantity = { value: qv };
      if (Object.keys(dr).length) req.dispenseRequest = dr;
    }
    return [run.add(req)];
  }
  const statement: MedicationStatement & { id: string } = {
    resourceType: 'MedicationStatement',
    id,
    status: statementStatus(run, sa, where),
    medicationCodeableConcept: medication,
    subject,
  };
  if (identifier.length) statement.identifier = identifier;
  const bounds = finalDosage?.timing?.repeat?.boundsPeriod ?? periodOf(sa.elements('effectiveTime')[0]);
  if (bounds) statement.effectivePeriod = bounds;
  if (finalDosage) statement.dosage = [finalDosage];
  if (reasonCode.length) statement.reasonCode = reasonCode;
  if (run.encounter) statement.context = run.encounter;
  return [run.add(statement)];
}
