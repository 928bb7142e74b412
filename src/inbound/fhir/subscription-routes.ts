// POST /fhir/subscriptions/:name: where EHRs deliver subscription notifications (rest-hook). The raw body is kept
// for HMAC verification; refusals are OperationOutcomes that say why, never silence.
import type { FastifyInstance } from 'fastify';
import { IssueCode, errorIssue } from '../../kernel/result.ts';
import { operationOutcome } from '../../platform/http/http-server.ts';
import type { SubscriptionReceiver } from './subscription-receiver.ts';

const CODES: Record<number, IssueCode> = {
  400: IssueCode.Invalid,
  401: IssueCode.Security,
  404: IssueCode.NotFound,
  409: IssueCode.Duplicate,
};

export async function registerSubscriptionRoutes(
  app: FastifyInstance,
  receiver: SubscriptionReceiver,
): Promise<void> {
  await app.register((scope, _options, registered) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post<{ Params: { name: string } }>(
      '/fhir/subscriptions/:name',
      // The EHR calls with the API key of a system principal; the receiver then checks the subscription's own
      // bearer token or HMAC signature.
      { config: { policy: { permission: 'ingest:write', phi: true } } },
      async (request, reply) => {
        const body = typeof request.body === 'string' ? request.body : '';
        const result = await receiver.receive(request.params.name, request.headers, body);
        if (result.status === 200 || result.status === 204)
          return reply.code(200).send({ received: result.message });
        return reply
          .code(result.status)
          .type('application/fhir+json')
          .send(
            operationOutcome([
              errorIssue(CODES[result.status] ?? IssueCode.Processing, 'notification', result.message),
            ]),
          );
      },
    );
    registered();
  });
}
