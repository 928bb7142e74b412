// The vocabulary file `rxbridge terminology load` writes and createLoadedTerminology reads (format in docs/adr/0004).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { TermType } from '../terminology.ts';

export const VOCABULARY_FORMAT = 'rxbridge-terminology';
export const VOCABULARY_VERSION = 1;

/** Term types kept from a release (RxNorm Technical Documentation §12); others are not used by the port. */
export const KEPT_TERM_TYPES: ReadonlySet<string> = new Set(Object.values(TermType));

/** Relations kept, always read "from RELA to" (SCD consists_of SCDC; SCDC has_ingredient IN; ...). */
export const Rela = {
  ConsistsOf: 'consists_of',
  HasIngredient: 'has_ingredient',
  HasPreciseIngredient: 'has_precise_ingredient',
  TradenameOf: 'tradename_of',
  Contains: 'contains',
  FormOf: 'form_of',
  HasPart: 'has_part',
} as const;
export type Rela = (typeof Rela)[keyof typeof Rela];

export interface VocabularyFile {
  format: typeof VOCABULARY_FORMAT;
  version: typeof VOCABULARY_VERSION;
  /** What was loaded: 'rxnorm-rrf' or 'rxnorm-subset-tsv', and the file names read (no absolute paths). */
  source: { kind: 'rxnorm-rrf' | 'rxnorm-subset-tsv'; files: string[] };
  loadedAt: string;
  /** [rxcui, tty, name] */
  concepts: [string, string, string][];
  /** [from, rela, to] */
  relations: [string, Rela, string][];
  /** [ndc11, rxcui] */
  ndcs: [string, string][];
}

export interface LoadCounts {
  concepts: number;
  relations: number;
  ndcs: number;
  byTermType: Record<string, number>;
}

export function countVocabulary(file: VocabularyFile): LoadCounts {
  const byTermType: Record<string, number> = {};
  for (const [, tty] of file.concepts) byTermType[tty] = (byTermType[tty] ?? 0) + 1;
  return {
    concepts: file.concepts.length,
    relations: file.relations.length,
    ndcs: file.ndcs.length,
    byTermType,
  };
}

/** Writes atomically (temp file + rename) so a reader never sees half a vocabulary. */
export function writeVocabularyFile(path: string, file: VocabularyFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(file));
  renameSync(temp, path);
}

export function readVocabularyFile(path: string): VocabularyFile {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<VocabularyFile>;
  if (parsed.format !== VOCABULARY_FORMAT || parsed.version !== VOCABULARY_VERSION) {
    throw new Error(`${path} is not an RxBridge vocabulary file (version ${VOCABULARY_VERSION})`);
  }
  if (!Array.isArray(parsed.concepts) || !Array.isArray(parsed.relations) || !Array.isArray(parsed.ndcs)) {
    throw new Error(`${path}: vocabulary file is incomplete`);
  }
  return parsed as VocabularyFile;
}
