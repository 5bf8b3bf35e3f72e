import type mysql from 'mysql2/promise';
import { parseCoins } from '../../src/biblepay/amount';
import { RunningApp, startRole } from './harness';
import { IsolatedDatabase, isolatedDatabase } from './isolated-database';
import { PoolFixture, startPoolFixture } from './pool-fixture';
import { freePort, RoleProcess, startRoleProcess } from './role-process';
import { roleEnv } from './test-env';

type Env = Record<string, string>;

/** What a backend of a money test runs against: the simulated node and the test's own database. */
export interface MoneyStore {
  pool: PoolFixture;
  store: IsolatedDatabase;
}

export interface MoneyPool extends MoneyStore {
  /** Root's connection to the test's own database (`store.db`). */
  db: mysql.Connection;
  /** A frontend of the test's own on its database (`settings` added to the node's). */
  startFrontend(settings?: Env): Promise<RunningApp>;
  /** A backend process on a free port with `env` (see {@link moneyBackendEnv}). */
  startBackend(env: Env): Promise<RoleProcess>;
  /** Stops every role started here, the last first, then the node; drops the database. */
  close(): Promise<void>;
}

/**
 * The pool of a money test: a simulated main node with its in-process frontend — its wallet holds
 * 100,000 BBP unless `node` says otherwise — and a database of the test file's own (`label`).
 */
export async function startMoneyPool(
  label: string,
  node: Parameters<typeof startPoolFixture>[0] = {},
): Promise<MoneyPool> {
  const pool = await startPoolFixture({ walletBalance: parseCoins('100000'), ...node });
  let store: IsolatedDatabase;
  try {
    store = await isolatedDatabase(label);
  } catch (error) {
    await pool.close();
    throw error;
  }
  const stops: (() => Promise<void>)[] = [];
  return {
    pool,
    store,
    db: store.db,
    startFrontend: async (settings = {}) => {
      const frontend = await startRole('frontend', {
        ...pool.env,
        DATABASE_URL: store.frontendUrl,
        ...settings,
      });
      stops.push(() => frontend.close());
      return frontend;
    },
    startBackend: async (env) => {
      const backend = await startRoleProcess(env, await freePort());
      stops.push(() => backend.stop());
      return backend;
    },
    close: async () => {
      for (const stop of stops.splice(0).reverse()) await stop();
      await pool.close();
      await store.drop();
    },
  };
}

/** A backend's environment on the test's node and database: `settings`, then `overrides`. */
function backendEnv({ pool, store }: MoneyStore, settings: Env, overrides: Env): Env {
  return roleEnv('backend', {
    ...pool.env,
    DATABASE_URL: store.backendUrl,
    ...settings,
    ...overrides,
  });
}

/**
 * A backend that pays: the payout job every 0.3 s, any balance of 1 BBP at once; blocks, shareout
 * and ratings wait an hour. The credits' block (height 1, not on the simulated chain) stays below
 * the reversal recheck: a reversal of it is not a money test's subject.
 */
const PAYING: Env = {
  BLOCK_POLL_SECONDS: '3600',
  REORG_DEPTH_MAIN: '5',
  SHAREOUT_INTERVAL_SECONDS: '3600',
  RATING_INTERVAL_SECONDS: '3600',
  PAYOUT_INTERVAL_SECONDS: '0.3',
  PAYOUT_MINIMUM_MAIN: '1',
  PAYOUT_MIN_INTERVAL_HOURS: '0',
};

/**
 * A backend that follows the chain: the chain walk (from the tip, no start depth) and the shareout
 * every 0.3 s; payouts and ratings wait an hour.
 */
const WALKING: Env = {
  BLOCK_POLL_SECONDS: '0.3',
  SHAREOUT_INTERVAL_SECONDS: '0.3',
  PAYOUT_INTERVAL_SECONDS: '3600',
  RATING_INTERVAL_SECONDS: '3600',
  CHAIN_WALK_START_DEPTH: '0',
};

/** A backend CLI run (`payouts`, `audit`…): any balance of 1 BBP is due at once; the broker gets 2 s. */
const CLI: Env = {
  PAYOUT_MINIMUM_MAIN: '1',
  PAYOUT_MIN_INTERVAL_HOURS: '0',
  BROKER_CONNECT_WAIT_MS: '2000',
};

/** A backend that pays (the payout job alone, every 0.3 s), with `overrides`. */
export const moneyBackendEnv = (money: MoneyStore, overrides: Env = {}): Env =>
  backendEnv(money, PAYING, overrides);

/** A backend that follows the chain (the chain walk and shareout every 0.3 s), with `overrides`. */
export const chainBackendEnv = (money: MoneyStore, overrides: Env = {}): Env =>
  backendEnv(money, WALKING, overrides);

/** The environment of a backend CLI run, with `overrides`. */
export const moneyCliEnv = (money: MoneyStore, overrides: Env = {}): Env =>
  backendEnv(money, CLI, overrides);

/**
 * The chain of a reorg test (the node started with `maturity: 3`): its blocks mature after 3
 * confirmations, one 2 deep that left the chain is orphaned, a round waits 5 s for its backlog.
 */
export const REORG_CHAIN: Env = {
  MATURITY_CONFIRMATIONS_MAIN: '3',
  ORPHAN_CONFIRMATIONS: '2',
  ROUND_BACKLOG_WAIT_SECONDS: '5',
};

/**
 * The backend of a deep-reorg test: the reorg chain, reorgs up to `depth` walked, every balance of
 * 1 BBP or more paid at every run (so a reversed block may already be partly paid).
 */
export const deepReorgBackendEnv = (money: MoneyStore, depth: number): Env =>
  chainBackendEnv(money, {
    ...REORG_CHAIN,
    REORG_DEPTH_MAIN: String(depth),
    PAYOUT_MINIMUM_MAIN: '1',
    PAYOUT_MIN_INTERVAL_HOURS: '0',
  });

/** The admin console's API for `label`, by bearer `token`, from this machine. */
export function adminEnv(token: string, label: string): Env {
  return { ADMIN_TOKEN: token, ADMIN_TOKEN_LABEL: label, ADMIN_ALLOW_IPS: '127.0.0.0/8, ::1' };
}
