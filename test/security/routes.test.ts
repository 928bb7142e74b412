// S1–S3 against the real engine (SQLite file, real HTTP): every route enumerated from the router × {anonymous,
// each role, another site's user}; unauthenticated floods refused before any body is parsed; every PHI read
// audited exactly once, and refused when the audit cannot be written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_AUTHENTICATION } from '../../src/governance/auth/no-authentication.ts';
import { createHttpServer } from '../../src/platform/http/http-server.ts';
import { silentLogger } from '../../src/platform/log/logger.ts';
import { createMetrics } from '../../src/platform/metrics/metrics.ts';
import { runRouteSuite, type RouteFigures } from './route-suite.ts';

describe('S1–S3 on the real engine', () => {
  let figures: RouteFigures;
  beforeAll(async () => {
    figures = await runRouteSuite();
    console.log(`S1–S3 figures: ${JSON.stringify(figures, null, 1)}`);
  }, 120_000);
  afterAll(() => undefined);

  it('S1: every route declares a policy; anonymous is refused everywhere but public routes; roles get exactly their permissions', () => {
    expect(figures.routes).toBeGreaterThan(10);
    expect(figures.matrixViolations).toEqual([]);
  });

  it('S1: no object is readable across sites', () => {
    expect(figures.crossSiteReads).toBeGreaterThan(1);
    expect(figures.crossSiteLeaks).toEqual([]);
  });

  it('S2: floods, bombs and wrong content types get 401 before any body is parsed', () => {
    expect(figures.flood401).toBe(figures.floodRequests);
    expect(figures.bodiesParsedUnauthenticated).toBe(0);
  });

  it('S3: each PHI read writes exactly one complete audit entry; with the audit down, the data is withheld', () => {
    expect(figures.phiReads).toBeGreaterThan(2);
    expect(figures.phiAuditProblems).toEqual([]);
    expect(figures.auditDownTried).toBeGreaterThan(2);
    expect(figures.auditDownRefused).toBe(figures.auditDownTried);
  });

  it('a route without a declared policy cannot be registered', async () => {
    const app = createHttpServer({
      logger: silentLogger,
      metrics: createMetrics({ defaultMetrics: false }),
      bodyLimitBytes: 1024,
      readiness: [],
      auth: NO_AUTHENTICATION,
    });
    expect(() => app.get('/api/undeclared', () => ({}))).toThrow(/no declared access policy/);
    expect(() =>
      app.get('/api/bad', { config: { policy: { permission: 'nope', phi: true } as never } }, () => ({})),
    ).toThrow(/no declared access policy/);
    await app.close();
  });
});
