import { isValidAddress } from '../../src/biblepay/address';
import { Network } from '../../src/biblepay/network';
import { extractTag } from './wallet-http-client';

// One definition of the 16-field `Solution` header for the pool and the simulated wallet alike.
export type { SolutionFields } from '../../src/biblepay/solution-string';
export { formatSolutionString as formatSolution } from '../../src/biblepay/solution-string';

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
