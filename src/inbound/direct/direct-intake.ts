// Direct intake: an IHE XDM zip, or a MIME message (.eml; optionally S/MIME encrypted and signed) carrying C-CDA
// attachments (or an XDM zip), unpacked into the documents it holds, each with where it was found.
import type { Buffer } from 'node:buffer';
import type { Issue, Result } from '../../kernel/result.ts';
import { errorIssue, fail, issue, ok, warningIssue } from '../../kernel/result.ts';
import type { MimePart } from './mime.ts';
import { parseMime } from './mime.ts';
import type { SmimeKeys } from './smime.ts';
import { SmimeError, decryptSmime, verifySmime } from './smime.ts';
import { ZipError, readZip } from './zip.ts';

export interface DirectDocument {
  /** Where it was: `part 2`, `part 2 > IHE_XDM/SUBSET01/DOC0001.XML`. */
  location: string;
  filename?: string;
  xml: string;
  /** The message was decrypted / its signature verified on the way to this document. */
  decrypted: boolean;
  signatureVerified: boolean;
}

export interface DirectOptions {
  keys?: SmimeKeys;
  /** Direct requires encryption and signing; set false to accept plain messages with a warning only. */
  requireSecurity?: boolean;
}

const ENVELOPED = new Set(['application/pkcs7-mime', 'application/x-pkcs7-mime']);
const ZIP_TYPES = new Set(['application/zip', 'application/x-zip-compressed', 'application/x-zip']);

function looksLikeClinicalDocument(data: Buffer): boolean {
  const head = data.subarray(0, 4096).toString('utf8');
  return (
    /<([A-Za-z0-9_]+:)?ClinicalDocument[\s>]/.test(head) ||
    /<([A-Za-z0-9_]+:)?ClinicalDocument[\s>]/.test(data.toString('utf8'))
  );
}

function isZip(data: Buffer): boolean {
  return data.length > 4 && data.readUInt32LE(0) === 0x04034b50;
}

/** Documents inside an XDM package (IHE ITI TF-2b 3.32: IHE_XDM/<subset>/<doc>, METADATA.XML beside them). */
export function unpackXdm(
  data: Buffer,
  location: string,
  issues: Issue[],
  state: { decrypted: boolean; signatureVerified: boolean },
): DirectDocument[] {
  let entries;
  try {
    entries = readZip(data);
  } catch (error) {
    issues.push(
      errorIssue(
        'invalid',
        location,
        `XDM package is unusable: ${error instanceof ZipError ? error.message : 'unreadable'}`,
      ),
    );
    return [];
  }
  const docs: DirectDocument[] = [];
  if (!entries.some((e) => /^IHE_XDM\//i.test(e.name)))
    issues.push(
      warningIssue('structure', location, 'zip has no IHE_XDM folder; reading its XML files anyway'),
    );
  for (const e of entries) {
    const base = e.name.split('/').pop() ?? e.name;
    if (/^METADATA\.XML$/i.test(base) || !/\.xml$/i.test(base)) continue;
    if (!looksLikeClinicalDocument(e.data)) {
      issues.push(
        issue(
          'information',
          'not-supported',
          `${location} > ${e.name}`,
          'XML file is not a ClinicalDocument; skipped',
        ),
      );
      continue;
    }
    docs.push({
      location: `${location} > ${e.name}`,
      filename: base,
      xml: e.data.toString('utf8'),
      ...state,
    });
  }
  return docs;
}

/** Unpacks a Direct message (MIME) or an XDM zip into its C-CDA documents. */
export function unpackDirect(bytes: Buffer, options: DirectOptions = {}): Result<DirectDocument[]> {
  const issues: Issue[] = [];
  const state = { decrypted: false, signatureVerified: false };
  if (isZip(bytes)) {
    const docs = unpackXdm(bytes, 'zip', issues, state);
    return docs.length > 0
      ? ok(docs, issues)
      : fail([...issues, errorIssue('not-found', 'zip', 'no C-CDA document in the XDM package')]);
  }
  let root: MimePart;
  try {
    root = parseMime(bytes);
  } catch (error) {
    return fail([
      errorIssue(
        'structure',
        'message',
        `not a readable MIME message: ${error instanceof Error ? error.message : 'error'}`,
      ),
    ]);
  }
  const docs: DirectDocument[] = [];
  const walk = (part: MimePart, location: string): void => {
    const ct = part.contentType;
    if (ENVELOPED.has(ct)) {
      const smimeType = (part.params['smime-type'] ?? '').toLowerCase();
      try {
        if (smimeType === 'signed-data') {
          const content = verifySmime(part.raw, options.keys ?? {});
          state.signatureVerified = true;
          walk(parseMime(content), `${location} (signed)`);
        } else {
          const inner = decryptSmime(part.raw, options.keys ?? {});
          state.decrypted = true;
          walk(parseMime(inner), `${location} (decrypted)`);
        }
      } catch (error) {
        issues.push(
          errorIssue(
            'security',
            location,
            `S/MIME ${smimeType === 'signed-data' ? 'verification' : 'decryption'} failed: ${error instanceof SmimeError ? error.message : 'error'}`,
          ),
        );
      }
      return;
    }
    if (ct === 'multipart/signed') {
      try {
        verifySmime(part.raw, options.keys ?? {});
        state.signatureVerified = true;
      } catch (error) {
        // A signature that does not verify: nothing in the message is trusted or processed.
        issues.push(
          errorIssue(
            'security',
            location,
            `signature does not verify: ${error instanceof SmimeError ? error.message : 'error'}; message not processed`,
          ),
        );
        return;
      }
      const content = part.parts[0];
      if (content) walk(content, `${location} (signed)`);
      return;
    }
    if (ct.startsWith('multipart/')) {
      part.parts.forEach((p, i) => walk(p, `${location} > part ${i + 1}`));
      return;
    }
    const name = part.filename ?? '';
    if (ZIP_TYPES.has(ct) || /\.zip$/i.test(name) || isZip(part.body)) {
      docs.push(...unpackXdm(part.body, `${location}${name ? ` (${name})` : ''}`, issues, { ...state }));
      return;
    }
    if (
      (/xml/.test(ct) || /\.xml$/i.test(name) || ct === 'application/octet-stream') &&
      looksLikeClinicalDocument(part.body)
    ) {
      docs.push({ location, ...(name ? { filename: name } : {}), xml: part.body.toString('utf8'), ...state });
      return;
    }
    if (ct !== 'text/plain' && ct !== 'text/html')
      issues.push(
        issue(
          'information',
          'not-supported',
          location,
          `attachment ${name || ct} is not a C-CDA document; skipped`,
        ),
      );
  };
  walk(root, 'message');
  if (options.requireSecurity !== false) {
    if (!state.decrypted)
      issues.push(
        warningIssue('security', 'message', 'message was not encrypted (Direct requires S/MIME encryption)'),
      );
    if (!state.signatureVerified)
      issues.push(
        warningIssue(
          'security',
          'message',
          'message carried no verified signature (Direct requires S/MIME signing)',
        ),
      );
  }
  if (issues.some((i) => i.severity === 'error' && i.code === 'security')) return fail(issues);
  if (docs.length === 0)
    return fail([...issues, errorIssue('not-found', 'message', 'no C-CDA document found in the message')]);
  return ok(docs, issues);
}
