// Reads the flat TSV tables of an RxNorm prescribable subset (rxnconso_subset, rxnrel_subset, ndc_rxcui; .tsv or .tsv.gz).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  KEPT_TERM_TYPES,
  Rela,
  VOCABULARY_FORMAT,
  VOCABULARY_VERSION,
  type VocabularyFile,
} from './loaded-vocabulary.ts';

const RELAS: ReadonlySet<string> = new Set(Object.values(Rela));

function tableFile(folder: string, base: string): string | undefined {
  for (const name of [`${base}.tsv.gz`, `${base}.tsv`]) if (existsSync(join(folder, name))) return name;
  return undefined;
}

function readRows(folder: string, name: string): string[][] {
  const bytes = readFileSync(join(folder, name));
  const text = name.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  // First line is the header (rxcui, tty, name, unii / rxcui_from, rela, rxcui_to / ndc11, rxcui).
  return text
    .split('\n')
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => line.replace(/\r$/, '').split('\t'));
}

export function isSubsetFolder(folder: string): boolean {
  return tableFile(folder, 'rxnconso_subset') !== undefined;
}

export function readRxnormSubset(folder: string): VocabularyFile {
  const conso = tableFile(folder, 'rxnconso_subset');
  if (!conso) throw new Error('no rxnconso_subset.tsv(.gz) in the folder');
  const files = [conso];
  const concepts: [string, string, string][] = [];
  for (const [rxcui, tty, name] of readRows(folder, conso)) {
    if (rxcui && tty && name !== undefined && KEPT_TERM_TYPES.has(tty)) concepts.push([rxcui, tty, name]);
  }
  const relations: [string, Rela, string][] = [];
  const rel = tableFile(folder, 'rxnrel_subset');
  if (rel) {
    files.push(rel);
    for (const [from, rela, to] of readRows(folder, rel)) {
      if (from && to && rela && RELAS.has(rela)) relations.push([from, rela as Rela, to]);
    }
  }
  const ndcs: [string, string][] = [];
  const ndc = tableFile(folder, 'ndc_rxcui');
  if (ndc) {
    files.push(ndc);
    for (const [ndc11, rxcui] of readRows(folder, ndc)) {
      if (ndc11 && rxcui && /^\d{11}$/.test(ndc11)) ndcs.push([ndc11, rxcui]);
    }
  }
  return {
    format: VOCABULARY_FORMAT,
    version: VOCABULARY_VERSION,
    source: { kind: 'rxnorm-subset-tsv', files },
    loadedAt: new Date().toISOString(),
    concepts,
    relations,
    ndcs,
  };
}
