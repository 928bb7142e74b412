// What the checks need from an EHR for one patient: medications, allergies, problems, labs, immunizations, each
// asked the way the vendor profile says (first supported search, then its fallbacks). Questions the EHR cannot
// answer are listed, never silently empty.
import type { Resource } from '@medplum/fhirtypes';
import { EhrError, type EhrClient } from '../../platform/ehr/ehr-client.ts';
import { bindQuery, type ClinicalQuestion, type VendorProfile } from '../../platform/ehr/vendor-profiles.ts';

export interface ClinicalContext {
  patientId: string;
  answers: Partial<Record<ClinicalQuestion, { resourceType: string; resources: Resource[] }>>;
  unanswered: Array<{ question: ClinicalQuestion; reason: string }>;
}

export async function fetchClinicalContext(
  client: EhrClient,
  profile: VendorProfile,
  patientId: string,
  questions: readonly ClinicalQuestion[] = ['medications', 'allergies', 'problems', 'labs'],
): Promise<ClinicalContext> {
  const context: ClinicalContext = { patientId, answers: {}, unanswered: [] };
  await Promise.all(
    questions.map(async (question) => {
      const reasons: string[] = [];
      for (const query of profile.questions[question]) {
        try {
          const page = await client.searchAll(
            query.resourceType as Resource['resourceType'],
            bindQuery(query, patientId),
          );
          context.answers[question] = { resourceType: query.resourceType, resources: page.matches };
          return;
        } catch (error) {
          // The server does not offer this search: try the profile's fallback. Outages propagate.
          if (
            error instanceof EhrError &&
            error.status !== undefined &&
            [400, 403, 404, 405].includes(error.status)
          ) {
            reasons.push(`${query.resourceType}: HTTP ${error.status}`);
            continue;
          }
          throw error;
        }
      }
      context.unanswered.push({ question, reason: reasons.join('; ') });
    }),
  );
  return context;
}
