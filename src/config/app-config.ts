import { BaseUnits, parseCoins } from '../biblepay/amount';
import { CHAIN_PARAMS, Network } from '../biblepay/network';
import { NodeFlavorSetting } from '../biblepay/node-flavor';
import { AdminConfig } from './admin-config';
import { ConfigError } from './config-error';
import { PoolFee } from './env-parsers';
import { parseEnv, Role } from './env.dto';
import { BrokerLink, DatabaseLink } from './link-tls';

export { ConfigError };
export type { PoolFee, Role };

export const DEFAULT_HASH_TARGET =
  '0000011110000000000000000000000000000000000000000000000000000000';

/**
 * The whole environment contract, read once at boot (STYLE.md: nothing else reads process.env):
 * validated as the env DTO (env.dto.ts), then typed here with the defaults. A bad or missing
 * variable throws a ConfigError whose message names it.
 */
export class AppConfig {
  readonly role: Role;
  readonly httpHost: string;
  readonly httpPort: number;
  /** DATABASE_URL (`?ssl=` split off) with DATABASE_CA_FILE / _CERT_FILE / _KEY_FILE. */
  readonly database: DatabaseLink;
  /** AMQP_URL with AMQP_CA_FILE / _CERT_FILE / _KEY_FILE (used with amqps://). */
  readonly broker: BrokerLink;
  /** REQUIRE_TLS: refuse to start on a clear-text database or broker URL. */
  readonly requireTls: boolean;
  readonly networks: readonly Network[];
  readonly poolAddress: Readonly<Partial<Record<Network, string>>>;
  /** Backend only: `http://user:pass@host:port` of each served network's node. */
  readonly nodeRpcUrl: Readonly<Partial<Record<Network, string>>>;
  /**
   * TRUST_PROXY: addresses / CIDR ranges of the proxies in front; X-Forwarded-For is believed only
   * from them (server/client-address.ts). Empty: the socket's peer is the client.
   */
  readonly trustProxy: readonly string[];
  /** Honour an explicit `Connection: keep-alive` on `/Action.aspx` (wallets never send one). */
  readonly actionKeepAlive: boolean;
  /** HTTPS served by this process itself (TLS_CERT_FILE + TLS_KEY_FILE, PEM); null = plain HTTP. */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | null;
  /** Requests per minute and client IP (an IPv6 /64 counts as one); 0 = no limit. */
  readonly rateLimit: { readonly actionPerMinute: number; readonly webPerMinute: number };
  /** SIGTERM/SIGINT: how long draining may take before the process exits anyway. */
  readonly shutdownTimeoutMs: number;
  /** Slow and crowding sockets (server/connection-limits.ts). */
  readonly connections: {
    /** HTTP_REQUEST_TIMEOUT_MS: a whole request (headers and body) must arrive within this. */
    readonly requestTimeoutMs: number;
    /** HTTP_HEADERS_TIMEOUT_MS: a request's headers must arrive within this. */
    readonly headersTimeoutMs: number;
    /** MAX_CONNECTIONS_PER_SOURCE: open sockets per peer address (a trusted proxy: no cap). */
    readonly maxPerSource: number;
  };
  /** Hash target of a miner without a rating; share weight is measured against it. */
  readonly baseHashTarget: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** `json`: one pino JSON object per line (Nest and request logs); `text`: Nest's console format. */
  readonly logFormat: 'json' | 'text';
  /** Log every HTTP request with its request id (JSON format only; costs throughput on getwork). */
  readonly logRequests: boolean;
  /** Smallest balance paid out, per network, in base units (env in coins: PAYOUT_MINIMUM_MAIN/_TEST). */
  readonly payoutMinimum: Readonly<Record<Network, BaseUnits>>;
  /** Share of each pool block's subsidy the pool keeps (POOL_FEE_PERCENT). */
  readonly poolFee: PoolFee;
  /** How long the web pages and the JSON API reuse one database read. */
  readonly webCacheSeconds: number;
  /** CACHE_URL: a Redis (`redis://`, `rediss://`) the frontends share their web reads in; null = memory. */
  readonly cacheUrl: string | null;
  /** What miners put in `pool=` (POOL_PUBLIC_URL); null → the pages show the URL they were asked on. */
  readonly poolPublicUrl: string | null;
  /** How long a frontend trusts its cached miner row (disabled flag, rated hash target). */
  readonly minerCacheSeconds: number;
  /** Miners a frontend keeps in its registry; past it the least recently seen one is dropped. */
  readonly minerCacheEntries: number;
  /**
   * Distinct worker names a miner may have; a new one past it takes the slot of the longest-idle
   * worker (no accepted share in `workerIdleDays`), and is refused only when every slot is productive.
   */
  readonly maxWorkersPerMiner: number;
  /** WORKER_IDLE_DAYS: a worker without an accepted share this long is idle (replaceable, pruned). */
  readonly workerIdleDays: number;
  /** Bounded cost of shares nobody pays for (issue 10): see docs/ARCHITECTURE.md, "Abuse limits". */
  readonly abuse: {
    rejectedSolutionBytesPerMinerHour: number;
    /** REJECTED_STRING_BYTES_PER_HOUR: all rejected shares' stored strings together, per hour. */
    rejectedStringBytesPerHour: number;
    /** REJECTED_STRING_BYTES_PER_SOURCE_HOUR: one source's stored strings per hour. */
    rejectedStringBytesPerSourceHour: number;
    suspendRejections: number;
    suspendWindowSeconds: number;
    suspendSeconds: number;
  };
  /** Work rows written in one INSERT at most (group commit). */
  readonly workBatchMax: number;
  /** FRONTEND_PROCESSES: frontend worker processes sharing one port (Node's cluster module). */
  readonly frontendProcesses: number;
  /** A solution not confirmed by the broker within this many ms is answered with an error. */
  readonly publishTimeoutMs: number;
  /** Solutions per broker message at most (the frontend's group commit); 1 = one each. */
  readonly publishBatchMax: number;
  /** SOLUTION_QUEUE_SHARDS: solution queues (as db:setup declared them); frontends route by work id. */
  readonly solutionQueueShards: number;
  readonly databasePoolSize: number;
  /** How long a starting process waits for RabbitMQ before it listens anyway (and keeps retrying). */
  readonly brokerConnectWaitMs: number;
  readonly nodeRpcTimeoutMs: number;
  /** NODE_SEND_TIMEOUT_MS: how long a `sendmany` may take before the client stops waiting. */
  readonly nodeSendTimeoutMs: number;
  /**
   * Require a valid, legal CPID in a share's block: `auto` only where the real chain did (a classic
   * node, prev height inside the PODC window, node-flavor.ts); `true` always; `false` never.
   */
  readonly solutionRequireCpid: boolean | 'auto';
  /** NODE_FLAVOR_<NET>: the node generation, or `auto` (detected with getnetworkinfo). */
  readonly nodeFlavor: Record<Network, NodeFlavorSetting>;
  /** Backend solution pipeline (issue 4). */
  readonly solution: {
    prefetch: number;
    batchMax: number;
    batchWaitMs: number;
    batchesInFlight: number;
    tipRefreshMs: number;
    nodeRetryMaxSeconds: number;
    /** A share that arrived up to this long after its prev_height stopped being the tip is fresh. */
    staleGraceMs: number;
    /** Failed tries of a batch (not node outages) before it is dead-lettered. */
    batchAttempts: number;
  };
  /** The money path (issue 5): blocks, shareout, payouts. Amounts in base units. */
  readonly money: {
    /** Where the fee is recorded as going (default: the pool address of the block's network). */
    feeRecipient: string | null;
    scheme: 'prop' | 'pplns';
    /** PPLNS: the last N base-target shares of weight before the block. */
    pplnsWindowShares: number;
    maturity: Record<Network, number>;
    payoutMinIntervalHours: number;
    payoutMaxPerRun: number;
    /** An unsent payment intent older than this is settled against the wallet's records. */
    reconcileGraceSeconds: number;
    /** Confirmations a sent payment needs to count as confirmed (broadcast until then). */
    payoutConfirmations: number;
    /** Payments marked failed this recently are looked for in the wallet again (0: never). */
    failedRecheckHours: number;
    /** Failed payments in a row, for reasons of the recipient's own, before it is set aside. */
    setAsideAfterFailures: number;
    /** No output below this many base units is sent (after its share of the fee). */
    dustLimit: bigint;
    /** How long a mature block's round waits for queued shares before it is fixed anyway. */
    roundBacklogWaitSeconds: number;
    /** Stored heights re-checked against the chain on every walk (reorgs), per network. */
    reorgDepth: Record<Network, number>;
    /** Confirmations the block replacing a pool block needs before that one counts as orphaned. */
    orphanConfirmations: number;
    /** First walk on an empty table starts this many blocks below the tip. */
    chainWalkStartDepth: number;
    blockPollSeconds: number;
    shareoutIntervalSeconds: number;
    payoutIntervalSeconds: number;
    ratingIntervalSeconds: number;
    ratingDays: number;
    /** Vardiff: shares per minute a miner should find at its rated target. */
    ratingSharesPerMinute: number;
  };
  /** The operator console (backend role): null unless ADMIN_TOKEN or ADMIN_TOKEN_FILE is set. */
  readonly admin: AdminConfig | null;
  /** How often a backend samples the ledger's health, the node's tip and the queues for /metrics. */
  readonly metricsSampleSeconds: number;
  /** False for one-shot CLI commands: no queue consumer, no scheduled jobs. */
  readonly runBackgroundWork: boolean;
  /** Scheduled pruning of old rows, in bounded batches. */
  readonly cleanup: {
    intervalSeconds: number;
    batchSize: number;
    workRetentionDays: number;
    solutionRetentionDays: number;
    rejectedRetentionDays: number;
    rejectedSolutionStringHours: number;
  };

