import { isValidAddress } from '../../src/biblepay/address';
import { CHAIN_PARAMS, isNetwork, Network } from '../../src/biblepay/network';
import { AmountError, parseCoins } from '../chain/amount';
import { isHex64 } from '../chain/hash';
import { defaultClientVersion, SimFlavor } from './generation';

export interface FailRule {
  /** Probability in [0, 1] that a call fails. */
  rate: number;
  code: number;
  message: string;
}

export interface SimNodeOptions {
  host: string;
  /** 0 = a free port chosen by the system. */
  port: number;
  rpcUser: string;
  rpcPassword: string;
  network: Network;
  /** Address whose coinbase the wallet owns. Default: a random valid address of the network. */
  poolAddress: string;
  /** Seconds between blocks found by the rest of the network; 0 = only on demand. */
  blockSeconds: number;
  /** 64 hex: a submitted block's bible hash must be <= this. */
  networkTarget: string;
  /** File that keeps chain and wallet across restarts (written atomically); "" = in memory. */
  statePath: string;
  /** Coinbase value of every block, base units. */
  subsidy: bigint;
  /** Fixed fee of every wallet transaction, base units. */
  txFee: bigint;
  /** Confirmations a coinbase needs before it is spendable. */
  maturity: number;
  /** Height of the chain created on first start (blocks 1..startHeight paid to random addresses). */
  startHeight: number;
  /**
   * SIM_BASE_HEIGHT: the created chain's first block sits here and nothing exists below it, so a
   * node can stand at a real height (post-PODC 110,000) cheaply. In memory only (no SIM_STATE).
   */
  baseHeight: number;
  /** Spendable balance the wallet starts with (one confirmed receive), base units. */
  walletBalance: bigint;
  /** Wallet version the node writes in the `<VER>` of blocks it mines itself. */
  walletVersion: string;
  /** SIM_FLAVOR: answer as a classic (1.1–1.2) or Evo (1.4) node (docs/FIDELITY.md). */
  flavor: SimFlavor;
  /** SIM_CLIENT_VERSION: getnetworkinfo's version; picks the release's answers inside the flavor. */
  clientVersion: number;
  /** SIM_POOL_LABEL: label (account) of the pool address in the wallet; "" = none. */
  poolLabel: string;
  // Fault knobs, all also settable at run time through the sim_* admin methods.
  latencyMs: number;
  /** Per method (or "*"): failure probability and the error answered. */
  failRates: Record<string, FailRule>;
  /** Per method: how many calls run but get their reply lost (connection destroyed). */
  loseReplies: Record<string, number>;
  walletLocked: boolean;
  insufficientFunds: boolean;
  /** Start down (refusing connections) for this many seconds; 0 = up. */
  downSeconds: number;
  /** Unix seconds; tests may pin the clock. */
  now: () => number;
  random: () => number;
  log: (line: string) => void;
}

export const DEFAULT_FAIL_CODE = -28;
export const DEFAULT_FAIL_MESSAGE = 'Loading block index...';

export function defaultSimNodeOptions(network: Network = 'main'): SimNodeOptions {
  return {
    host: '127.0.0.1',
    port: 19998,
    rpcUser: 'simuser',
    rpcPassword: 'simpass',
    network,
    poolAddress: '',
    blockSeconds: CHAIN_PARAMS[network].blockSpacingSeconds,
    networkTarget: '00000' + 'f'.repeat(59),
    statePath: '',
    subsidy: parseCoins('5492.75'),
    txFee: parseCoins('0.001'),
    maturity: CHAIN_PARAMS[network].coinbaseMaturity,
    startHeight: 100,
    baseHeight: 0,
    walletBalance: 0n,
    walletVersion: '1.1.9.3',
    flavor: 'classic',
    clientVersion: defaultClientVersion('classic'),
    poolLabel: '',
    latencyMs: 0,
    failRates: {},
    loseReplies: {},
    walletLocked: false,
    insufficientFunds: false,
    downSeconds: 0,
    now: () => Math.floor(Date.now() / 1000),
    random: Math.random,
    log: (line) => process.stdout.write(`${line}\n`),
  };
}

