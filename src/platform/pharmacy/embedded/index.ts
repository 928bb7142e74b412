// The embedded (in-memory) PharmacySystem adapter and its demo data.
export { createEmbeddedPharmacy } from './embedded-pharmacy.ts';
export type { DemoPharmacyData } from './embedded-pharmacy.ts';
export { DEMO_PHARMACY } from './demo-pharmacy.ts';
