// MDM^T02 original document notification and content -> Patient, Encounter, one DocumentReference (TXA header):
// OBX of type ED become attachments with their MIME type, TX/FT/ST lines one text/plain attachment; a C-CDA is noted
// (HL7 v2.5.1 ch. 9.6.2 MDM_T02, ch. 9.6.1 TXA; ED data type ch. 2A.24).
import { Buffer } from 'node:buffer';
import type { Hl7Message, Hl7Segment } from '../../inbound/hl7v2/hl7-message.ts';
import { stableId } from '../../kernel/ids.ts';
import type { Attachment, DocumentReference } from '@medplum/fhirtypes';
import type { Bundle } from '../../kernel/fhir.ts';
import type { Issue, Result } from '../../kernel/result.ts';
import { issue, warningIssue } from '../../kernel/result.ts';
import { ED_MEDIA_TYPE } from './code-tables.ts';
import { toEntityIdentifier, toFhirDateTime } from './hl7-datatypes.ts';
import type { Hl7MapContext } from './map-context.ts';
import { mapPractitioner } from './map-patient.ts';
import { mapPatientMessage } from './map-patient-message.ts';

/** The IHE format code FHIR uses for C-CDA R2.1 structured documents. */
const CCDA_FORMAT = {
  system: 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode',
  code: 'urn:hl7-org:sdwg:ccda-structuredBody:2.1',
  display: 'C-CDA R2.1 Structured Body',
};

/** ED type of data (table 0191) and subtype (table 0291) -> a MIME type; senders also write MIME parts directly. */
export function mediaTypeOf(type: string, subtype: string): string {
  const t = type.trim().toLowerCase();
  const s = subtype.trim().toLowerCase();
  if (['application', 'text', 'image', 'audio', 'video', 'multipart'].includes(t) && /^[a-z0-9.+-]+$/.test(s))
    return `${t}/${s}`;
  const bySubtype = ED_MEDIA_TYPE.lookup(s);
  if (bySubtype) return bySubtype.to;
  if (t === 'tx' || t === 'text') return 'text/plain';
  return 'application/octet-stream';
}

/** ED data (OBX-5.5) in its encoding (OBX-5.4, table 0299: Base64, Hex, A = ASCII) -> base64, or undefined. */
export function edToBase64(data: string, encoding: string): string | undefined {
  const enc = encoding.trim().toUpperCase();
  if (enc === 'BASE64') {
    const compact = data.replace(/\s+/g, '');
    return /^[A-Za-z0-9+/]*={0,2}$/.test(compact) && compact.length % 4 === 0 ? compact : undefined;
  }
  if (enc === 'HEX') {
    const compact = data.replace(/\s+/g, '');
    return /^([0-9A-Fa-f]{2})*$/.test(compact) ? Buffer.from(compact, 'hex').toString('base64') : undefined;
  }
  if (enc === 'A' || enc === '') return Buffer.from(data, 'utf8').toString('base64');
  return undefined;
}

function isCcda(mime: string, base64: string): boolean {
  if (!/xml/.test(mime)) return false;
  const head = Buffer.from(base64.slice(0, 8000), 'base64').toString('utf8');
  return head.includes('ClinicalDocument') && head.includes('urn:hl7-org:v3');
}

/** TXA-17 completion status (table 0271) -> docStatus. */
function docStatusOf(code: string): DocumentReference['docStatus'] {
  switch (code.toUpperCase()) {
    case 'AU':
    case 'LA':
      return 'final';
    case 'DI':
    case 'DO':
    case 'IN':
    case 'IP':
    case 'PA':
      return 'preliminary';
    default:
      return undefined;
  }
}

function edAttachment(obx: Hl7Segment, where: string, issues: Issue[]): Attachment | undefined {
  const mime = mediaTypeOf(obx.get('5.2'), obx.get('5.3'));
  const data = edToBase64(obx.get('5.5'), obx.get('5.4'));
  if (data === undefined) {
    issues.push(
      warningIssue('value', `${where}-5.5`, 'ED data is not valid in its declared encoding; left out'),
    );
    return { contentType: mime };
  }
  return data === '' ? { contentType: mime } : { contentType: mime, data };
}

