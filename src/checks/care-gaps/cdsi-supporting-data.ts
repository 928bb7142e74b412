// Reads the CDC CDSi supporting data (ACIP schedule as data): antigen series, target doses, ages, intervals, CVX.
// Loaded from a directory given at run time (the `xml/` folder of a CDSi release, or its parent).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { XmlElement } from './xml-elements.ts';
import { child, childrenNamed, parseXmlElements, textOf } from './xml-elements.ts';

export interface CdsiInterval {
  fromPrevious: boolean;
  /** CDSi durations ("4 weeks", "10 years + 4 weeks"); empty when not stated. */
  minInt: string;
  earliestRecInt: string;
  latestRecInt: string;
}

export interface CdsiSeriesDose {
  doseNumber: string;
  absMinAge: string;
  minAge: string;
  earliestRecAge: string;
  latestRecAge: string;
  maxAge: string;
  intervals: CdsiInterval[];
  /** Preferable and allowable vaccines (CVX). */
  cvx: ReadonlySet<string>;
  recurring: boolean;
  /** Seasonal window (YYYYMMDD) for seasonal doses such as influenza and COVID-19. */
  seasonStart?: string;
  seasonEnd?: string;
}

export interface CdsiSeries {
  name: string;
  type: string;
  defaultSeries: boolean;
  minAgeToStart: string;
  maxAgeToStart: string;
  doses: CdsiSeriesDose[];
}

export interface CdsiAntigen {
  antigen: string;
  series: CdsiSeries[];
}

function dose(d: XmlElement): CdsiSeriesDose {
  const age = child(d, 'age');
  const cvx = new Set<string>();
  for (const kind of ['preferableVaccine', 'allowableVaccine']) {
    for (const v of childrenNamed(d, kind)) {
      const code = textOf(v, 'cvx');
      if (code) cvx.add(code);
    }
  }
  const season = child(d, 'seasonalRecommendation');
  const result: CdsiSeriesDose = {
    doseNumber: textOf(d, 'doseNumber'),
    absMinAge: textOf(age, 'absMinAge'),
    minAge: textOf(age, 'minAge'),
    earliestRecAge: textOf(age, 'earliestRecAge'),
    latestRecAge: textOf(age, 'latestRecAge'),
    maxAge: textOf(age, 'maxAge'),
    intervals: childrenNamed(d, 'interval').map((i) => ({
      fromPrevious: textOf(i, 'fromPrevious') === 'Y',
      minInt: textOf(i, 'minInt'),
      earliestRecInt: textOf(i, 'earliestRecInt'),
      latestRecInt: textOf(i, 'latestRecInt'),
    })),
    cvx,
    recurring: textOf(d, 'recurringDose') === 'Yes',
  };
  const start = textOf(season, 'startDate');
  const end = textOf(season, 'endDate');
  if (start) result.seasonStart = start;
  if (end) result.seasonEnd = end;
  return result;
}

export function parseAntigenSupportingData(xml: string, antigen: string): CdsiAntigen {
  const root = child(parseXmlElements(xml), 'antigenSupportingData');
  return {
    antigen,
    series: childrenNamed(root, 'series').map((s) => {
      const select = child(s, 'selectSeries');
      return {
        name: textOf(s, 'seriesName'),
        type: textOf(s, 'seriesType'),
        defaultSeries: textOf(select, 'defaultSeries') === 'Yes',
        minAgeToStart: textOf(select, 'minAgeToStart'),
        maxAgeToStart: textOf(select, 'maxAgeToStart'),
        doses: childrenNamed(s, 'seriesDose').map(dose),
      };
    }),
  };
}

/** Loads the named antigens from `dir` (a CDSi release folder or its `xml/` sub-folder). */
export function loadCdsiAntigens(dir: string, antigens: readonly string[]): Map<string, CdsiAntigen> {
  const folder = existsSync(join(dir, 'xml')) ? join(dir, 'xml') : dir;
  const nested = readdirSync(folder).find((f) => /^cdsi-supporting-data/i.test(f));
  const base = nested && existsSync(join(folder, nested, 'xml')) ? join(folder, nested, 'xml') : folder;
  const files = readdirSync(base);
  const result = new Map<string, CdsiAntigen>();
  for (const antigen of antigens) {
    // CDC's file names: "AntigenSupportingData- Zoster-508.xml".
    const file = files.find((f) =>
      new RegExp(
        `^AntigenSupportingData-\\s*${antigen.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')}(-508)?\\.xml$`,
        'i',
      ).test(f),
    );
    if (!file) throw new Error(`CDSi supporting data for ${antigen} not found`);
    result.set(antigen, parseAntigenSupportingData(readFileSync(join(base, file), 'utf8'), antigen));
  }
  return result;
}
