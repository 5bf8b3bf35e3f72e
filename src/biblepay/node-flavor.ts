import { Network } from './network';

/**
 * The two generations of BiblePay node a pool may be pointed at (docs/FIDELITY.md):
 * - `classic`: biblepay_legacy 1.1.x–1.2.x (1.1.3.8, 1.2.0.1);
 * - `evo`: biblepay 1.4.x ("Evolution", 1.4.4.8, 1.4.8.4).
 * They differ in what the pool sends (`sendmany`'s parameter layout, `exec hexblocktocoinbase`'s
 * arity) and in what they answer (CPID members, `Command`).
 */
export type NodeFlavor = 'classic' | 'evo';
export const NODE_FLAVORS: readonly NodeFlavor[] = ['classic', 'evo'];
/** NODE_FLAVOR_<NET>: a generation, or `auto` (from the node's `getnetworkinfo`). */
export type NodeFlavorSetting = NodeFlavor | 'auto';

/**
 * CLIENT_VERSION of the first Evo release line. Classic tops out at 1020001 (1.2.0.1, the newest
 * biblepay_legacy tag, configure.ac:3-6 @1.2.0.1); Evo starts at 1.4 (1040408 = 1.4.4.8,
 * configure.ac:3-6 @1.4.4.8). `getnetworkinfo.version` is CLIENT_VERSION (src/rpcnet.cpp:499
 * @1.2.0.1, src/rpc/net.cpp:438 @1.4.4.8).
 */
export const EVO_MIN_CLIENT_VERSION = 1_040_000;

export function flavorFromVersion(clientVersion: number): NodeFlavor {
  return clientVersion >= EVO_MIN_CLIENT_VERSION ? 'evo' : 'classic';
}

/** 1020001 → "1.2.0.1" (CLIENT_VERSION = 1000000·major + 10000·minor + 100·revision + build). */
export function versionText(clientVersion: number): string {
  const major = Math.floor(clientVersion / 1_000_000);
  const minor = Math.floor(clientVersion / 10_000) % 100;
  const revision = Math.floor(clientVersion / 100) % 100;
  const build = clientVersion % 100;
  return `${major}.${minor}.${revision}.${build}`;
}

/**
 * Proof-of-distributed-computing window of the classic chain, by the prev block's height:
 * `PODCEnabled(h)` is `33440 < h < PODC_LAST_BLOCK` (src/rpcpog.cpp:2267-2275 @1.2.0.1; the testnet
 * uses the production F11000 height as its lower bound). PODC_LAST_BLOCK_PROD = 107,000 ("March
 * 13th, 2019"), PODC_LAST_BLOCK_TESTNET = 126,150 (src/main.h:90,92 @1.2.0.1). Only inside it does a
 * classic wallet sign its coinbase with a CPID (src/miner.cpp:315-318 @1.2.0.1) and a classic node
 * judge the CPID (src/rpcblockchain.cpp:1912 @1.2.0.1).
 */
export const PODC_WINDOW: Record<Network, { after: number; before: number }> = {
  main: { after: 33_440, before: 107_000 },
  test: { after: 33_440, before: 126_150 },
};

export function podcEnabled(network: Network, prevHeight: number): boolean {
  const w = PODC_WINDOW[network];
  return prevHeight > w.after && prevHeight < w.before;
}

/**
 * Where the real chain asked for a CPID signature: a classic node, a share whose prev block lies in
 * the PODC window. Evo nodes answer no CPID members at all (src/rpc/blockchain.cpp:2000-2042
 * @1.4.4.8), and the Evo chain starts after the PODC end (EVOLUTION_CUTOVER_HEIGHT 123,200,
 * src/chainparams.cpp:185 @1.4.4.8).
 */
export function cpidRequired(
  setting: boolean | 'auto',
  flavor: NodeFlavor,
  network: Network,
  prevHeight: number,
): boolean {
  if (setting !== 'auto') return setting;
  return flavor === 'classic' && podcEnabled(network, prevHeight);
}
