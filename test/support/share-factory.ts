import { randomAddress } from '../../src/biblepay/address';
import { craftSolution, Misbehaviour, requestWork, TipSource } from '../../sim/miner/sim-miner';
import { walletRequest } from '../../sim/miner/wallet-http-client';

export interface CraftedShare {
  workerId: string;
  workId: string;
  solution: string;
  bibleHash: string;
  misbehaviour: Misbehaviour;
  /** The block, when the share also meets the chain's target (what a wallet would submitblock). */
  blockHex?: string;
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function inBatches<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i], i);
      }
    }),
  );
  return results;
}

/**
 * Real shares for the current tip: a getwork each (through the frontend, so work rows exist),
 * then the simulated wallet's nonce search. `misbehave(i)` bends share i (default: all valid).
 */
export async function craftShares(options: {
  pool: string;
  node: string;
  count: number;
  miners?: number;
  /** The miners' addresses (steady load from the same miners); default `miners` new ones. */
  addresses?: readonly string[];
  misbehave?: (i: number) => Misbehaviour;
}): Promise<CraftedShare[]> {
  const tip = await new TipSource(options.node).get();
  const miners =
    options.addresses ?? Array.from({ length: options.miners ?? 20 }, () => randomAddress('main'));
  return inBatches(Array.from({ length: options.count }), 32, async (_x, i) => {
    const workerId = `${miners[i % miners.length]}/rig${i % 3}`;
    const misbehaviour = options.misbehave?.(i) ?? 'none';
    const work = await requestWork({
      pool: options.pool,
      network: 'main',
      workerId,
      threadId: i % 4,
    });
    const crafted = await craftSolution({
      work,
      tip,
      network: 'main',
      workerId,
      misbehaviour,
      yieldEvery: 4096,
    });
    return {
      workerId,
      workId: work.workId,
      solution: crafted.solution,
      bibleHash: crafted.fields.bibleHash,
      misbehaviour,
      ...(crafted.meetsNetworkTarget ? { blockHex: crafted.blockHex } : {}),
    };
  });
}

/** Submits every share as the wallet does; returns how many were answered `ok`. */
export async function submitShares(pool: string, shares: readonly CraftedShare[]): Promise<number> {
  const answers = await inBatches(shares, 32, (s) =>
    walletRequest({
      pool,
      action: 'solution',
      miner: s.workerId,
      network: 'main',
      solution: s.solution,
    }),
  );
  return answers.filter((a) => a.body.includes('<STATUS>ok</STATUS>')).length;
}
