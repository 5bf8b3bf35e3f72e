import {
  formatSolutionString,
  hashesPerSecond,
  parseSolutionString,
  SolutionFields,
} from './solution-string';

const fields: SolutionFields = {
  blockHash: 'ab'.repeat(32),
  blockTime: 1_700_000_000,
  prevBlockTime: 1_699_999_580,
  prevHeight: 123_456,
  bibleHash: '00000' + 'f'.repeat(59),
  minerGuid: '2f1c7a52-8c1e-4a0b-9d55-5e8f3f0b7a11',
  workId: '7a0f6c1e-3b9d-4f7e-8a21-0c5d9e4b6f33',
  threadId: 3,
  threadHashCounter: 1000,
  threadStart: 1_700_000_000_000,
  hashCounter: 50_000,
  timerStart: 1_700_000_000_000,
  timerEnd: 1_700_000_010_000,
  nonce: 777,
  blockHex: '0a0b0c',
  transactionHex: 'ff00',
};

describe("solution string (the wallet's 16-field Solution header)", () => {
  it('parses the 16 fields in docs/PROTOCOL.md order', () => {
    expect(parseSolutionString(formatSolutionString(fields))).toEqual({ ok: true, fields });
  });

  it('lower-cases hex fields and tolerates one trailing comma', () => {
    const upper = formatSolutionString({ ...fields, blockHash: 'AB'.repeat(32) }) + ',';
    const parsed = parseSolutionString(upper);
    expect(parsed.ok && parsed.fields.blockHash).toBe('ab'.repeat(32));
  });

  it.each([
    ['15 fields', formatSolutionString(fields).split(',').slice(0, 15).join(',')],
    ['17 fields', formatSolutionString(fields) + ',x,'],
    ['a short block hash', formatSolutionString({ ...fields, blockHash: 'abc' })],
    ['a non-numeric time', formatSolutionString(fields).replace('1700000000,', 'soon,')],
    ['an empty work id', formatSolutionString({ ...fields, workId: '' })],
    ['a work id with markup', formatSolutionString({ ...fields, workId: '<x>' })],
    ['odd-length block hex', formatSolutionString({ ...fields, blockHex: 'abc' })],
    ['an empty coinbase hex', formatSolutionString({ ...fields, transactionHex: '' })],
    ['a fractional nonce', formatSolutionString(fields).replace(',777,', ',7.5,')],
    ['a 17-digit counter', formatSolutionString(fields).replace(',50000,', ',12345678901234567,')],
  ])('refuses %s', (_name, raw) => {
    expect(parseSolutionString(raw).ok).toBe(false);
  });

  it('computes hashes per second as 1000 * hash_counter / (timer_end - timer_start)', () => {
    expect(hashesPerSecond(fields)).toBe(5000);
  });

  it('guards hashes per second against zero and negative run time', () => {
    expect(hashesPerSecond({ ...fields, timerEnd: fields.timerStart })).toBe(0);
    expect(hashesPerSecond({ ...fields, timerEnd: fields.timerStart - 5 })).toBe(0);
  });
});
