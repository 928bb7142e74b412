// HTTP upload for C-CDA: POST /api/documents with a C-CDA (application/xml, application/cda+xml, text/xml), a Direct
// message (message/rfc822) or an XDM zip (application/zip). Each document is stored like the drop folder stores it;
// the reply lists the stored message ids (202), or is an OperationOutcome saying what was refused.
import type { FastifyInstance } from 'fastify';
import { operationOutcome } from '../../platform/http/http-server.ts';
import type { MessageStore } from '../../platform/store/message-store.ts';
import type { DirectOptions } from '../direct/direct-intake.ts';
import { ingestCcdaFile } from './ccda-ingest.ts';

export interface CcdaUploadDeps {
  messages: MessageStore;
  direct?: DirectOptions;
  /** Largest upload accepted (default 32 MiB). */
  bodyLimit?: number;
  /** Called for each newly stored message so workers pick it up at once. */
  onStored?: (id: string, partitionKey: string) => void;
}

const NAME_BY_TYPE: Record<string, string> = {
  'application/xml': 'upload.xml',
  'text/xml': 'upload.xml',
  'application/cda+xml': 'upload.xml',
  'application/hl7-cda+xml': 'upload.xml',
  'message/rfc822': 'upload.eml',
  'application/zip': 'upload.zip',
};

export function registerCcdaUploadRoute(app: FastifyInstance, deps: CcdaUploadDeps): void {
  const bodyLimit = deps.bodyLimit ?? 32 * 1024 * 1024;
  void app.register((scope, _opts, done) => {
    // Parsers live in this scope only: other routes keep the server's own content types.
    scope.addContentTypeParser(
      Object.keys(NAME_BY_TYPE),
      { parseAs: 'buffer', bodyLimit },
      (_req, body, next) => {
        next(null, body);
      },
    );
    scope.post(
      '/api/documents',
      { config: { policy: { permission: 'ingest:write', phi: true } }, bodyLimit },
      async (request, reply) => {
        const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        const name = NAME_BY_TYPE[type];
        if (!name || !Buffer.isBuffer(request.body)) {
          return reply
            .code(415)
            .type('application/fhir+json')
            .send(
              operationOutcome([
                {
                  severity: 'error',
                  code: 'not-supported',
                  path: 'Content-Type',
                  message: `send a C-CDA (application/xml), a Direct message (message/rfc822) or an XDM zip (application/zip); got ${type || 'none'}`,
                },
              ]),
            );
        }
        const ingested = await ingestCcdaFile(
          deps.messages,
          'http:documents',
          name,
          request.body,
          deps.direct,
        );
        const issues = ingested.ok
          ? [...ingested.issues, ...ingested.value.flatMap((d) => d.issues)]
          : ingested.issues;
        const stored = ingested.ok ? ingested.value.filter((d) => d.append) : [];
        if (stored.length === 0) {
          return reply.code(400).type('application/fhir+json').send(operationOutcome(issues));
        }
        for (const d of stored)
          if (d.append && !d.append.duplicate) deps.onStored?.(d.append.id, d.partitionKey ?? '');
        return reply.code(202).send({
          documents: stored.map((d) => ({
            location: d.location,
            messageId: d.append!.id,
            duplicate: d.append!.duplicate,
          })),
          issues,
        });
      },
    );
    done();
  });
}
