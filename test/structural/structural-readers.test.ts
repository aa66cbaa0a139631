/**
 * The structural readers on the real State Department, ForeignAssistance.gov, SIPRI and
 * New America files (../shared/data, never edited) and on small hand-written fixtures.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseSipriTiv } from '../../src/adapters/structural/sipri-tiv-reader.ts';
import { parseStrikes } from '../../src/adapters/structural/strikes-reader.ts';
import { FileImportError, type PointRecord, rejectReason } from '../../src/adapters/structural/structural-records.ts';
import { parseUngaCoincidence, yearFromFileName } from '../../src/adapters/structural/unga-coincidence-reader.ts';
import { parseUngaVotes } from '../../src/adapters/structural/unga-votes-reader.ts';
import { fiscalPeriod, parseUsAid } from '../../src/adapters/structural/us-aid-reader.ts';
import { SHARED_DATA } from '../support/shared-data.ts';

const DATA = SHARED_DATA;
const FIXTURES = join(import.meta.dirname, 'fixtures');
const read = (path: string) => readFileSync(path, 'utf8');
const coincidenceFile = (year: number) => join(DATA, 'unga', `state-dept_un-coincidence-${year}.csv`);
const coincidence = (year: number) => parseUngaCoincidence(read(coincidenceFile(year)), coincidenceFile(year));
const pointFor = (records: readonly unknown[], b: string) => (records as PointRecord[]).find((r) => r.b === b);

describe('unga-coincidence: the State Department tables 2018–2023', () => {
  it("Pakistan's coincidence with the US: 0.21, 0.26, 0.26, 0.33, 0.35, 0.36", () => {
    const values = [2018, 2019, 2020, 2021, 2022, 2023].map((y) => pointFor(coincidence(y).records, 'PAK')?.value);
    assert.deepEqual(values, [0.21, 0.26, 0.26, 0.33, 0.35, 0.36]);
  });

  it('every file imports all 192 member states with no reject', () => {
    for (const y of [2018, 2019, 2020, 2021, 2022, 2023]) {
      const p = coincidence(y);
      assert.equal(p.records.length, 192, `${y}`);
      assert.deepEqual(p.rejects, [], `${y}`);
    }
  });

  it('dates and knownAt: 31 December, and 31 March of the next year (the statutory report deadline)', () => {
    const p = pointFor(coincidence(2018).records, 'PAK');
    assert.equal(p?.date, '2018-12-31');
    assert.equal(p?.knownAt, '2019-03-31');
    assert.deepEqual([p?.a, p?.measure], ['USA', 'coincidence']);
  });

  it('quirk: byte-order mark (2021–2023) — the first column is still COUNTRY', () => {
    assert.ok(read(coincidenceFile(2021)).startsWith('\uFEFF'));
    assert.equal(pointFor(coincidence(2021).records, 'AFG')?.detail.country, 'Afghanistan');
  });

  it('quirk: column order changes by year — 2020 has PARTIAL before OPPOSITE', () => {
    // 2020 header: SAME,PARTIAL,OPPOSITE — Pakistan 14,22,62
    assert.deepEqual(pointFor(coincidence(2020).records, 'PAK')?.detail, {
      country: 'Pakistan',
      same: 14,
      opposite: 62,
      partial: 22,
      absent: 2,
    });
  });

  it('quirk: OPPOSE (2022–) read as OPPOSITE', () => {
    assert.equal(pointFor(coincidence(2022).records, 'PAK')?.detail.opposite, 44);
  });

  it('quirk: no trailing newline — the last row (Zimbabwe) is kept', () => {
    assert.ok(!read(coincidenceFile(2021)).endsWith('\n'));
    assert.equal(pointFor(coincidence(2021).records, 'ZWE')?.value, 0.26);
  });

  it('quirk: a country name quoted across two lines keeps the line it starts on', () => {
    const prk = pointFor(coincidence(2021).records, 'PRK');
    assert.equal(prk?.detail.country, 'Democratic People’s Republic of Korea');
    const lines = read(coincidenceFile(2021)).split('\n');
    assert.ok(lines[(prk?.line ?? 0) - 1]?.startsWith('"Democratic People’s'));
  });

  it('quirk: a fraction without a leading zero (".50", Venezuela 2023)', () => {
    assert.equal(pointFor(coincidence(2023).records, 'VEN')?.value, 0.5);
  });

  it('bad rows are rejected with line, field and raw text; good rows still import', () => {
    const file = join(FIXTURES, 'coincidence-bad.csv');
    const p = parseUngaCoincidence(read(file), file, { year: 2023 });
    assert.equal(p.records.length, 1);
    assert.deepEqual(
      p.rejects.map((r) => [r.line, rejectReason(r)]),
      [
        [3, 'ISO: "XX" is not a three-letter ISO code'],
        [4, 'SAME: "a" is not a whole number of votes'],
        [5, 'COINCIDENCE: "1.5" is not a fraction between 0 and 1'],
        [6, 'ISO: PAK appears again (first on line 2)'],
      ],
    );
    assert.equal(p.rejects[0]?.details.raw, 'Nowhere,XX,1,1,1,1,0.5');
  });

  it('a file without a year or a needed column is refused as a whole', () => {
    assert.throws(() => parseUngaCoincidence('COUNTRY,ISO\n', 'x.csv'), FileImportError);
    assert.throws(
      () => parseUngaCoincidence('COUNTRY,ISO,SAME\n', 'x-2020.csv'),
      (e: FileImportError) =>
        e.problem.line === 1 && e.problem.code === 'missing-column' && /OPPOSITE \(or OPPOSE\)/.test(e.problem.message),
    );
    assert.equal(yearFromFileName('/a/2019/state-dept_un-coincidence-2018.csv'), 2018);
  });
});

describe('unga-votes: long and wide roll calls (hand-written fixtures)', () => {
  it('long form (Voeten): year from date, ISO3 from Country, absent kept as 0, bad votes rejected with line', () => {
    const file = join(FIXTURES, 'votes-long.csv');
    const p = parseUngaVotes(read(file), file);
    assert.equal(p.layout, 'long');
    assert.equal(p.records.length, 15);
    const usa4 = p.records.find((r) => r.kind === 'vote' && r.rcid === '4' && r.country === 'USA');
    assert.deepEqual(usa4, { kind: 'vote', line: 11, rcid: '4', year: 2018, date: '2018-12-20', country: 'USA', vote: 0 });
    assert.deepEqual(
      p.rejects.map((r) => [r.line, rejectReason(r)]),
      [
        [17, 'vote: "7" is not a vote (1 yes, 2 abstain, 3 no, 8 absent, 9 not a member)'],
        [18, 'ccode: "999" is not a known COW state code'],
      ],
    );
  });

  it('long form with only COW codes maps them to ISO3; year from the year column', () => {
    const file = join(FIXTURES, 'votes-voeten-ccode.csv');
    const p = parseUngaVotes(read(file), file);
    assert.deepEqual(
      p.records.map((r) => (r.kind === 'vote' ? [r.country, r.year, r.vote] : [])),
      [
        ['USA', 2000, 1],
        ['PAK', 2000, 3],
      ],
    );
  });

  it('wide form: one column per ISO3 country, words or codes, empty = absent, a bad cell rejects its row', () => {
    const file = join(FIXTURES, 'votes-wide.csv');
    const p = parseUngaVotes(read(file), file);
    assert.equal(p.layout, 'wide');
    assert.equal(p.records.length, 16);
    assert.deepEqual(
      p.rejects.map((r) => [r.line, rejectReason(r)]),
      [[7, 'PAK: "maybe" is not a vote (1 yes, 2 abstain, 3 no, 8 absent, 9 not a member)']],
    );
    assert.equal(p.records.find((r) => r.kind === 'vote' && r.rcid === '11')?.line, 4);
  });

  it('refuses a file with neither layout, and votes with no year and no roll-call table', () => {
    assert.throws(() => parseUngaVotes('rcid,foo\n1,2\n', 'x.csv'), FileImportError);
    assert.throws(() => parseUngaVotes('rcid,country_code,vote\n1,US,yes\n', 'x.csv'), /give the roll-call table/);
    // rcid with a year and no votes is a roll-call table.
    assert.equal(parseUngaVotes('rcid,year,comment\n1,2000,x\n', 'x.csv').layout, 'roll-calls');
  });
});

describe('us-aid: ForeignAssistance.gov', () => {
  it('fiscal years: June year-ends up to FY1976, the 1976 transition quarter, September from FY1977', () => {
    assert.deepEqual(fiscalPeriod('1976'), { date: '1976-06-30', period: 'FY1976', year: 1976 });
    assert.deepEqual(fiscalPeriod('1976tq'), { date: '1976-09-30', period: 'FY1976TQ', year: 1976 });
    assert.deepEqual(fiscalPeriod('2022'), { date: '2022-09-30', period: 'FY2022', year: 2022 });
    assert.equal(fiscalPeriod('1977tq'), undefined);
  });

  it('fixture: constant and current points per row; NULL codes, bad years and unknown types rejected by line', () => {
    const file = join(FIXTURES, 'aid-small.csv');
    const p = parseUsAid(read(file), file);
    const tq = (p.records as PointRecord[]).filter((r) => r.period === 'FY1976TQ');
    assert.deepEqual(
      tq.map((r) => [r.measure, r.value, r.date, r.knownAt]),
      [
        ['aid', 230934479, '1976-09-30', '1976-10-01'],
        ['aid-current', 64500000, '1976-09-30', '1976-10-01'],
      ],
    );
    assert.deepEqual(
      p.rejects.map((r) => r.line),
      [5, 6, 7],
    );
    assert.match(rejectReason(p.rejects[0] ?? { message: '' }), /country_code: NULL for "Berlin, West"/);
  });

  it('the real file: 21,973 rows = 21,914 imported (two points each) + 59 NULL-coded rejects', () => {
    const file = join(DATA, 'foreign-aid', 'us_foreign_aid_country.csv');
    const p = parseUsAid(read(file), file);
    assert.equal(p.records.length / 2 + p.rejects.length, 21973);
    assert.equal(p.rejects.length, 59);
    const pak = (p.records as PointRecord[]).filter((r) => r.b === 'PAK' && r.measure === 'aid');
    assert.equal(pak.length, 74);
  });
});

describe('sipri-tiv: TIV export tables', () => {
  it('fixture: notes skipped, blank = none, 0 = below $0.5m, footnote kept, Total not stored, bad cell rejected', () => {
    const file = join(FIXTURES, 'sipri-small.csv');
    const p = parseSipriTiv(read(file), file);
    const pak = (p.records as PointRecord[]).filter((r) => r.b === 'PAK');
    assert.deepEqual(
      pak.map((r) => [r.a, r.period, r.value, r.detail.qualifier, r.knownAt]),
      [
        ['CHN', '1990', 5, 'reported', '2022-07-28'],
        ['CHN', '1991', 0, 'none', '2022-07-28'],
        ['CHN', '1992', 0, 'below 0.5m', '2022-07-28'],
      ],
    );
    const kr = (p.records as PointRecord[]).find((r) => r.b === 'name:Khmer Rouge (Cambodia)' && r.period === '1991');
    assert.deepEqual([kr?.value, kr?.detail.footnote], [2, '*']);
    assert.deepEqual(
      p.rejects.map((r) => [r.line, rejectReason(r)]),
      [[8, '1990: "x" is not a TIV (millions), a 0 or blank']],
    );
    assert.deepEqual(p.skipped, { 'note line': 4, header: 1, 'blank line': 1, 'printed Total row': 1 });
  });

  it('real tables: US and Chinese transfers to Pakistan (yearly values sum to 8519 and 17263; printed totals 8514 and 17257)', () => {
    const total = (code: string) => {
      const file = join(DATA, 'sipri', `TIV-Export-${code}-1950-2021.csv`);
      const p = parseSipriTiv(read(file), file);
      assert.deepEqual(p.rejects, []);
      return (p.records as PointRecord[]).filter((r) => r.b === 'PAK').reduce((s, r) => s + r.value, 0);
    };
    // "Figures may not add up due to the conventions of rounding": the US row prints Total 8514
    assert.equal(total('USA'), 8519);
    assert.equal(total('CHI'), 17263); // printed Total 17257
  });
});

describe('strikes: New America drone strikes in Pakistan', () => {
  const file = join(DATA, 'drone-strikes', 'newamerica_pakistan_drone_attacks.csv');
  const p = parseStrikes(read(file), file, { dyad: ['USA', 'PAK'] });

  it('414 records from 416 physical lines (an embedded newline), none rejected', () => {
    assert.equal(p.records.length, 414);
    assert.deepEqual(p.rejects, []);
  });

  it('the record with an embedded newline keeps its starting line; later lines stay aligned', () => {
    const text = read(file).split('\n');
    const at = p.records.findIndex((r) => r.kind === 'incident' && r.date === '2009-04-29');
    const next = p.records[at + 1];
    assert.ok(text[(next?.line ?? 0) - 1]?.startsWith('1,'));
  });

  it('duplicate Source columns are all kept as detail.sources', () => {
    const first = p.records[0];
    assert.deepEqual(first?.kind === 'incident' ? first.detail.sources : undefined, ['New York Times', 'CNN', 'New York Times']);
  });

  it('a year that disagrees with the date is a reject', () => {
    const q = parseStrikes('strikes,date,year\n1,6/19/2004,2005\n1,2/30/2004,2004\n', 'x.csv', { dyad: ['USA', 'PAK'] });
    assert.deepEqual(
      q.rejects.map((r) => [r.line, rejectReason(r)]),
      [
        [2, 'year: 2005 does not match date 6/19/2004'],
        [3, 'date: "2/30/2004" is not a date (M/D/YYYY or YYYY-MM-DD)'],
      ],
    );
  });
});
