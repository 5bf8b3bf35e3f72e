import { isValidAddress } from '../../src/biblepay/address';
import { Network } from '../../src/biblepay/network';
import { extractTag } from './wallet-http-client';

/** The 16 fields of the wallet's `Solution` header (PROTOCOL.md §1). */
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

/** Field order of the `Solution` header, exactly as the wallet writes it. */
export const SOLUTION_FIELD_ORDER: readonly (keyof SolutionFields)[] = [
  'blockHash',
  'blockTime',
  'prevBlockTime',
  'prevHeight',
  'bibleHash',
  'minerGuid',
  'workId',
  'threadId',
  'threadHashCounter',
  'threadStart',
  'hashCounter',
  'timerStart',
  'timerEnd',
  'nonce',
  'blockHex',
  'transactionHex',
];

export function formatSolution(fields: SolutionFields): string {
  return SOLUTION_FIELD_ORDER.map((name) => String(fields[name])).join(',');
}

/** What a `readytomine2` answer gives a wallet. */
export interface PoolWork {
  address: string;
  hashTarget: string;
  minerGuid: string;
  workId: string;
}

export type GetworkOutcome = { ok: true; work: PoolWork } | { ok: false; error: string };

/**
 * Reads a getwork answer the wallet's way: a non-empty ERROR is the error; else ADDRESS must be a
 * valid address of the wallet's network, HASHTARGET is its first 64 hex characters, MINERGUID and
 * WORKID must be non-empty.
 */
export function readGetworkAnswer(raw: string, network: Network): GetworkOutcome {
  const error = extractTag(raw, 'ERROR');
  if (error !== '') return { ok: false, error };
  const address = extractTag(raw, 'ADDRESS').trim();
  const hashTarget = extractTag(raw, 'HASHTARGET').trim().slice(0, 64).toLowerCase();
  const minerGuid = extractTag(raw, 'MINERGUID').trim();
  const workId = extractTag(raw, 'WORKID').trim();
  if (!isValidAddress(network, address)) {
    return { ok: false, error: `pool address ${address || '(none)'} is not a ${network} address` };
  }
  if (!/^[0-9a-f]{64}$/.test(hashTarget)) return { ok: false, error: 'HASHTARGET is not 64 hex' };
  if (minerGuid === '' || workId === '') return { ok: false, error: 'MINERGUID or WORKID missing' };
  return { ok: true, work: { address, hashTarget, minerGuid, workId } };
}

export type SolutionOutcome = { ok: true; workId: string } | { ok: false; error: string };

/** `<STATUS>ok</STATUS>` is accepted; a non-empty ERROR (or anything else) is a refusal. */
export function readSolutionAnswer(raw: string): SolutionOutcome {
  const error = extractTag(raw, 'ERROR');
  if (error !== '') return { ok: false, error };
  if (extractTag(raw, 'STATUS') === 'ok') return { ok: true, workId: extractTag(raw, 'WORKID') };
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(raw)?.[1];
  return { ok: false, error: `unexpected answer${status ? ` (HTTP ${status})` : ''}` };
}