  constructor(rawEnv: Record<string, string | undefined>) {
    const env = parseEnv(rawEnv);
    this.role = env.ROLE;
    this.httpHost = env.HTTP_HOST ?? '0.0.0.0';
    this.httpPort = env.HTTP_PORT ?? (this.role === 'backend' ? 8001 : 8000);
    this.database = env.DATABASE_URL;
    this.broker = env.AMQP_URL;
    this.requireTls = env.REQUIRE_TLS ?? false;
    this.networks = env.NETWORKS ?? ['main'];
    const pool: Partial<Record<Network, string>> = {};
    const nodes: Partial<Record<Network, string>> = {};
    for (const network of this.networks) {
      // Required for every served network (a backend's node URL too): the DTO has refused a gap.
      pool[network] = network === 'main' ? env.POOL_ADDRESS_MAIN : env.POOL_ADDRESS_TEST;
      if (this.role !== 'frontend')
        nodes[network] = network === 'main' ? env.NODE_RPC_URL_MAIN : env.NODE_RPC_URL_TEST;
    }
    this.poolAddress = pool;
    this.nodeRpcUrl = nodes;
    this.trustProxy = env.TRUST_PROXY ?? [];
    this.tls =
      env.TLS_CERT_FILE && env.TLS_KEY_FILE
        ? { certFile: env.TLS_CERT_FILE, keyFile: env.TLS_KEY_FILE }
        : null;
    this.actionKeepAlive = env.ACTION_KEEP_ALIVE ?? false;
    // A wallet thread asks for work about once per share and sends at most one share per two
    // minutes: ~1 request/min per thread. 1200/min serves a farm of ~1000 threads behind one NAT,
    // and a wallet refused 5 getworks in a row falls back to solo mining, so err on the high side.
    this.rateLimit = {
      actionPerMinute: env.RATE_LIMIT_ACTION_PER_MINUTE ?? 1200,
      webPerMinute: env.RATE_LIMIT_WEB_PER_MINUTE ?? 300,
    };
    this.shutdownTimeoutMs = env.SHUTDOWN_TIMEOUT_MS ?? 15_000;
    const requestTimeoutMs = env.HTTP_REQUEST_TIMEOUT_MS ?? 30_000;
    // A wallet writes its headers (block hex included) in one go: 10 s is plenty for a slow link.
    const headersTimeoutMs = env.HTTP_HEADERS_TIMEOUT_MS ?? Math.min(10_000, requestTimeoutMs);
    if (headersTimeoutMs > requestTimeoutMs)
      throw new ConfigError(
        'HTTP_HEADERS_TIMEOUT_MS',
        `must be at most HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`,
      );
    this.connections = {
      requestTimeoutMs,
      headersTimeoutMs,
      maxPerSource: env.MAX_CONNECTIONS_PER_SOURCE ?? 64,
    };
    this.baseHashTarget = env.POOL_HASH_TARGET ?? DEFAULT_HASH_TARGET;
    this.logLevel = env.LOG_LEVEL ?? 'info';
    this.logFormat = env.LOG_FORMAT ?? 'text';
    this.logRequests = env.LOG_REQUESTS ?? false;
    // The original pool's autosend limits: 10 BBP on main, 10,000 tBBP on test.
    this.payoutMinimum = {
      main: env.PAYOUT_MINIMUM_MAIN ?? parseCoins('10'),
      test: env.PAYOUT_MINIMUM_TEST ?? parseCoins('10000'),
    };
    this.poolFee = env.POOL_FEE_PERCENT ?? { percent: '0', partsPerMillion: 0n };
    this.webCacheSeconds = env.WEB_CACHE_SECONDS ?? 60;
    this.cacheUrl = env.CACHE_URL ?? null;
    this.poolPublicUrl = env.POOL_PUBLIC_URL ?? null;
    this.minerCacheSeconds = env.MINER_CACHE_SECONDS ?? 60;
    this.minerCacheEntries = env.MINER_CACHE_ENTRIES ?? 200_000;
    this.maxWorkersPerMiner = env.MAX_WORKERS_PER_MINER ?? 200;
    this.workerIdleDays = env.WORKER_IDLE_DAYS ?? 7;
    this.abuse = {
      rejectedSolutionBytesPerMinerHour: env.REJECTED_SOLUTION_BYTES_PER_MINER_HOUR ?? 1024 * 1024,
      rejectedStringBytesPerHour: env.REJECTED_STRING_BYTES_PER_HOUR ?? 64 * 1024 * 1024,
      rejectedStringBytesPerSourceHour: env.REJECTED_STRING_BYTES_PER_SOURCE_HOUR ?? 1024 * 1024,
      suspendRejections: env.MINER_SUSPEND_REJECTIONS ?? 200,
      suspendWindowSeconds: env.MINER_SUSPEND_WINDOW_SECONDS ?? 600,
      suspendSeconds: env.MINER_SUSPEND_SECONDS ?? 3600,
    };
    this.workBatchMax = env.WORK_BATCH_MAX ?? 500;
    this.frontendProcesses = env.FRONTEND_PROCESSES ?? 1;
    if (this.frontendProcesses > 1 && this.role !== 'frontend')
      throw new ConfigError(
        'FRONTEND_PROCESSES',
        'needs ROLE=frontend (backends scale as processes of their own)',
      );
    this.publishTimeoutMs = env.PUBLISH_TIMEOUT_MS ?? 5000;
    this.publishBatchMax = env.SOLUTION_PUBLISH_BATCH_MAX ?? 64;
    this.solutionQueueShards = env.SOLUTION_QUEUE_SHARDS ?? 1;
    this.databasePoolSize = env.DATABASE_POOL_SIZE ?? 10;
    this.brokerConnectWaitMs = env.BROKER_CONNECT_WAIT_MS ?? 10_000;
    this.nodeRpcTimeoutMs = env.NODE_RPC_TIMEOUT_MS ?? 10_000;
    this.nodeSendTimeoutMs = env.NODE_SEND_TIMEOUT_MS ?? 120_000;
    this.solutionRequireCpid = env.SOLUTION_REQUIRE_CPID ?? 'auto';
    this.nodeFlavor = {
      main: env.NODE_FLAVOR_MAIN ?? 'auto',
      test: env.NODE_FLAVOR_TEST ?? 'auto',
    };
    this.solution = {
      prefetch: env.SOLUTION_PREFETCH ?? 1000,
      batchMax: env.SOLUTION_BATCH_MAX ?? 250,
      batchWaitMs: env.SOLUTION_BATCH_WAIT_MS ?? 10,
      batchesInFlight: env.SOLUTION_BATCHES_IN_FLIGHT ?? 3,
      tipRefreshMs: env.NODE_TIP_REFRESH_MS ?? 1000,
      nodeRetryMaxSeconds: env.NODE_RETRY_MAX_SECONDS ?? 30,
      staleGraceMs: env.SOLUTION_STALE_GRACE_MS ?? 2000,
      batchAttempts: env.SOLUTION_BATCH_ATTEMPTS ?? 5,
    };
    // As the wallet counts it (102): shared out when the coins can be spent (network.ts).
    const mainMaturity = env.MATURITY_CONFIRMATIONS_MAIN ?? CHAIN_PARAMS.main.coinbaseMaturity;
    const testMaturity = env.MATURITY_CONFIRMATIONS_TEST ?? CHAIN_PARAMS.test.coinbaseMaturity;
    this.money = {
      feeRecipient: env.POOL_FEE_RECIPIENT ?? null,
      scheme: env.PAYOUT_SCHEME ?? 'prop',
      pplnsWindowShares: env.PPLNS_WINDOW ?? 10_000,
      maturity: { main: mainMaturity, test: testMaturity },
      payoutMinIntervalHours: env.PAYOUT_MIN_INTERVAL_HOURS ?? 24,
      payoutMaxPerRun: env.PAYOUT_MAX_PER_RUN ?? 200,
      reconcileGraceSeconds: env.PAYOUT_RECONCILE_GRACE_SECONDS ?? 120,
      payoutConfirmations: env.PAYOUT_CONFIRMATIONS ?? 1,
      failedRecheckHours: env.PAYOUT_FAILED_RECHECK_HOURS ?? 72,
      setAsideAfterFailures: env.PAYOUT_SET_ASIDE_AFTER_FAILURES ?? 3,
      dustLimit: env.PAYOUT_DUST_LIMIT ?? parseCoins('0.01'),
      roundBacklogWaitSeconds: env.ROUND_BACKLOG_WAIT_SECONDS ?? 600,
      reorgDepth: {
        main: env.REORG_DEPTH_MAIN ?? mainMaturity + 10,
        test: env.REORG_DEPTH_TEST ?? testMaturity + 10,
      },
      orphanConfirmations: env.ORPHAN_CONFIRMATIONS ?? 6,
      chainWalkStartDepth: env.CHAIN_WALK_START_DEPTH ?? 200,
      blockPollSeconds: env.BLOCK_POLL_SECONDS ?? 60,
      shareoutIntervalSeconds: env.SHAREOUT_INTERVAL_SECONDS ?? 300,
      payoutIntervalSeconds: env.PAYOUT_INTERVAL_SECONDS ?? 3600,
      ratingIntervalSeconds: env.RATING_INTERVAL_SECONDS ?? 900,
      ratingDays: env.RATING_DAYS ?? 3,
      ratingSharesPerMinute: env.RATING_SHARES_PER_MINUTE ?? 4,
    };
    this.admin = env.ADMIN_TOKEN
      ? {
          tokens: env.ADMIN_TOKEN,
          allowIps: env.ADMIN_ALLOW_IPS ?? null,
          loginFailuresPerMinute: env.ADMIN_LOGIN_FAILURES_PER_MINUTE ?? 10,
          sessionHours: env.ADMIN_SESSION_HOURS ?? 8,
        }
      : null;
    this.metricsSampleSeconds = env.METRICS_SAMPLE_SECONDS ?? 60;
    this.runBackgroundWork = env.RUN_BACKGROUND_WORK ?? true;
    this.cleanup = {
      intervalSeconds: env.CLEANUP_INTERVAL_SECONDS ?? 3600,
      batchSize: env.CLEANUP_BATCH_SIZE ?? 5000,
      workRetentionDays: env.WORK_RETENTION_DAYS ?? 7,
      solutionRetentionDays: env.SOLUTION_RETENTION_DAYS ?? 30,
      rejectedRetentionDays: env.REJECTED_RETENTION_DAYS ?? 7,
      rejectedSolutionStringHours: env.REJECTED_SOLUTION_STRING_HOURS ?? 24,
    };
  }

  get databaseUrl(): string {
    return this.database.url;
  }

  get amqpUrl(): string {
    return this.broker.url;
  }

  get runsFrontend(): boolean {
    return this.role !== 'backend';
  }

  get runsBackend(): boolean {
    return this.role !== 'frontend';
  }

  poolAddressOf(network: Network): string {
    const address = this.poolAddress[network];
    if (!address) throw new Error(`network ${network} is not served`);
    return address;
  }

  serves(network: string): network is Network {
    return (this.networks as readonly string[]).includes(network);
  }
}
