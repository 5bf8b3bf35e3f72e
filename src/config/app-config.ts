import { isValidAddress } from '../biblepay/address';
import { BaseUnits, parseCoins } from '../biblepay/amount';
import { isNetwork, Network } from '../biblepay/network';
import { isHashTarget } from '../biblepay/hash-target';
import { AdminConfig, parseAllowIps, readAdminTokens } from './admin-config';
import { ConfigError } from './config-error';
import {
  BrokerLink,
  DatabaseLink,
  isEncrypted,
  parseBrokerLink,
  parseDatabaseLink,
  TlsClientFiles,
  tlsFileVariables,
} from './link-tls';

export { ConfigError };

export type Role = 'frontend' | 'backend' | 'all';
const ROLES: readonly Role[] = ['frontend', 'backend', 'all'];

export const DEFAULT_HASH_TARGET =
  '0000011110000000000000000000000000000000000000000000000000000000';

/**
 * The whole environment contract, read once at boot (STYLE.md: nothing else reads process.env).
 * A bad or missing variable throws a ConfigError whose message names it.
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
  /** Fastify `trustProxy`: false, true, or the number of proxy hops to trust. */
  readonly trustProxy: boolean | number;
  /** Honour an explicit `Connection: keep-alive` on `/Action.aspx` (wallets never send one). */
  readonly actionKeepAlive: boolean;
  /** HTTPS served by this process itself (TLS_CERT_FILE + TLS_KEY_FILE, PEM); null = plain HTTP. */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | null;
  /** Requests per minute and client IP (an IPv6 /64 counts as one); 0 = no limit. */
  readonly rateLimit: { readonly actionPerMinute: number; readonly webPerMinute: number };
  /** SIGTERM/SIGINT: how long draining may take before the process exits anyway. */
  readonly shutdownTimeoutMs: number;
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
  /** What miners put in `pool=` (POOL_PUBLIC_URL); null → the pages show the URL they were asked on. */
  readonly poolPublicUrl: string | null;
  /** How long a frontend trusts its cached miner row (disabled flag, rated hash target). */
  readonly minerCacheSeconds: number;
  /** Distinct worker names a miner may have; a new one past it is refused, nothing created. */
  readonly maxWorkersPerMiner: number;
  /** Bounded cost of shares nobody pays for (issue 10): see README "Abuse limits". */
  readonly abuse: {
    rejectedSolutionBytesPerMinerHour: number;
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
  readonly databasePoolSize: number;
  /** How long a starting process waits for RabbitMQ before it listens anyway (and keeps retrying). */
  readonly brokerConnectWaitMs: number;
  readonly nodeRpcTimeoutMs: number;
  /** Reject shares whose block the node reports without CPID fields (pre-2019 PODC rules). */
  readonly solutionRequireCpid: boolean;
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

  constructor(env: Record<string, string | undefined>) {
    const read = new EnvReader(env);
    this.role = read.oneOf('ROLE', ROLES);
    this.httpHost = read.string('HTTP_HOST', '0.0.0.0');
    this.httpPort = read.int('HTTP_PORT', this.role === 'backend' ? 8001 : 8000, 0, 65535);
    this.database = read.databaseLink('DATABASE_URL', 'DATABASE', true);
    this.broker = read.brokerLink('AMQP_URL', 'AMQP');
    this.requireTls = read.bool('REQUIRE_TLS', false);
    if (this.requireTls) {
      if (!isEncrypted(this.database))
        throw new ConfigError(
          'DATABASE_URL',
          'is clear text but REQUIRE_TLS=true: add ?ssl=verify-full (or verify-ca, required)',
        );
      if (!isEncrypted(this.broker))
        throw new ConfigError('AMQP_URL', 'is clear text but REQUIRE_TLS=true: use amqps://');
    }
    this.networks = read.networks('NETWORKS', 'main');
    const pool: Partial<Record<Network, string>> = {};
    const nodes: Partial<Record<Network, string>> = {};
    for (const network of this.networks) {
      const suffix = network.toUpperCase();
      pool[network] = read.address(`POOL_ADDRESS_${suffix}`, network);
      if (this.role !== 'frontend')
        nodes[network] = read.url(`NODE_RPC_URL_${suffix}`, ['http:', 'https:'], false);
    }
    this.poolAddress = pool;
    this.nodeRpcUrl = nodes;
    this.trustProxy = read.trustProxy('TRUST_PROXY');
    this.tls = read.tlsFiles('TLS_CERT_FILE', 'TLS_KEY_FILE');
    this.actionKeepAlive = read.bool('ACTION_KEEP_ALIVE', false);
    // A wallet thread asks for work about once per share and sends at most one share per two
    // minutes: ~1 request/min per thread. 1200/min serves a farm of ~1000 threads behind one NAT,
    // and a wallet refused 5 getworks in a row falls back to solo mining, so err on the high side.
    this.rateLimit = {
      actionPerMinute: read.int('RATE_LIMIT_ACTION_PER_MINUTE', 1200, 0, 10_000_000),
      webPerMinute: read.int('RATE_LIMIT_WEB_PER_MINUTE', 300, 0, 10_000_000),
    };
    this.shutdownTimeoutMs = read.int('SHUTDOWN_TIMEOUT_MS', 15_000, 1000, 600_000);
    this.baseHashTarget = read.hashTarget('POOL_HASH_TARGET', DEFAULT_HASH_TARGET);
    this.logLevel = read.oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'], 'info');
    this.logFormat = read.oneOf('LOG_FORMAT', ['json', 'text'], 'text');
    this.logRequests = read.bool('LOG_REQUESTS', false);
    // The original pool's autosend limits: 10 BBP on main, 10,000 tBBP on test.
    this.payoutMinimum = {
      main: read.coins('PAYOUT_MINIMUM_MAIN', '10'),
      test: read.coins('PAYOUT_MINIMUM_TEST', '10000'),
    };
    this.poolFee = read.percent('POOL_FEE_PERCENT', '0');
    this.webCacheSeconds = read.int('WEB_CACHE_SECONDS', 60, 0, 3600);
    this.poolPublicUrl = read.optionalHttpUrl('POOL_PUBLIC_URL');
    this.minerCacheSeconds = read.int('MINER_CACHE_SECONDS', 60, 0, 86400);
    this.maxWorkersPerMiner = read.int('MAX_WORKERS_PER_MINER', 200, 1, 1_000_000);
    this.abuse = {
      rejectedSolutionBytesPerMinerHour: read.int(
        'REJECTED_SOLUTION_BYTES_PER_MINER_HOUR',
        1024 * 1024,
        0,
        1024 * 1024 * 1024,
      ),
      suspendRejections: read.int('MINER_SUSPEND_REJECTIONS', 200, 0, 10_000_000),
      suspendWindowSeconds: read.int('MINER_SUSPEND_WINDOW_SECONDS', 600, 1, 86_400),
      suspendSeconds: read.int('MINER_SUSPEND_SECONDS', 3600, 1, 30 * 86_400),
    };
    this.workBatchMax = read.int('WORK_BATCH_MAX', 500, 1, 10000);
    this.frontendProcesses = read.int('FRONTEND_PROCESSES', 1, 1, 64);
    if (this.frontendProcesses > 1 && this.role !== 'frontend')
      throw new ConfigError(
        'FRONTEND_PROCESSES',
        'needs ROLE=frontend (backends scale as processes of their own)',
      );
    this.publishTimeoutMs = read.int('PUBLISH_TIMEOUT_MS', 5000, 100, 120000);
    this.databasePoolSize = read.int('DATABASE_POOL_SIZE', 10, 1, 500);
    this.brokerConnectWaitMs = read.int('BROKER_CONNECT_WAIT_MS', 10_000, 0, 600_000);
    this.nodeRpcTimeoutMs = read.int('NODE_RPC_TIMEOUT_MS', 10_000, 100, 600_000);
    this.solutionRequireCpid = read.bool('SOLUTION_REQUIRE_CPID', true);
    this.solution = {
      prefetch: read.int('SOLUTION_PREFETCH', 1000, 1, 65535),
      batchMax: read.int('SOLUTION_BATCH_MAX', 250, 1, 5000),
      batchWaitMs: read.int('SOLUTION_BATCH_WAIT_MS', 10, 0, 10_000),
      batchesInFlight: read.int('SOLUTION_BATCHES_IN_FLIGHT', 3, 1, 64),
      tipRefreshMs: read.int('NODE_TIP_REFRESH_MS', 1000, 0, 60_000),
      nodeRetryMaxSeconds: read.int('NODE_RETRY_MAX_SECONDS', 30, 1, 3600),
      staleGraceMs: read.int('SOLUTION_STALE_GRACE_MS', 2000, 0, 600_000),
      batchAttempts: read.int('SOLUTION_BATCH_ATTEMPTS', 5, 1, 1000),
    };
    const mainMaturity = read.int('MATURITY_CONFIRMATIONS_MAIN', 101, 1, 100_000);
    const testMaturity = read.int('MATURITY_CONFIRMATIONS_TEST', 101, 1, 100_000);
    this.money = {
      feeRecipient: read.raw('POOL_FEE_RECIPIENT') ?? null,
      scheme: read.oneOf('PAYOUT_SCHEME', ['prop', 'pplns'], 'prop'),
      pplnsWindowShares: read.int('PPLNS_WINDOW', 10_000, 1, 100_000_000),
      maturity: { main: mainMaturity, test: testMaturity },
      payoutMinIntervalHours: read.number('PAYOUT_MIN_INTERVAL_HOURS', 24, 0, 24 * 365),
      payoutMaxPerRun: read.int('PAYOUT_MAX_PER_RUN', 200, 1, 10_000),
      reconcileGraceSeconds: read.int('PAYOUT_RECONCILE_GRACE_SECONDS', 120, 0, 86_400),
      failedRecheckHours: read.number('PAYOUT_FAILED_RECHECK_HOURS', 72, 0, 24 * 365),
      setAsideAfterFailures: read.int('PAYOUT_SET_ASIDE_AFTER_FAILURES', 3, 1, 1000),
      dustLimit: read.coins('PAYOUT_DUST_LIMIT', '0.01'),
      roundBacklogWaitSeconds: read.int('ROUND_BACKLOG_WAIT_SECONDS', 600, 0, 7 * 86_400),
      reorgDepth: {
        main: read.int('REORG_DEPTH_MAIN', mainMaturity + 10, 1, 100_000),
        test: read.int('REORG_DEPTH_TEST', testMaturity + 10, 1, 100_000),
      },
      orphanConfirmations: read.int('ORPHAN_CONFIRMATIONS', 6, 1, 100_000),
      chainWalkStartDepth: read.int('CHAIN_WALK_START_DEPTH', 200, 0, 1_000_000),
      blockPollSeconds: read.number('BLOCK_POLL_SECONDS', 60, 0.1, 86_400),
      shareoutIntervalSeconds: read.number('SHAREOUT_INTERVAL_SECONDS', 300, 0.1, 86_400),
      payoutIntervalSeconds: read.number('PAYOUT_INTERVAL_SECONDS', 3600, 0.1, 7 * 86_400),
      ratingIntervalSeconds: read.number('RATING_INTERVAL_SECONDS', 900, 0.1, 7 * 86_400),
      ratingDays: read.int('RATING_DAYS', 3, 1, 365),
      ratingSharesPerMinute: read.int('RATING_SHARES_PER_MINUTE', 4, 1, 10_000),
    };
    const adminTokens = readAdminTokens((name) => read.raw(name));
    this.admin = adminTokens
      ? {
          tokens: adminTokens,
          allowIps: parseAllowIps('ADMIN_ALLOW_IPS', read.raw('ADMIN_ALLOW_IPS')),
          loginFailuresPerMinute: read.int('ADMIN_LOGIN_FAILURES_PER_MINUTE', 10, 1, 10_000),
          sessionHours: read.number('ADMIN_SESSION_HOURS', 8, 0.01, 24 * 30),
        }
      : null;
    this.metricsSampleSeconds = read.number('METRICS_SAMPLE_SECONDS', 60, 0.1, 3600);
    this.runBackgroundWork = read.bool('RUN_BACKGROUND_WORK', true);
    this.cleanup = {
      intervalSeconds: read.int('CLEANUP_INTERVAL_SECONDS', 3600, 1, 7 * 86400),
      batchSize: read.int('CLEANUP_BATCH_SIZE', 5000, 1, 1_000_000),
      workRetentionDays: read.int('WORK_RETENTION_DAYS', 7, 1, 3650),
      solutionRetentionDays: read.int('SOLUTION_RETENTION_DAYS', 30, 1, 3650),
      rejectedRetentionDays: read.int('REJECTED_RETENTION_DAYS', 7, 1, 3650),
      rejectedSolutionStringHours: read.int('REJECTED_SOLUTION_STRING_HOURS', 24, 0, 87600),
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

/**
 * A fee percentage held exactly: `percent` is the operator's value as canonical text ("1.5"),
 * `partsPerMillion` the same as an integer (1.5 % → 15000), so fee = subsidy × ppm / 1,000,000.
 */
export interface PoolFee {
  readonly percent: string;
  readonly partsPerMillion: bigint;
}

const PERCENT_DECIMALS = 4;

/** Small typed readers with messages that name the variable and what it should be. */
export class EnvReader {
  constructor(private readonly env: Record<string, string | undefined>) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback?: string): string {
    const value = this.raw(name) ?? fallback;
    if (value === undefined) throw new ConfigError(name, 'is required');
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback?: T): T {
    const value = this.raw(name) ?? fallback;
    if (value === undefined)
      throw new ConfigError(name, `is required (one of ${allowed.join(', ')})`);
    if (!(allowed as readonly string[]).includes(value)) {
      throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${value}")`);
    }
    return value as T;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!/^-?\d+$/.test(value)) throw new ConfigError(name, `must be an integer (got "${value}")`);
    const n = Number(value);
    if (n < min || n > max)
      throw new ConfigError(name, `must be between ${min} and ${max} (got ${n})`);
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (/^(1|true|yes|on)$/i.test(value)) return true;
    if (/^(0|false|no|off)$/i.test(value)) return false;
    throw new ConfigError(name, `must be true or false (got "${value}")`);
  }

  url(name: string, protocols: string[], needsDatabase: boolean, fallback?: string): string {
    const value = this.raw(name) ?? fallback;
    const shape = `${protocols[0]}//user:pass@host:port${needsDatabase ? '/db' : ''}`;
    if (value === undefined) throw new ConfigError(name, `is required (${shape})`);
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ConfigError(name, `must be a URL like ${shape}`);
    }
    if (!protocols.includes(url.protocol)) {
      throw new ConfigError(name, `must start with ${protocols.join(' or ')}// (${shape})`);
    }
    if (!url.hostname) throw new ConfigError(name, `has no host (${shape})`);
    if (needsDatabase && url.pathname.replace(/^\//, '') === '') {
      throw new ConfigError(name, `names no database (${shape})`);
    }
    return value;
  }

  networks(name: string, fallback: string): Network[] {
    const items = (this.raw(name) ?? fallback)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (items.length === 0) throw new ConfigError(name, 'must name at least one network');
    for (const item of items) {
      if (!isNetwork(item))
        throw new ConfigError(name, `has unknown network "${item}" (main, test)`);
    }
    return [...new Set(items)] as Network[];
  }

  address(name: string, network: Network): string {
    const value = this.string(name);
    if (!isValidAddress(network, value)) {
      throw new ConfigError(name, `is not a valid ${network} BiblePay address (got "${value}")`);
    }
    return value;
  }

  hashTarget(name: string, fallback: string): string {
    const value = (this.raw(name) ?? fallback).toLowerCase();
    if (!isHashTarget(value)) throw new ConfigError(name, 'must be 64 hex characters, not zero');
    return value;
  }

  /** A positive coin amount, parsed exactly (no float), returned in base units. */
  coins(name: string, fallback: string): BaseUnits {
    const value = this.raw(name) ?? fallback;
    let units: BaseUnits;
    try {
      units = parseCoins(value);
    } catch {
      throw new ConfigError(name, `must be a coin amount like 10 or 0.5 (got "${value}")`);
    }
    if (units <= 0n) throw new ConfigError(name, `must be more than 0 (got "${value}")`);
    return units;
  }

  /** A percentage from 0 to 100 with at most 4 decimals, held exactly. */
  percent(name: string, fallback: string): PoolFee {
    const value = this.raw(name) ?? fallback;
    const match = /^(\d{1,3})(?:\.(\d+))?$/.exec(value);
    const fraction = (match?.[2] ?? '').replace(/0+$/, '');
    if (!match || fraction.length > PERCENT_DECIMALS) {
      throw new ConfigError(
        name,
        `must be a percentage like 1 or 2.5 (at most ${PERCENT_DECIMALS} decimals, got "${value}")`,
      );
    }
    const whole = BigInt(match[1]);
    const partsPerMillion = whole * 10_000n + BigInt(fraction.padEnd(PERCENT_DECIMALS, '0'));
    if (partsPerMillion > 1_000_000n)
      throw new ConfigError(name, `must be at most 100 (got "${value}")`);
    return { percent: fraction ? `${whole}.${fraction}` : `${whole}`, partsPerMillion };
  }

  /** An optional http(s) URL without a trailing slash; empty → null. */
  optionalHttpUrl(name: string): string | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ConfigError(name, `must be a URL like https://pool.example.org (got "${value}")`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new ConfigError(name, `must start with http:// or https:// (got "${value}")`);
    return value.replace(/\/+$/, '');
  }

  /** A decimal number (job intervals may be fractions of a second in tests). */
  number(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!/^\d+(\.\d+)?$/.test(value))
      throw new ConfigError(name, `must be a number (got "${value}")`);
    const n = Number(value);
    if (n < min || n > max)
      throw new ConfigError(name, `must be between ${min} and ${max} (got ${n})`);
    return n;
  }

  /** A certificate and its key, set together or not at all (the files are read at listen). */
  tlsFiles(
    certVariable: string,
    keyVariable: string,
  ): { certFile: string; keyFile: string } | null {
    const certFile = this.raw(certVariable);
    const keyFile = this.raw(keyVariable);
    if (certFile === undefined && keyFile === undefined) return null;
    if (certFile === undefined)
      throw new ConfigError(certVariable, `is required when ${keyVariable} is set`);
    if (keyFile === undefined)
      throw new ConfigError(keyVariable, `is required when ${certVariable} is set`);
    return { certFile, keyFile };
  }

  /** `PREFIX_CA_FILE`, `PREFIX_CERT_FILE`, `PREFIX_KEY_FILE`; the last two together or not at all. */
  tlsClientFiles(prefix: string): TlsClientFiles {
    const names = tlsFileVariables(prefix);
    const certFile = this.raw(names.cert);
    const keyFile = this.raw(names.key);
    if (certFile !== undefined && keyFile === undefined)
      throw new ConfigError(names.key, `is required when ${names.cert} is set`);
    if (keyFile !== undefined && certFile === undefined)
      throw new ConfigError(names.cert, `is required when ${names.key} is set`);
    return { caFile: this.raw(names.ca), certFile, keyFile };
  }

  databaseLink(
    name: string,
    prefix: string,
    needsDatabase: boolean,
    fallback?: string,
  ): DatabaseLink {
    const value = this.url(name, ['mysql:'], needsDatabase, fallback);
    return parseDatabaseLink(name, value, this.tlsClientFiles(prefix), prefix);
  }

  /** One broker URL or a comma list of a cluster's nodes, each checked like a single URL. */
  brokerLink(name: string, prefix: string, fallback?: string): BrokerLink {
    const value = this.raw(name) ?? fallback;
    if (value === undefined) this.url(name, ['amqp:'], false);
    const nodes = (value ?? '').split(',').map((s) => s.trim());
    nodes.forEach((node, i) => {
      const label = nodes.length > 1 ? `${name} (node ${i + 1})` : name;
      new EnvReader({ [label]: node || undefined }).url(label, ['amqp:', 'amqps:'], false);
    });
    return parseBrokerLink(name, nodes.join(','), this.tlsClientFiles(prefix), prefix);
  }

  trustProxy(name: string): boolean | number {
    const value = this.raw(name);
    if (value === undefined) return false;
    if (/^\d+$/.test(value)) return Number(value);
    return this.bool(name, false);
  }
}
