// C-CDA documents into the MessageStore: one stored message per document, idempotent on ClinicalDocument/id,
// partitioned by the patient's first identifier. Used by the drop folder (and any upload endpoint).
import { Buffer } from 'node:buffer';
import type { Issue, Result } from '../../kernel/result.ts';
import { errorIssue, fail, ok } from '../../kernel/result.ts';
import { sha256Hex } from '../../kernel/ids.ts';
import type { AppendResult, MessageStore } from '../../platform/store/message-store.ts';
import { parseSafeXml } from '../ccda/xml/safe-xml.ts';
import type { DirectOptions } from '../direct/direct-intake.ts';
import { unpackDirect } from '../direct/direct-intake.ts';

export interface CcdaKeys {
  /** `ccda:<root>|<extension>` of ClinicalDocument/id, or `ccda:sha256:<hash>` when the document has none. */
  idempotencyKey: string;
  /** `<root>|<extension>` of the first recordTarget/patientRole/id, or the document key when there is none. */
  partitionKey: string;
  /** ClinicalDocument/code displayName or code (`Discharge summary`, `34133-9`). */
  type: string;
}

/** Reads the keys a document is stored under; fails (with the reader's issue) on XML that is refused. */
export function ccdaKeys(xml: string): Result<CcdaKeys> {
  const parsed = parseSafeXml(xml);
  if (!parsed.ok) return fail(parsed.issues);
  const doc = parsed.value;
  if (doc.name !== 'ClinicalDocument')
    return fail([
      errorIssue('structure', `/${doc.name}`, `not a C-CDA document: the root element is <${doc.name}>`),
    ]);
  const id = doc.child('id');
  const root = id?.attr('root');
  const key = root ? `${root}|${id?.attr('extension') ?? ''}` : `sha256:${sha256Hex(xml)}`;
  const pid = doc
    .at('recordTarget/patientRole')
    ?.elements('id')
    .find((i) => i.attr('root') && !i.attr('nullFlavor'));
  const code = doc.child('code');
  return ok({
    idempotencyKey: `ccda:${key}`,
    partitionKey: pid ? `${pid.attr('root')}|${pid.attr('extension') ?? ''}` : `ccda:${key}`,
    type: code?.attr('displayName') ?? code?.attr('code') ?? 'ClinicalDocument',
  });
}

export interface IngestedDocument {
  /** Where the document was (file name, or the location inside a Direct message). */
  location: string;
  append?: AppendResult;
  partitionKey?: string;
  issues: Issue[];
}

/**
 * Stores every C-CDA in a file: a C-CDA itself, a Direct message (.eml) or an XDM zip. Each document is appended
 * on its own; a refused one does not stop the others. Returns one line per document.
 */
export async function ingestCcdaFile(
  store: MessageStore,
  channel: string,
  name: string,
  bytes: Buffer,
  direct: DirectOptions = {},
): Promise<Result<IngestedDocument[]>> {
  let documents: { location: string; xml: string }[];
  const issues: Issue[] = [];
  if (/\.xml$/i.test(name)) documents = [{ location: name, xml: bytes.toString('utf8') }];
  else {
    const unpacked = unpackDirect(bytes, direct);
    issues.push(...unpacked.issues);
    if (!unpacked.ok) return fail(issues);
    documents = unpacked.value.map((d) => ({ location: `${name}: ${d.location}`, xml: d.xml }));
  }
  const out: IngestedDocument[] = [];
  for (const d of documents) {
    const keys = ccdaKeys(d.xml);
    if (!keys.ok) {
      out.push({ location: d.location, issues: keys.issues });
      continue;
    }
    const append = await store.append({
      channel,
      format: 'ccda',
      idempotencyKey: keys.value.idempotencyKey,
      partitionKey: keys.value.partitionKey,
      raw: Buffer.from(d.xml, 'utf8'),
      summary: { type: keys.value.type, controlId: keys.value.idempotencyKey.slice(5), sender: channel },
    });
    out.push({ location: d.location, append, partitionKey: keys.value.partitionKey, issues: [] });
  }
  return ok(out, issues);
}
