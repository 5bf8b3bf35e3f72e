import { createHash, randomBytes } from 'node:crypto';
import { formatSolutionString, SolutionFields } from '../../src/biblepay/solution-string';
import type { SolutionMessage } from '../../src/messaging/solution-message';

/** A well-formed 16-field solution string (shape only; the hashes are random). */
export function wellFormedSolution(overrides: Partial<SolutionFields> = {}): string {
  const now = Date.now();
  const hex = (n: number): string => randomBytes(n).toString('hex');
  return formatSolutionString({
    blockHash: createHash('sha256').update(hex(8)).digest('hex'),
    blockTime: Math.floor(now / 1000),
    prevBlockTime: Math.floor(now / 1000) - 420,
    prevHeight: 1000,
    bibleHash: hex(32),
    minerGuid: '2f1c7a52-8c1e-4a0b-9d55-5e8f3f0b7a11',
    workId: '7a0f6c1e-3b9d-4f7e-8a21-0c5d9e4b6f33',
    threadId: 0,
    threadHashCounter: 5000,
    threadStart: now - 60_000,
    hashCounter: 20_000,
    timerStart: now - 120_000,
    timerEnd: now,
    nonce: 4242,
    blockHex: hex(200),
    transactionHex: hex(80),
    ...overrides,
  });
}

/** A SolutionMessage as a frontend publishes it, its id readable from `n` (…000000000007). */
export function solutionMessage(
  n: number,
  overrides: Partial<SolutionMessage> = {},
): SolutionMessage {
  return {
    v: 1,
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    network: 'main',
    solution: 'x',
    miner: 'addr',
    threadId: null,
    ip: null,
    agent: null,
    os: null,
    receivedAt: 0,
    ...overrides,
  };
}