export function mapMdmT02(msg: Hl7Message, context: Hl7MapContext): Result<Bundle> {
  return mapPatientMessage(msg, context, (run, patient, encounter) => {
    const txa = msg.segment('TXA');
    if (!txa)
      run.issues.push(
        warningIssue('required', 'TXA', 'no TXA document header; document described from OBX only'),
      );
    const content: DocumentReference['content'] = [];
    const lines: string[] = [];
    let ccda = false;
    msg.segments('OBX').forEach((obx, i) => {
      const where = i > 0 ? `OBX[${i + 1}]` : 'OBX';
      const type = obx.get('2').toUpperCase();
      switch (type) {
        case 'ED': {
          const attachment = edAttachment(obx, where, run.issues);
          if (!attachment) return;
          if (attachment.data && isCcda(attachment.contentType ?? '', attachment.data)) {
            ccda = true;
            content.push({ attachment, format: CCDA_FORMAT });
          } else content.push({ attachment });
          return;
        }
        case 'TX':
        case 'FT':
        case 'ST':
          // ch. 9.6.2: the document body is the OBX-5 lines in order; each repetition is a line too.
          lines.push(obx.getAll(5).join('\n'));
          return;
        default:
          run.issues.push(
            warningIssue(
              'not-supported',
              `${where}-2`,
              `OBX value type ${type || '(empty)'} is not document content; skipped`,
            ),
          );
      }
    });
    if (lines.length > 0)
      content.unshift({
        attachment: {
          contentType: 'text/plain',
          data: Buffer.from(lines.join('\n'), 'utf8').toString('base64'),
        },
      });
    if (content.length === 0) {
      run.issues.push(
        warningIssue('required', 'OBX', 'no ED or text OBX; the DocumentReference has no content'),
      );
      content.push({ attachment: { title: 'no content sent' } });
    }
    const local = `urn:rxbridge:sender:${encodeURIComponent(run.sender)}:document`;
    const number = txa ? toEntityIdentifier(txa, 12, local) : undefined;
    const doc: DocumentReference & { id: string } = {
      resourceType: 'DocumentReference',
      id: stableId(
        'hl7v2',
        'DocumentReference',
        patient.key,
        number ? `${number.system}|${number.value}` : `message:${run.sender}|${msg.controlId}`,
      ),
      // TXA-19 availability (table 0273): OB obsolete -> superseded, CA canceled -> entered-in-error.
      status:
        txa?.get('19') === 'OB' ? 'superseded' : txa?.get('19') === 'CA' ? 'entered-in-error' : 'current',
      subject: patient.reference,
      content,
    };
    if (number) doc.masterIdentifier = number;
    const docStatus = docStatusOf(txa?.get('17') ?? '');
    if (docStatus) doc.docStatus = docStatus;
    const typeCode = txa?.get('2.1') ?? '';
    if (typeCode !== '')
      doc.type = {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0270', code: typeCode }],
        text: txa?.get('2.2') || typeCode,
      };
    // DocumentReference.date is an instant: only a time with seconds and an offset qualifies.
    const when = toFhirDateTime(txa?.get('6.1') || txa?.get('4.1') || '', run.defaultOffset);
    if (when && /T\d{2}:\d{2}:\d{2}/.test(when)) doc.date = when;
    const author = txa ? mapPractitioner(run, txa, 9) : undefined;
    if (author) doc.author = [author];
    const authenticator = txa ? mapPractitioner(run, txa, 10) : undefined;
    if (authenticator) doc.authenticator = authenticator;
    if (encounter) doc.context = { encounter: [encounter] };
    if (ccda) {
      doc.description =
        'Contains a C-CDA document; its structured entries are read by the C-CDA reader, not here.';
      run.issues.push(
        issue(
          'information',
          'informational',
          'OBX-5',
          'document content is a C-CDA; hand it to the C-CDA reader',
        ),
      );
    }
    run.add(doc);
  });
}
