// Provenance for a mapped HL7 v2 message: every produced resource points back at the stored message it came from.
import { stableId } from '../../kernel/ids.ts';
import type { Provenance } from '../../kernel/fhir.ts';
import type { MapRun } from './map-context.ts';
import { toFhirDateTime } from './hl7-datatypes.ts';

export function mapProvenance(run: MapRun): void {
  const targets = run.resources().map((r) => ({ reference: `urn:uuid:${r.id ?? ''}` }));
  const sentAt = toFhirDateTime(run.msg.get('MSH-7.1'), run.defaultOffset);
  // Provenance.recorded is an instant (seconds and offset required): a date-only MSH-7 is taken as its midnight UTC.
  const sentInstant =
    sentAt === undefined
      ? undefined
      : /T\d{2}:\d{2}:\d{2}/.test(sentAt)
        ? sentAt
        : `${sentAt.padEnd(10, '-01').slice(0, 10)}T00:00:00Z`;
  const recorded = run.context.receivedAt?.toISOString() ?? sentInstant ?? new Date(0).toISOString();
  const sender = [run.msg.get('MSH-3.1'), run.msg.get('MSH-4.1')].filter((p) => p !== '').join(' at ');
  const provenance: Provenance & { id: string } = {
    resourceType: 'Provenance',
    id: stableId('hl7v2', 'Provenance', run.context.messageId),
    target: targets.length > 0 ? targets : [{ display: 'nothing mapped' }],
    recorded,
    activity: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation',
          code: 'CREATE',
          display: 'create',
        },
      ],
    },
    agent: [
      {
        type: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
              code: 'author',
              display: 'Author',
            },
          ],
        },
        who: { display: sender === '' ? 'unknown HL7 v2 sender' : sender },
      },
    ],
    entity: [
      {
        role: 'source',
        what: {
          identifier: { system: 'urn:rxbridge:message', value: run.context.messageId },
          display: `HL7 v2 ${run.msg.type} ${run.msg.controlId}`.trim(),
        },
      },
    ],
  };
  run.add(provenance);
}
