// GET /.well-known/jwks.json: the public keys EHRs use to check our client assertions (every endpoint's ring).
import type { FastifyInstance } from 'fastify';
import { PUBLIC } from '../http/http-server.ts';
import type { KeyRing, PublicJwk } from './smart-keys.ts';

export function registerJwksRoute(
  app: FastifyInstance,
  rings: readonly KeyRing[],
  now: () => number = Date.now,
): void {
  app.get('/.well-known/jwks.json', { config: { policy: PUBLIC } }, async (_request, reply) => {
    const seen = new Set<string>();
    const keys: PublicJwk[] = [];
    for (const ring of rings) {
      for (const key of ring.jwks(now()).keys) {
        if (seen.has(key.kid)) continue;
        seen.add(key.kid);
        keys.push(key);
      }
    }
    // Short cache: a rotated key must reach EHRs well within the rotation lead time.
    return reply.header('cache-control', 'public, max-age=300').type('application/json').send({ keys });
  });
}