/** Checks a finished option set; throws an Error naming the bad setting. */
export function validateSimNodeOptions(options: SimNodeOptions): void {
  if (!isNetwork(options.network)) throw new Error(`SIM_NETWORK must be main or test`);
  if (options.poolAddress && !isValidAddress(options.network, options.poolAddress)) {
    throw new Error(`SIM_POOL_ADDRESS ${options.poolAddress} is not a ${options.network} address`);
  }
  if (!isHex64(options.networkTarget)) throw new Error('SIM_NETWORK_TARGET must be 64 hex');
  if (!(options.blockSeconds >= 0)) throw new Error('SIM_BLOCK_SECONDS must be >= 0');
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error('SIM_PORT must be a port number');
  }
  if (options.subsidy <= 0n) throw new Error('SIM_SUBSIDY must be positive');
  if (options.txFee < 0n) throw new Error('SIM_TX_FEE must be >= 0');
  if (!Number.isInteger(options.maturity) || options.maturity < 1) {
    throw new Error('SIM_MATURITY must be a positive integer');
  }
  if (options.flavor !== 'classic' && options.flavor !== 'evo') {
    throw new Error('SIM_FLAVOR must be classic or evo');
  }
  if (options.clientVersion >= 1_040_000 !== (options.flavor === 'evo')) {
    throw new Error(
      `SIM_CLIENT_VERSION ${options.clientVersion} is not a ${options.flavor} version`,
    );
  }
  if (!Number.isInteger(options.baseHeight) || options.baseHeight < 0) {
    throw new Error('SIM_BASE_HEIGHT must be an integer >= 0');
  }
  if (options.baseHeight > 0 && options.statePath) {
    throw new Error('SIM_BASE_HEIGHT cannot be combined with SIM_STATE');
  }
  if (!Number.isInteger(options.startHeight) || options.startHeight < 0) {
    throw new Error('SIM_START_HEIGHT must be an integer >= 0');
  }
}

/**
 * Options from `SIM_*` environment variables (see README of sim/ in the report):
 * SIM_PORT, SIM_HOST, SIM_RPC_USER, SIM_RPC_PASSWORD, SIM_NETWORK, SIM_POOL_ADDRESS,
 * SIM_BLOCK_SECONDS, SIM_NETWORK_TARGET, SIM_STATE, SIM_SUBSIDY, SIM_TX_FEE, SIM_MATURITY,
 * SIM_START_HEIGHT, SIM_WALLET_BALANCE, SIM_LATENCY_MS, SIM_FAIL_RATE ("method:rate,..."),
 * SIM_LOSE_REPLY ("method:count,..."), SIM_WALLET_LOCKED, SIM_INSUFFICIENT_FUNDS, SIM_DOWN_SECONDS,
 * SIM_FLAVOR (classic|evo), SIM_CLIENT_VERSION (default 1020001 classic, 1040408 evo),
 * SIM_POOL_LABEL.
 */
