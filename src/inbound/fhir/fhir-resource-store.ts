// Where resources pulled from EHRs are kept, with the sync watermarks and the bulk import checkpoint, so an
// interrupted import or sync resumes where it stopped.
import type { Resource } from '@medplum/fhirtypes';
import type { BulkManifest } from '../../platform/ehr/bulk-data.ts';

export interface RawResource {
  resource: Resource;
  json: string;
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Progress of one bulk import: the job, its manifest once known, and lines committed per file URL. */
export interface BulkCheckpoint {
  statusUrl: string;
  startedAt: string;
  manifest?: BulkManifest;
  committed: Record<string, number>;
}

export interface FhirResourceStore {
  /** Writes resources (keyed by endpoint, type, id); unchanged copies are left alone and counted. */
  upsert(endpoint: string, resources: readonly Resource[]): UpsertCounts;
  /**
   * Resources as received (the parsed resource and its NDJSON text, stored as is), plus the bulk checkpoint in the
   * same transaction: a crash never loses or repeats a committed line.
   */
  upsertBulk(endpoint: string, resources: readonly RawResource[], checkpoint: BulkCheckpoint): void;
  get(endpoint: string, resourceType: string, id: string): Resource | undefined;
  count(endpoint: string, resourceType?: string): number;
  /** The incremental-sync watermark for a key (`MedicationRequest` or `MedicationRequest/patient-1`). */
  watermark(endpoint: string, key: string): string | undefined;
  setWatermark(endpoint: string, key: string, value: string): void;
  bulkCheckpoint(endpoint: string): BulkCheckpoint | undefined;
  /** The EHR patient id a pharmacy patient is linked to on this endpoint. */
  patientLink(endpoint: string, pharmacyPatientId: string): string | undefined;
  /** Records a link; true when it is new or points to a different EHR patient than before. */
  setPatientLink(endpoint: string, pharmacyPatientId: string, ehrPatientId: string, at: string): boolean;
  /** Every linked patient on this endpoint (the scheduled sync walks them). */
  patientLinks(
    endpoint: string,
  ): Array<{ pharmacyPatientId: string; ehrPatientId: string; linkedAt: string }>;
  saveBulkCheckpoint(endpoint: string, checkpoint: BulkCheckpoint | undefined): void;
  close(): void;
}
