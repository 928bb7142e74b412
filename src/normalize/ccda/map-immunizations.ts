// Immunization Activity (4.52) -> Immunization: CVX code with translations (NDC ...), not-done with its refusal
// reason (4.53) when negated, lot, manufacturer, route, dose.
import type { Immunization } from '@medplum/fhirtypes';
import type { Ref as Reference } from './ccda-run.ts';
import type { XmlElement } from '../../inbound/ccda/xml/xml-element.ts';
import { concept, identifierOf, iiKey, originalText, pointOf, quantityOf } from './ccda-datatypes.ts';
import type { CcdaRun } from './ccda-run.ts';
import type { EntryContext } from './entry-context.ts';
import { related } from './entry-context.ts';
import { medicationConcept } from './map-medications.ts';

export const IMMUNIZATION_ACTIVITY = '2.16.840.1.113883.10.20.22.4.52';
const REFUSAL_REASON = '2.16.840.1.113883.10.20.22.4.53';

export function mapImmunization(run: CcdaRun, sa: XmlElement, at: EntryContext): Reference[] {
  const where = at.path;
  const mood = sa.attr('moodCode') ?? 'EVN';
  if (mood !== 'EVN') {
    run.warn(
      'not-supported',
      where,
      `immunization with moodCode ${mood} is planned, not given; not mapped as an Immunization`,
    );
    return [];
  }
  const vaccine = medicationConcept(run, sa, where);
  if (!vaccine) {
    run.warn('required', `${where}/consumable`, 'immunization names no vaccine; not mapped');
    return [];
  }
  const negated = sa.attr('negationInd') === 'true';
  const sc = sa.child('statusCode')?.attr('code');
  const status: Immunization['status'] =
    negated || sc === 'aborted' || sc === 'cancelled'
      ? 'not-done'
      : sc === 'nullified'
        ? 'entered-in-error'
        : 'completed';
  const occurrence = pointOf(sa.elements('effectiveTime')[0]);
  const imm: Immunization & { id: string } = {
    resourceType: 'Immunization',
    id: run.id('Immunization', where, iiKey(sa.child('id')) ?? ''),
    status,
    vaccineCode: vaccine,
    patient: run.patient ?? { display: 'patient not named in the document' },
    ...(occurrence ? { occurrenceDateTime: occurrence } : { occurrenceString: 'unknown' }),
  };
  if (!occurrence) run.warn('required', `${where}/effectiveTime`, 'immunization has no date');
  const identifier = sa.elements('id').flatMap((i) => {
    const id = identifierOf(i);
    return id ? [id] : [];
  });
  if (identifier.length) imm.identifier = identifier;
  if (status === 'not-done') {
    const reason = related(sa, where, REFUSAL_REASON)[0];
    const rc = reason ? concept(run, reason.el.child('code'), `${reason.path}/code`) : undefined;
    if (rc) imm.statusReason = rc;
  }
  const product = sa.at('consumable/manufacturedProduct');
  const lot = product?.at('manufacturedMaterial/lotNumberText');
  if (lot && lot.text()) imm.lotNumber = lot.text();
  const maker = product?.at('manufacturerOrganization/name');
  if (maker && maker.text()) imm.manufacturer = { display: maker.text() };
  const route = concept(run, sa.child('routeCode'), `${where}/routeCode`);
  if (route) imm.route = route;
  const site = concept(run, sa.child('approachSiteCode'), `${where}/approachSiteCode`);
  if (site) imm.site = site;
  const dose = quantityOf(sa.child('doseQuantity'));
  if (dose) imm.doseQuantity = dose;
  const note = originalText(run, sa.child('text'), `${where}/text`);
  if (note) imm.note = [{ text: note }];
  if (run.encounter) imm.encounter = run.encounter;
  // Patient-reported history (informant is the patient or a relative): not a primary source.
  if (sa.at('informant/relatedEntity')) imm.primarySource = false;
  return [run.add(imm)];
}
