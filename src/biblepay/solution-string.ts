import { isHash } from './hash-target';

/** The 16 comma-separated fields of the wallet's `Solution` header, in order (docs/PROTOCOL.md §1). */
export interface SolutionFields {
  blockHash: string;
  blockTime: number;
  prevBlockTime: number;
  prevHeight: number;
  bibleHash: string;
  minerGuid: string;
  workId: string;
  threadId: number;
  threadHashCounter: number;
  threadStart: number;
  hashCounter: number;
  timerStart: number;
  timerEnd: number;
  nonce: number;
  blockHex: string;
  transactionHex: string;
}

export const SOLUTION_FIELD_COUNT = 16;
const MAX_HEX_LENGTH = 4 * 1024 * 1024;
const ID = /^[A-Za-z0-9-]{1,64}$/;
const UINT = /^\d{1,16}$/;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;

export type SolutionParseResult =
  { ok: true; fields: SolutionFields } | { ok: false; problem: string };

/**
 * Shape check only: every field present and of its kind. Whether the share is any good is the
 * backend's job; the frontend uses this to refuse garbage before it reaches the queue, and the
 * backend parses the same string again because it never trusts the frontend.
 */
export function parseSolutionString(raw: string): SolutionParseResult {
  const parts = raw.trim().split(',');
  // Tolerate one trailing comma; anything else must be exactly 16 fields.
  if (parts.length === SOLUTION_FIELD_COUNT + 1 && parts[SOLUTION_FIELD_COUNT] === '') parts.pop();
  if (parts.length !== SOLUTION_FIELD_COUNT) {
    return { ok: false, problem: `expected ${SOLUTION_FIELD_COUNT} fields, got ${parts.length}` };
  }
  const f = parts.map((p) => p.trim());
  const uint = (i: number, name: string): number => {
    if (!UINT.test(f[i])) throw new FieldError(`${name} is not a non-negative integer`);
    const n = Number(f[i]);
    if (!Number.isSafeInteger(n)) throw new FieldError(`${name} is too large`);
    return n;
  };
  const hash = (i: number, name: string): string => {
    if (!isHash(f[i].toLowerCase())) throw new FieldError(`${name} is not 64 hex characters`);
    return f[i].toLowerCase();
  };
  const id = (i: number, name: string): string => {
    if (!ID.test(f[i])) throw new FieldError(`${name} is missing or malformed`);
    return f[i];
  };
  const hex = (i: number, name: string): string => {
    if (f[i].length > MAX_HEX_LENGTH || !HEX.test(f[i])) throw new FieldError(`${name} is not hex`);
    return f[i].toLowerCase();
  };
  try {
    const fields: SolutionFields = {
      blockHash: hash(0, 'block_hash'),
      blockTime: uint(1, 'block_time'),
      prevBlockTime: uint(2, 'prev_block_time'),
      prevHeight: uint(3, 'prev_height'),
      bibleHash: hash(4, 'bible_hash'),
      minerGuid: id(5, 'miner_guid'),
      workId: id(6, 'work_id'),
      threadId: uint(7, 'thread_id'),
      threadHashCounter: uint(8, 'thread_hash_counter'),
      threadStart: uint(9, 'thread_start'),
      hashCounter: uint(10, 'hash_counter'),
      timerStart: uint(11, 'timer_start'),
      timerEnd: uint(12, 'timer_end'),
      nonce: uint(13, 'nonce'),
      blockHex: hex(14, 'block_hex'),
      transactionHex: hex(15, 'transaction_hex'),
    };
    return { ok: true, fields };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, problem: error.message };
    throw error;
  }
}

class FieldError extends Error {}

/** Hashes per second as docs/PROTOCOL.md defines it, guarded against zero or negative run time. */
export function hashesPerSecond(
  fields: Pick<SolutionFields, 'hashCounter' | 'timerStart' | 'timerEnd'>,
): number {
  const elapsedMs = fields.timerEnd - fields.timerStart;
  if (elapsedMs <= 0) return 0;
  return Math.floor((1000 * fields.hashCounter) / elapsedMs);
}

/** Builds the header value from fields (the simulated miner and tests use it). */
export function formatSolutionString(f: SolutionFields): string {
  return [
    f.blockHash,
    f.blockTime,
    f.prevBlockTime,
    f.prevHeight,
    f.bibleHash,
    f.minerGuid,
    f.workId,
    f.threadId,
    f.threadHashCounter,
    f.threadStart,
    f.hashCounter,
    f.timerStart,
    f.timerEnd,
    f.nonce,
    f.blockHex,
    f.transactionHex,
  ].join(',');
}
