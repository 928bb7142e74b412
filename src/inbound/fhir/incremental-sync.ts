// Incremental sync: for each patient and clinical question, search with `_lastUpdated` after the stored watermark,
// store what came back, and report what changed. The watermark moves to the newest lastUpdated seen; the next
// search overlaps it a little (clock skew, late commits) and unchanged copies are recognised and skipped.
import type { Resource } from '@medplum/fhirtypes';
import { EhrError, type EhrClient } from '../../platform/ehr/ehr-client.ts';
import { bindQuery, type ClinicalQuestion, type VendorProfile } from '../../platform/ehr/vendor-profiles.ts';
import type { FhirResourceStore, UpsertCounts } from './fhir-resource-store.ts';

export interface IncrementalSyncOptions {
  client: EhrClient;
  store: FhirResourceStore;
  profile: VendorProfile;
  /** Patient ids on this EHR. */
  patients: readonly string[];
  questions?: readonly ClinicalQuestion[];
  /** How far the next search reaches back before the watermark (ms). Default 60 s. */
  overlapMs?: number;
}

export interface SyncChange {
  resourceType: string;
  id: string;
  change: 'new' | 'updated';
}

export interface IncrementalSyncResult {
  searches: number;
  counts: UpsertCounts;
  changes: SyncChange[];
  /** Questions this EHR cannot answer with the profile's queries (every fallback refused). */
  unanswerable: Array<{ question: ClinicalQuestion; reason: string }>;
}

export async function syncIncremental(options: IncrementalSyncOptions): Promise<IncrementalSyncResult> {
  const { client, store, profile } = options;
  const overlap = options.overlapMs ?? 60_000;
  const questions = options.questions ?? (Object.keys(profile.questions) as ClinicalQuestion[]);
  const result: IncrementalSyncResult = {
    searches: 0,
    counts: { inserted: 0, updated: 0, unchanged: 0 },
    changes: [],
    unanswerable: [],
  };
  const refused = new Map<ClinicalQuestion, string>();
  for (const patient of options.patients) {
    for (const question of questions) {
      if (refused.has(question)) continue;
      let answered = false;
      const reasons: string[] = [];
      for (const query of profile.questions[question]) {
        const key = `${query.resourceType}/${patient}`;
        const watermark = store.watermark(client.endpoint, key);
        const params: Record<string, string> = bindQuery(query, patient);
        if (watermark !== undefined) {
          params._lastUpdated = `gt${new Date(Date.parse(watermark) - overlap).toISOString()}`;
        }
        let found: Resource[];
        try {
          result.searches++;
          found = (
            await client.searchAll(query.resourceType as Resource['resourceType'], params, { cache: false })
          ).matches;
        } catch (error) {
          // 400/404/405: this server does not offer the search; try the profile's fallback.
          if (
            error instanceof EhrError &&
            error.status !== undefined &&
            [400, 403, 404, 405].includes(error.status)
          ) {
            reasons.push(error.message);
            continue;
          }
          throw error;
        }
        for (const r of found) {
          const before = store.get(client.endpoint, r.resourceType, r.id ?? '');
          const counts = store.upsert(client.endpoint, [r]);
          result.counts.inserted += counts.inserted;
          result.counts.updated += counts.updated;
          result.counts.unchanged += counts.unchanged;
          if (counts.inserted + counts.updated > 0) {
            result.changes.push({
              resourceType: r.resourceType,
              id: r.id ?? '',
              change: before === undefined ? 'new' : 'updated',
            });
          }
        }
        const newest = found
          .map((r) => r.meta?.lastUpdated ?? '')
          .reduce((a, b) => (b > a ? b : a), watermark ?? '');
        if (newest !== '' && newest !== watermark) store.setWatermark(client.endpoint, key, newest);
        answered = true;
        break;
      }
      if (!answered) refused.set(question, reasons.join('; '));
    }
  }
  for (const [question, reason] of refused) result.unanswerable.push({ question, reason });
  return result;
}
