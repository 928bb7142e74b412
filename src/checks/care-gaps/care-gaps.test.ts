// Vaccine care gaps from CDSi-format supporting data (a small hand-written fixture, not the CDC release).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addDuration, createCareGapEngine, VACCINE_GROUP_PLANS } from './care-gaps.ts';
import { parseAntigenSupportingData } from './cdsi-supporting-data.ts';

const CDSI_FIXTURE = fileURLToPath(new URL('../../../test/fixtures/cdsi/', import.meta.url));
const plans = VACCINE_GROUP_PLANS.filter((p) => ['Zoster', 'Td/Tdap', 'Influenza'].includes(p.group));
const engine = createCareGapEngine(CDSI_FIXTURE, plans);
const asOf = new Date('2026-01-15T12:00:00Z');

function gaps(birthDate: string, immunizations: Array<{ cvx: string; date: string }>) {
  return Object.fromEntries(
    engine.evaluate({ birthDate, immunizations, asOf }).map((g) => [g.vaccineGroup, g.status]),
  );
}

describe('care gaps', () => {
  it('reads series, doses, intervals, CVX codes and seasons from the supporting data', () => {
    const xml = `<antigenSupportingData><series><seriesName>S</seriesName><seriesType>Standard</seriesType>
      <selectSeries><defaultSeries>Yes</defaultSeries></selectSeries>
      <seriesDose><doseNumber>Dose 1</doseNumber><age><minAge>50 years</minAge></age>
      <interval><fromPrevious>Y</fromPrevious><minInt>4 weeks</minInt></interval>
      <preferableVaccine><cvx>187</cvx></preferableVaccine><allowableVaccine><cvx>121</cvx></allowableVaccine>
      <recurringDose>No</recurringDose></seriesDose></series></antigenSupportingData>`;
    const [series] = parseAntigenSupportingData(xml, 'Zoster').series;
    expect(series?.defaultSeries).toBe(true);
    expect(series?.doses[0]?.minAge).toBe('50 years');
    expect([...(series?.doses[0]?.cvx ?? [])]).toEqual(['187', '121']);
    expect(series?.doses[0]?.intervals[0]).toMatchObject({ fromPrevious: true, minInt: '4 weeks' });
  });

  it('adds CDSi durations in years, months, then days', () => {
    expect(addDuration(new Date('2020-01-31T00:00:00Z'), '10 years + 4 weeks').toISOString()).toBe(
      '2030-02-28T00:00:00.000Z',
    );
    expect(addDuration(new Date('2020-03-01T00:00:00Z'), '-4 days').toISOString().slice(0, 10)).toBe(
      '2020-02-26',
    );
  });

  it('a 60-year-old with no history: zoster, Td/Tdap and influenza all due', () => {
    expect(gaps('1965-06-01', [])).toEqual({ Influenza: 'due', 'Td/Tdap': 'due', Zoster: 'due' });
  });

  it('the second zoster dose is due 2 months after the first and overdue after 6', () => {
    expect(gaps('1965-06-01', [{ cvx: '187', date: '2025-12-01' }])['Zoster']).toBe('not-due');
    expect(gaps('1965-06-01', [{ cvx: '187', date: '2025-10-01' }])['Zoster']).toBe('due');
    expect(gaps('1965-06-01', [{ cvx: '187', date: '2025-06-01' }])['Zoster']).toBe('overdue');
    const complete = [
      { cvx: '187', date: '2025-03-01' },
      { cvx: '187', date: '2025-06-01' },
    ];
    expect(gaps('1965-06-01', complete)['Zoster']).toBe('complete');
  });

  it('a dose before the minimum age or interval does not count', () => {
    const tooSoon = [
      { cvx: '187', date: '2025-10-01' },
      { cvx: '187', date: '2025-10-10' },
    ];
    expect(gaps('1965-06-01', tooSoon)['Zoster']).toBe('due');
    expect(gaps('1976-01-20', [])['Zoster']).toBe('not-due');
  });

  it('Td/Tdap every 10 years, overdue past the latest interval; influenza once per season', () => {
    expect(gaps('1965-06-01', [{ cvx: '115', date: '2020-05-01' }])['Td/Tdap']).toBe('complete');
    expect(gaps('1965-06-01', [{ cvx: '113', date: '2015-12-20' }])['Td/Tdap']).toBe('due');
    expect(gaps('1965-06-01', [{ cvx: '113', date: '2010-01-01' }])['Td/Tdap']).toBe('overdue');
    expect(gaps('1965-06-01', [{ cvx: '150', date: '2025-10-01' }])['Influenza']).toBe('complete');
    expect(gaps('1965-06-01', [{ cvx: '150', date: '2025-03-01' }])['Influenza']).toBe('due');
  });

  it('names the missing antigen when the data folder lacks it', () => {
    expect(() => createCareGapEngine(CDSI_FIXTURE)).toThrow(/CDSi supporting data for \w+ not found/);
  });
});
