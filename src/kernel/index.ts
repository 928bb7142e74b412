// The kernel: shared vocabulary every stage may import.
export * from './result.ts';
export * from './errors.ts';
export * from './clock.ts';
export * from './ids.ts';
export * from './code-map.ts';
export type * from './fhir.ts';