export function simNodeOptionsFromEnv(env: NodeJS.ProcessEnv): Partial<SimNodeOptions> {
  const options: Partial<SimNodeOptions> = {};
  const network = env.SIM_NETWORK ?? 'main';
  if (!isNetwork(network)) throw new Error(`SIM_NETWORK must be main or test, not ${network}`);
  options.network = network;
  if (env.SIM_HOST) options.host = env.SIM_HOST;
  if (env.SIM_PORT !== undefined) options.port = envInteger(env, 'SIM_PORT');
  if (env.SIM_RPC_USER !== undefined) options.rpcUser = env.SIM_RPC_USER;
  if (env.SIM_RPC_PASSWORD !== undefined) options.rpcPassword = env.SIM_RPC_PASSWORD;
  if (env.SIM_POOL_ADDRESS) options.poolAddress = env.SIM_POOL_ADDRESS;
  if (env.SIM_BLOCK_SECONDS !== undefined)
    options.blockSeconds = envNumber(env, 'SIM_BLOCK_SECONDS');
  if (env.SIM_NETWORK_TARGET) options.networkTarget = env.SIM_NETWORK_TARGET.toLowerCase();
  if (env.SIM_STATE) options.statePath = env.SIM_STATE;
  if (env.SIM_SUBSIDY) options.subsidy = envCoins(env, 'SIM_SUBSIDY');
  if (env.SIM_TX_FEE) options.txFee = envCoins(env, 'SIM_TX_FEE');
  if (env.SIM_MATURITY !== undefined) options.maturity = envInteger(env, 'SIM_MATURITY');
  if (env.SIM_START_HEIGHT !== undefined) options.startHeight = envInteger(env, 'SIM_START_HEIGHT');
  if (env.SIM_BASE_HEIGHT !== undefined) options.baseHeight = envInteger(env, 'SIM_BASE_HEIGHT');
  if (env.SIM_WALLET_BALANCE) options.walletBalance = envCoins(env, 'SIM_WALLET_BALANCE');
  if (env.SIM_LATENCY_MS !== undefined) options.latencyMs = envNumber(env, 'SIM_LATENCY_MS');
  if (env.SIM_FAIL_RATE) {
    options.failRates = {};
    for (const [method, rate] of envPairs(env, 'SIM_FAIL_RATE')) {
      options.failRates[method] = { rate, code: DEFAULT_FAIL_CODE, message: DEFAULT_FAIL_MESSAGE };
    }
  }
  if (env.SIM_LOSE_REPLY) options.loseReplies = Object.fromEntries(envPairs(env, 'SIM_LOSE_REPLY'));
  if (env.SIM_WALLET_LOCKED) options.walletLocked = envFlag(env, 'SIM_WALLET_LOCKED');
  if (env.SIM_INSUFFICIENT_FUNDS)
    options.insufficientFunds = envFlag(env, 'SIM_INSUFFICIENT_FUNDS');
  if (env.SIM_DOWN_SECONDS !== undefined) options.downSeconds = envNumber(env, 'SIM_DOWN_SECONDS');
  if (env.SIM_FLAVOR) {
    if (env.SIM_FLAVOR !== 'classic' && env.SIM_FLAVOR !== 'evo') {
      throw new Error('SIM_FLAVOR must be classic or evo');
    }
    options.flavor = env.SIM_FLAVOR;
    options.clientVersion = defaultClientVersion(env.SIM_FLAVOR);
  }
  if (env.SIM_CLIENT_VERSION) options.clientVersion = envInteger(env, 'SIM_CLIENT_VERSION');
  if (env.SIM_POOL_LABEL !== undefined) options.poolLabel = env.SIM_POOL_LABEL;
  return options;
}

function envNumber(env: NodeJS.ProcessEnv, name: string): number {
  const value = Number(env[name]);
  if (env[name]?.trim() === '' || !Number.isFinite(value))
    throw new Error(`${name} must be a number`);
  return value;
}

function envInteger(env: NodeJS.ProcessEnv, name: string): number {
  const value = envNumber(env, name);
  if (!Number.isInteger(value)) throw new Error(`${name} must be an integer`);
  return value;
}

function envCoins(env: NodeJS.ProcessEnv, name: string): bigint {
  try {
    return parseCoins(env[name] ?? '');
  } catch (error) {
    if (error instanceof AmountError)
      throw new Error(`${name} must be a coin amount`, { cause: error });
    throw error;
  }
}

function envFlag(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = (env[name] ?? '').toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(value)) return false;
  throw new Error(`${name} must be true or false`);
}

/** "sendmany:1,getblockcount:0.5" → [["sendmany", 1], ["getblockcount", 0.5]]. */
function envPairs(env: NodeJS.ProcessEnv, name: string): [string, number][] {
  return (env[name] ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const at = part.lastIndexOf(':');
      const key = at < 0 ? '' : part.slice(0, at).trim();
      const value = Number(part.slice(at + 1));
      if (!key || !Number.isFinite(value))
        throw new Error(`${name} must look like method:number,...`);
      return [key, value];
    });
}
