import { Network } from '../../src/biblepay/network';
import { podcEnabled, versionText } from '../../src/biblepay/node-flavor';

/**
 * Which real BiblePay node the simulator answers as (docs/FIDELITY.md): SIM_FLAVOR picks the
 * generation, SIM_CLIENT_VERSION the release inside it (CLIENT_VERSION, as getnetworkinfo gives it).
 */
export type SimFlavor = 'classic' | 'evo';

export interface SimGeneration {
  flavor: SimFlavor;
  /** 1010308 = 1.1.3.8, 1020001 = 1.2.0.1, 1040408 = 1.4.4.8, 1040804 = 1.4.8.4. */
  clientVersion: number;
}

export function defaultClientVersion(flavor: SimFlavor): number {
  return flavor === 'evo' ? 1_040_408 : 1_020_001;
}

/** 1.2.0.1 and later write numbers in `blockversion`; 1.1.x the `<VER>` text. */
export function numericBlockVersions(g: SimGeneration): boolean {
  return g.clientVersion >= 1_020_000;
}

/**
 * GetBlockVersion: the `<VER>` text without dots as a number, a fourth digit "0" appended to a
 * three-digit one ("1.2.0.1" → 1201; src/main.cpp:8380-8387 @1.2.0.1).
 */
export function blockVersionNumber(ver: string): number {
  let digits = ver.replace(/\./g, '');
  if (digits.length === 3) digits += '0';
  const n = Number(digits);
  return Number.isFinite(n) ? n : 0;
}

/** Evo 1.4.8 answers `exec hexblocktocoinbase` with the separate RPC's shape (no Command). */
export function evo148(g: SimGeneration): boolean {
  return g.flavor === 'evo' && g.clientVersion >= 1_040_800;
}

/** F14000_CUTOVER_HEIGHT (src/main.h:86-87 @1.2.0.1): above it a recent-block CPID stays legal. */
const F14000: Record<Network, number> = { main: 77_000, test: 54_300 };

/**
 * The classic node's CPID verdict on a block (src/rpcblockchain.cpp:2255-2293 @1.1.3.8,
 * :1904-1944 @1.2.0.1): legality is judged only for a header younger than 15 minutes, and on
 * 1.2.x only while PODC is on at the node's tip; a missing signature is an invalid one.
 */
export function classicCpidVerdict(
  g: SimGeneration,
  network: Network,
  tipHeight: number,
  headerAgeSeconds: number,
  cpid: { signatureValid: boolean; legal: boolean; legalityNarr: string } | undefined,
): { cpid_sig_valid: boolean; cpid_legal: boolean; cpid_legality_narr: string } {
  const sigValid = cpid?.signatureValid === true;
  const judged =
    headerAgeSeconds < 15 * 60 && (g.clientVersion < 1_020_000 || podcEnabled(network, tipHeight));
  if (!judged) return { cpid_sig_valid: sigValid, cpid_legal: true, cpid_legality_narr: '' };
  if (!sigValid) {
    return {
      cpid_sig_valid: false,
      cpid_legal: false,
      cpid_legality_narr: 'CPID_SIGNATURE_INVALID',
    };
  }
  if (cpid && !cpid.legal) {
    const narr = cpid.legalityNarr || 'CPID_SOLVED_RECENT_BLOCK';
    // 1.2.0.1 above F14000 names the reason but leaves the flag true (:1918-1923 @1.2.0.1).
    const stillLegal = g.clientVersion >= 1_020_000 && tipHeight > F14000[network];
    return { cpid_sig_valid: true, cpid_legal: stillLegal, cpid_legality_narr: narr };
  }
  return { cpid_sig_valid: true, cpid_legal: true, cpid_legality_narr: '' };
}

/**
 * Does a wallet of this version sign its coinbase with a CPID on a block after `prevHeight`?
 * 1.1.x always (src/miner.cpp:374-377 @1.1.3.8); 1.2.x only while PODC is on at its tip
 * (src/miner.cpp:315-318 @1.2.0.1); Evo never.
 */
export function walletSignsCpid(
  walletVersion: string,
  network: Network,
  prevHeight: number,
): boolean {
  const [major, minor] = walletVersion.split('.').map(Number);
  if (major !== 1 || !(minor < 4)) return false;
  if (minor < 2) return true;
  return podcEnabled(network, prevHeight);
}

export { versionText };
