// Reads NLM's RxNorm release files (RRF) into a vocabulary: RXNCONSO, RXNREL and the NDCs of RXNSAT.
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  KEPT_TERM_TYPES,
  Rela,
  VOCABULARY_FORMAT,
  VOCABULARY_VERSION,
  type VocabularyFile,
} from './loaded-vocabulary.ts';

// Column positions, RxNorm Technical Documentation §12.5 ("Data Elements"): every RRF line is pipe-delimited
// and ends with a pipe.
// RXNCONSO: RXCUI|LAT|TS|LUI|STT|SUI|ISPREF|RXAUI|SAUI|SCUI|SDUI|SAB|TTY|CODE|STR|SRL|SUPPRESS|CVF|
const CONSO = { rxcui: 0, lat: 1, sab: 11, tty: 12, str: 14, suppress: 16 } as const;
// RXNREL: RXCUI1|RXAUI1|STYPE1|REL|RXCUI2|RXAUI2|STYPE2|RELA|RUI|SRUI|SAB|SL|DIR|RG|SUPPRESS|CVF|
const REL = { rxcui1: 0, rxcui2: 4, rela: 7, sab: 10, suppress: 14 } as const;
// RXNSAT: RXCUI|LUI|SUI|RXAUI|STYPE|CODE|ATUI|SATUI|ATN|SAB|ATV|SUPPRESS|CVF|
const SAT = { rxcui: 0, atn: 8, sab: 9, atv: 10, suppress: 11 } as const;

/**
 * RELA pairs (a relation and its inverse) → the direction we store, chosen by term type rather than by
 * column order: the release lists both directions, and orienting by the concepts' types means the result
 * does not depend on which column holds which end.
 */
const ORIENT: readonly {
  relas: readonly string[];
  rela: Rela;
  from: readonly string[];
  to: readonly string[];
}[] = [
  {
    relas: ['consists_of', 'constitutes'],
    rela: Rela.ConsistsOf,
    from: ['SCD', 'SBD'],
    to: ['SCDC', 'SBDC'],
  },
  {
    relas: ['has_ingredient', 'ingredient_of'],
    rela: Rela.HasIngredient,
    from: ['SCDC', 'SBD'],
    to: ['IN', 'MIN', 'BN'],
  },
  {
    relas: ['has_precise_ingredient', 'precise_ingredient_of'],
    rela: Rela.HasPreciseIngredient,
    from: ['SCDC'],
    to: ['PIN'],
  },
  { relas: ['tradename_of', 'has_tradename'], rela: Rela.TradenameOf, from: ['SBD'], to: ['SCD'] },
  { relas: ['contains', 'contained_in'], rela: Rela.Contains, from: ['GPCK', 'BPCK'], to: ['SCD', 'SBD'] },
  { relas: ['form_of', 'has_form'], rela: Rela.FormOf, from: ['PIN'], to: ['IN'] },
  { relas: ['has_part', 'part_of'], rela: Rela.HasPart, from: ['MIN'], to: ['IN'] },
];

async function* lines(path: string): AsyncGenerator<string[]> {
  const reader = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of reader) if (line !== '') yield line.split('|');
}

/** The folder holding the RRF files: the path itself or its `rrf/` subfolder (as in NLM's zip). */
export function findRrfFolder(path: string): string | undefined {
  for (const folder of [path, join(path, 'rrf')]) if (existsSync(join(folder, 'RXNCONSO.RRF'))) return folder;
  return undefined;
}

export async function readRxnormRrf(folder: string): Promise<VocabularyFile> {
  const ttyOf = new Map<string, string>();
  const concepts: [string, string, string][] = [];
  const files = ['RXNCONSO.RRF'];
  for await (const row of lines(join(folder, 'RXNCONSO.RRF'))) {
    const rxcui = row[CONSO.rxcui] ?? '';
    const tty = row[CONSO.tty] ?? '';
    // SAB=RXNORM: NLM's normalized names; SUPPRESS=N: not suppressed; English only.
    if (row[CONSO.sab] !== 'RXNORM' || row[CONSO.lat] !== 'ENG' || row[CONSO.suppress] !== 'N') continue;
    if (!KEPT_TERM_TYPES.has(tty) || ttyOf.has(rxcui)) continue;
    ttyOf.set(rxcui, tty);
    concepts.push([rxcui, tty, row[CONSO.str] ?? '']);
  }

  const relations: [string, Rela, string][] = [];
  const seen = new Set<string>();
  if (existsSync(join(folder, 'RXNREL.RRF'))) {
    files.push('RXNREL.RRF');
    for await (const row of lines(join(folder, 'RXNREL.RRF'))) {
      if (row[REL.sab] !== 'RXNORM' || row[REL.suppress] === 'O' || row[REL.suppress] === 'Y') continue;
      const rela = row[REL.rela] ?? '';
      const rule = ORIENT.find((o) => o.relas.includes(rela));
      if (!rule) continue;
      const a = row[REL.rxcui1] ?? '';
      const b = row[REL.rxcui2] ?? '';
      const ta = ttyOf.get(a) ?? '';
      const tb = ttyOf.get(b) ?? '';
      let pair: [string, string] | undefined;
      if (rule.from.includes(ta) && rule.to.includes(tb)) pair = [a, b];
      else if (rule.from.includes(tb) && rule.to.includes(ta)) pair = [b, a];
      if (!pair) continue;
      const key = `${pair[0]}|${rule.rela}|${pair[1]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      relations.push([pair[0], rule.rela, pair[1]]);
    }
  }

  const ndcs: [string, string][] = [];
  const seenNdc = new Set<string>();
  if (existsSync(join(folder, 'RXNSAT.RRF'))) {
    files.push('RXNSAT.RRF');
    for await (const row of lines(join(folder, 'RXNSAT.RRF'))) {
      // ATN=NDC with SAB=RXNORM are NLM-normalized 11-digit NDCs (Technical Documentation, "NDCs in RxNorm").
      if (row[SAT.atn] !== 'NDC' || row[SAT.sab] !== 'RXNORM' || row[SAT.suppress] === 'O') continue;
      const rxcui = row[SAT.rxcui] ?? '';
      const ndc = row[SAT.atv] ?? '';
      if (!/^\d{11}$/.test(ndc) || !ttyOf.has(rxcui) || seenNdc.has(ndc)) continue;
      seenNdc.add(ndc);
      ndcs.push([ndc, rxcui]);
    }
  }
  return {
    format: VOCABULARY_FORMAT,
    version: VOCABULARY_VERSION,
    source: { kind: 'rxnorm-rrf', files },
    loadedAt: new Date().toISOString(),
    concepts,
    relations,
    ndcs,
  };
}
