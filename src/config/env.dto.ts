import { Expose, plainToInstance, Transform } from 'class-transformer';
import {
  Validate,
  validateSync,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { BaseUnits } from '../biblepay/amount';
import { Network } from '../biblepay/network';
import { NodeFlavorSetting } from '../biblepay/node-flavor';
import { AdminToken, parseAllowIps, readAdminTokens } from './admin-config';
import { ConfigError } from './config-error';
import {
  addressOf,
  anyText,
  coins,
  decimal,
  EnvProblem,
  flag,
  flagOrAuto,
  hashTarget,
  httpUrl,
  integer,
  networkList,
  oneOf,
  Parsed,
  percent,
  PoolFee,
  redisUrl,
  serviceUrl,
  trustedProxies,
  urlShape,
} from './env-parsers';
import { brokerLinkOf, databaseLinkOf, EnvLookup, envLookup } from './env-reader';
import { BrokerLink, DatabaseLink, isEncrypted } from './link-tls';

export type Role = 'frontend' | 'backend' | 'all';
export const ROLES: readonly Role[] = ['frontend', 'backend', 'all'];
const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

@ValidatorConstraint({ name: 'envValue' })
class EnvValue implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return !(value instanceof EnvProblem);
  }

  defaultMessage(args: ValidationArguments): string {
    return (args.value as EnvProblem).problem;
  }
}

interface EnvOptions {
  /** The problem when unset; without it the variable is optional (its default is AppConfig's). */
  required?: string;
  /** Read only when this holds (a backend's node URL); otherwise ignored, whatever it says. */
  when?: (raw: EnvLookup) => boolean;
}

/**
 * One environment variable: its trimmed text (blank = unset) parsed by `parse`; what cannot be
 * parsed becomes an EnvProblem, which class-validator refuses with the problem as its message.
 */
function Env<T>(
  parse: (text: string, raw: EnvLookup, name: string) => Parsed<T>,
  options: EnvOptions = {},
): PropertyDecorator {
  return EnvFrom((raw, name) => {
    if (options.when && !options.when(raw)) return undefined;
    const text = raw(name);
    if (text === undefined) return options.required ? new EnvProblem(options.required) : undefined;
    return parse(text, raw, name);
  });
}

/** A value read from the whole environment (several variables that only make sense together). */
function EnvFrom<T>(
  read: (raw: EnvLookup, name: string) => Parsed<T> | undefined,
): PropertyDecorator {
  return (target, property) => {
    Expose()(target, property);
    Transform(({ key, obj }: { key: string; obj: Record<string, unknown> }) =>
      read(envLookup(obj), key),
    )(target, property);
    Validate(EnvValue)(target, property);
  };
}

/**
 * REQUIRE_TLS=true refuses a link that is clear text or checks no certificate (their own problems
 * come first): `?ssl=required` encrypts to whoever answers, so a man in the middle reads it all.
 * amqps:// is verified by Node unless NODE_TLS_REJECT_UNAUTHORIZED=0 turns that off process-wide.
 */
function requireTls(text: string, raw: EnvLookup): Parsed<boolean> {
  const on = flag(text);
  if (on !== true) return on;
  const database = databaseLinkOf(raw, 'DATABASE_URL', raw('DATABASE_URL') ?? '', 'DATABASE', true);
  if (!(database instanceof EnvProblem) && !isEncrypted(database)) {
    return new EnvProblem(
      'is clear text but REQUIRE_TLS=true: add ?ssl=verify-full (or verify-ca)',
      'DATABASE_URL',
    );
  }
  if (!(database instanceof EnvProblem) && database.sslMode === 'required') {
    return new EnvProblem(
      'has ?ssl=required, which checks no certificate, but REQUIRE_TLS=true: use ?ssl=verify-full (or verify-ca)',
      'DATABASE_URL',
    );
  }
  const broker = brokerLinkOf(raw, 'AMQP_URL', raw('AMQP_URL') ?? '', 'AMQP');
  if (!(broker instanceof EnvProblem) && !isEncrypted(broker)) {
    return new EnvProblem('is clear text but REQUIRE_TLS=true: use amqps://', 'AMQP_URL');
  }
  if (raw('NODE_TLS_REJECT_UNAUTHORIZED') === '0') {
    return new EnvProblem(
      'is 0, which turns certificate checks off, but REQUIRE_TLS=true: unset it',
      'NODE_TLS_REJECT_UNAUTHORIZED',
    );
  }
  return true;
}

/** ADMIN_TOKEN (labelled ADMIN_TOKEN_LABEL) and the tokens of ADMIN_TOKEN_FILE. */
function adminTokens(raw: EnvLookup): Parsed<readonly AdminToken[]> | undefined {
  try {
    return readAdminTokens(raw) ?? undefined;
  } catch (error) {
    return EnvProblem.of(error);
  }
}

const servedNetworks = (raw: EnvLookup): Network[] => {
  const served = networkList(raw('NETWORKS') ?? 'main');
  return served instanceof EnvProblem ? [] : served;
};
const serves = (network: Network) => (raw: EnvLookup) => servedNetworks(raw).includes(network);
const backendServes = (network: Network) => (raw: EnvLookup) =>
  raw('ROLE') !== 'frontend' && serves(network)(raw);
const adminOn = (raw: EnvLookup): boolean =>
  raw('ADMIN_TOKEN') !== undefined || raw('ADMIN_TOKEN_FILE') !== undefined;
const NODE_URL = serviceUrl(['http:', 'https:'], false);

/**
 * The roles' whole environment as a class-validator DTO (as immich's server reads its env), in the
 * order the problems are reported: the first refused variable stops the boot with one line
 * (main.ts, exit 2). Unset optional variables stay undefined; AppConfig applies the defaults and
 * builds the typed configuration the rest of the code reads.
 */
export class EnvDto {
  /**
   * What this process runs: `frontend` (the wallets' getwork API and the web pages), `backend`
   * (share validation, blocks, shareout, payouts, the operator console) or `all` (both in one).
   * @role all
   * @group Roles and links
   */
  @Env(oneOf(ROLES), { required: `is required (one of ${ROLES.join(', ')})` })
  readonly ROLE: Role;
  /**
   * Listen address of the HTTP server.
   * @role all
   * @group HTTP server
   */
  @Env(anyText) readonly HTTP_HOST?: string;
  /**
   * HTTP port; the backend serves only `/health`, `/metrics` and the operator console on it.
   * @role all
   * @group HTTP server
   * @default 8000 (frontend, all), 8001 (backend)
   */
  @Env(integer(0, 65535)) readonly HTTP_PORT?: number;
  /**
   * `mysql://user:pass@host:port/db[?ssl=required|verify-ca|verify-full]`: the role's own DB user.
   * `?ssl=required` encrypts without checking the certificate, `verify-ca` checks it against the
   * CA, `verify-full` also checks the host name; any other URL parameter is refused (a typo must
   * not turn TLS off). `DATABASE_CA_FILE`, `DATABASE_CERT_FILE`, `DATABASE_KEY_FILE` (PEM, unset by
   * default) give the CA that signed the server's certificate (without it, the system's CAs) and an
   * optional client certificate and key (both or neither); db:setup uses them for
   * `DATABASE_ADMIN_URL` too.
   * @role all
   * @group Roles and links
   * @allowed `mysql://` URL naming a database, optional `?ssl=`
   */
  @Env((text, raw, name) => databaseLinkOf(raw, name, text, 'DATABASE', true), {
    required: `is required (${urlShape(['mysql:'], true)})`,
  })
  readonly DATABASE_URL: DatabaseLink;
  /**
   * `amqp://user:pass@host:port/vhost` (or `amqps://` for TLS): the role's own broker user; a comma
   * list of a cluster's nodes fails over. `AMQP_CA_FILE`, `AMQP_CERT_FILE`, `AMQP_KEY_FILE` (PEM,
   * unset by default) are used with `amqps://` URLs (certificate and host name always verified);
   * db:setup uses them for `BACKEND_AMQP_URL` too. A CA file with a clear-text URL is refused.
   * @role all
   * @group Roles and links
   * @allowed `amqp://` or `amqps://` URL, or a comma list of them
   */
  @Env((text, raw, name) => brokerLinkOf(raw, name, text, 'AMQP'), {
    required: `is required (${urlShape(['amqp:', 'amqps:'], false)})`,
  })
  readonly AMQP_URL: BrokerLink;
  /**
   * `true`: refuse to start (one line, exit 2) on a clear-text `DATABASE_URL` or one with
   * `?ssl=required` (no certificate check), an `amqp://` `AMQP_URL`, or
   * `NODE_TLS_REJECT_UNAUTHORIZED=0`.
   * @role all
   * @group Roles and links
   */
  @Env(requireTls) readonly REQUIRE_TLS?: boolean;
  /**
   * The networks this process serves.
   * @role all
   * @group Roles and links
   */
  @Env(networkList) readonly NETWORKS?: Network[];
  /**
   * The pool wallet's address on main (checked: base58check, the network's version byte); required
   * when main is served.
   * @role all
   * @group Roles and links
   */
  @Env(addressOf('main'), { required: 'is required', when: serves('main') })
  readonly POOL_ADDRESS_MAIN?: string;
  /**
   * `http://rpcuser:rpcpass@host:port` of the main BiblePay node; required by a backend serving main.
   * @role backend
   * @group Roles and links
   */
  @Env(NODE_URL, {
    required: `is required (${urlShape(['http:'], false)})`,
    when: backendServes('main'),
  })
  readonly NODE_RPC_URL_MAIN?: string;
  /**
   * The pool wallet's address on test; required when test is served.
   * @role all
   * @group Roles and links
   */
  @Env(addressOf('test'), { required: 'is required', when: serves('test') })
  readonly POOL_ADDRESS_TEST?: string;
  /**
   * `http://rpcuser:rpcpass@host:port` of the test BiblePay node; required by a backend serving test.
   * @role backend
   * @group Roles and links
   */
  @Env(NODE_URL, {
    required: `is required (${urlShape(['http:'], false)})`,
    when: backendServes('test'),
  })
  readonly NODE_RPC_URL_TEST?: string;
  /**
   * The proxies' addresses / CIDR ranges (`127.0.0.1,10.0.0.0/8`): `X-Forwarded-For` is believed
   * only from them; `true` and hop counts are refused at boot (RUNBOOK §1.5).
   * @role all
   * @group HTTP server
   * @default `false` (no proxy)
   */
  @Env(trustedProxies) readonly TRUST_PROXY?: string[];
  /**
   * Serve HTTPS from this PEM certificate (Evo wallets speak only TLS, on port 443; SNI or none);
   * with `TLS_KEY_FILE`, both or neither; reloaded on SIGHUP and when the files change.
   * @role all
   * @group HTTP server
   * @default unset (plain HTTP)
   * @allowed path of a PEM file
   */
  @Env((text, raw) =>
    raw('TLS_KEY_FILE') === undefined
      ? new EnvProblem('is required when TLS_CERT_FILE is set', 'TLS_KEY_FILE')
      : text,
  )
  readonly TLS_CERT_FILE?: string;
  /**
   * The private key (PEM) of `TLS_CERT_FILE`.
   * @role all
   * @group HTTP server
   * @default unset (plain HTTP)
   * @allowed path of a PEM file
   */
  @Env((text, raw) =>
    raw('TLS_CERT_FILE') === undefined
      ? new EnvProblem('is required when TLS_KEY_FILE is set', 'TLS_CERT_FILE')
      : text,
  )
  readonly TLS_KEY_FILE?: string;
  /**
   * Let a client that sends `Connection: keep-alive` keep an idle `/Action.aspx` connection for the
   * server's keep-alive time (65 s) instead of 2 s (load testers, proxies pooling upstream
   * connections). Wallets never send it: they close the connection once the terminator is read.
   * @role frontend
   * @group HTTP server
   */
  @Env(flag) readonly ACTION_KEEP_ALIVE?: boolean;
  /**
   * Requests per IP (IPv6 /64) per minute on `/Action.aspx`; 0 = off. A wallet thread makes about
   * one request a minute and falls back to solo mining after 5 failed getworks, so the default
   * serves ~1,000 threads behind one NAT; over the limit the wallet gets the protocol error
   * `Too many requests, slow down`.
   * @role frontend
   * @group HTTP server
   */
  @Env(integer(0, 10_000_000)) readonly RATE_LIMIT_ACTION_PER_MINUTE?: number;
  /**
   * The same for the pages and the API (429 with a JSON body); `/health` and `/metrics` are never
   * limited (`/health` answers from one check a second, shared by every hit).
   * @role all
   * @group HTTP server
   */
  @Env(integer(0, 10_000_000)) readonly RATE_LIMIT_WEB_PER_MINUTE?: number;
  /**
   * After SIGTERM/SIGINT, the longest drain before the process exits anyway.
   * @role all
   * @group HTTP server
   */
  @Env(integer(1000, 600_000)) readonly SHUTDOWN_TIMEOUT_MS?: number;
  /**
   * The longest one HTTP request may take, headers and body: a request not all arrived by then is
   * answered 408 and its socket closed (slow senders).
   * @role all
   * @group HTTP server
   */
  @Env(integer(1000, 3_600_000)) readonly HTTP_REQUEST_TIMEOUT_MS?: number;
  /**
   * The longest a request's headers may take to arrive (a silent or half-sent socket); at most
   * `HTTP_REQUEST_TIMEOUT_MS`.
   * @role all
   * @group HTTP server
   * @default 10000 (or `HTTP_REQUEST_TIMEOUT_MS` when smaller)
   */
  @Env(integer(1000, 3_600_000)) readonly HTTP_HEADERS_TIMEOUT_MS?: number;
  /**
   * Open sockets per peer address (IPv4, IPv6 /64) and process; past it a new socket is closed at
   * once; 0 = no cap. A peer `TRUST_PROXY` lists is not capped (see "Connections" below).
   * @role all
   * @group HTTP server
   */
  @Env(integer(0, 1_000_000)) readonly MAX_CONNECTIONS_PER_SOURCE?: number;
  /**
   * Hash target of an unrated miner; share weight is measured against it.
   * @role all
   * @group Getwork and intake
   */
  @Env(hashTarget) readonly POOL_HASH_TARGET?: string;
  /**
   * Log level.
   * @role all
   * @group Logging
   */
  @Env(oneOf(LOG_LEVELS)) readonly LOG_LEVEL?: (typeof LOG_LEVELS)[number];
  /**
   * `json`: one pino JSON object per line (role, time, context, message); `text`: Nest's console
   * format.
   * @role all
   * @group Logging
   */
  @Env(oneOf(['json', 'text'] as const)) readonly LOG_FORMAT?: 'json' | 'text';
  /**
   * With `LOG_FORMAT=json`, also log every HTTP request (request id from `X-Request-Id` or a new
   * UUID, echoed in the answer's `X-Request-Id`); costs throughput on getwork.
   * @role all
   * @group Logging
   */
  @Env(flag) readonly LOG_REQUESTS?: boolean;
  /**
   * Smallest balance paid on main, in coins, parsed exactly (the pages show it too).
   * @role all
   * @group Money path
   * @default 10
   */
  @Env(coins) readonly PAYOUT_MINIMUM_MAIN?: BaseUnits;
  /**
   * Smallest balance paid on test, in coins.
   * @role all
   * @group Money path
   * @default 10000
   */
  @Env(coins) readonly PAYOUT_MINIMUM_TEST?: BaseUnits;
  /**
   * Pool fee in percent, 0–100 with up to 4 decimals, held exactly as parts per million.
   * @role all
   * @group Money path
   * @default 0
   */
  @Env(percent) readonly POOL_FEE_PERCENT?: PoolFee;
  /**
   * Page and API reads are reused this long (0: only concurrent reads are shared).
   * @role frontend
   * @group Web pages and API
   */
  @Env(integer(0, 3600)) readonly WEB_CACHE_SECONDS?: number;
  /**
   * `redis://[:pass@]host:6379[/db]` or `rediss://`: a Redis the frontends share the page and API
   * reads in.
   * @role frontend
   * @group Web pages and API
   * @default unset (each process's memory)
   */
  @Env(redisUrl) readonly CACHE_URL?: string;
  /**
   * The `pool=` line shown on the how-to-join page.
   * @role frontend
   * @group Web pages and API
   * @default the URL of the request
   */
  @Env(httpUrl) readonly POOL_PUBLIC_URL?: string;
  /**
   * How long a frontend trusts its cached miner row (disabled flag, suspension, rated target).
   * @role frontend
   * @group Getwork and intake
   */
  @Env(integer(0, 86400)) readonly MINER_CACHE_SECONDS?: number;
  /**
   * Miners a frontend keeps cached for getwork; past it the least recently seen one is dropped.
   * @role frontend
   * @group Getwork and intake
   */
  @Env(integer(1, 10_000_000)) readonly MINER_CACHE_ENTRIES?: number;
  /**
   * Distinct worker names per miner; past it a new name takes the slot of the longest-idle worker
   * (no accepted share in `WORKER_IDLE_DAYS`), and is refused with a protocol error only when every
   * slot is productive.
   * @role frontend
   * @group Getwork and intake
   */
  @Env(integer(1, 1_000_000)) readonly MAX_WORKERS_PER_MINER?: number;
  /**
   * A worker without an accepted share in this many days is idle: at MAX_WORKERS_PER_MINER a new
   * name takes the slot of the longest-idle one, and the cleanup prunes idle workers.
   * @role all
   * @group Getwork and intake
   */
  @Env(integer(1, 3650)) readonly WORKER_IDLE_DAYS?: number;
  /**
   * Solution-string bytes stored with one miner's rejected shares per hour; past it only the reason.
   * @role backend
   * @group Abuse limits
   * @default 1048576 (1 MiB)
   */
  @Env(integer(0, 1024 * 1024 * 1024)) readonly REJECTED_SOLUTION_BYTES_PER_MINER_HOUR?: number;
  /**
   * Solution-string bytes stored with all rejected shares per hour, whoever sent them (each backend
   * re-reads the pool-wide total every minute).
   * @role backend
   * @group Abuse limits
   * @default 67108864 (64 MiB)
   */
  @Env(integer(0, 64 * 1024 * 1024 * 1024)) readonly REJECTED_STRING_BYTES_PER_HOUR?: number;
  /**
   * Solution-string bytes stored with one source's (IPv4 address, IPv6 /64) rejected shares per
   * hour, whatever miners they name.
   * @role backend
   * @group Abuse limits
   * @default 1048576 (1 MiB)
   */
  @Env(integer(0, 1024 * 1024 * 1024)) readonly REJECTED_STRING_BYTES_PER_SOURCE_HOUR?: number;
  /**
   * Suspend a source (IPv4 address, IPv6 /64) with this many rejected shares (stale and duplicates
   * not counted) within `MINER_SUSPEND_WINDOW_SECONDS`, for `MINER_SUSPEND_SECONDS` — never the
   * miner the shares name; 0 = never.
   * @role backend
   * @group Abuse limits
   */
  @Env(integer(0, 10_000_000)) readonly MINER_SUSPEND_REJECTIONS?: number;
  /**
   * The window `MINER_SUSPEND_REJECTIONS` is counted in.
   * @role backend
   * @group Abuse limits
   */
  @Env(integer(1, 86_400)) readonly MINER_SUSPEND_WINDOW_SECONDS?: number;
  /**
   * How long a suspension lasts.
   * @role backend
   * @group Abuse limits
   */
  @Env(integer(1, 30 * 86_400)) readonly MINER_SUSPEND_SECONDS?: number;
  /**
   * Most work rows written by one INSERT (the frontend's group commit).
   * @role frontend
   * @group Getwork and intake
   */
  @Env(integer(1, 10000)) readonly WORK_BATCH_MAX?: number;
  /**
   * Fork this many frontend worker processes sharing the HTTP port (Node's `cluster` module; a
   * worker that dies is replaced, SIGTERM drains them all), to use every core behind one port.
   * @role frontend
   * @group HTTP server
   */
  @Env(integer(1, 64)) readonly FRONTEND_PROCESSES?: number;
  /**
   * A solution the broker has not confirmed by then is answered with an error.
   * @role frontend
   * @group Getwork and intake
   */
  @Env(integer(100, 120000)) readonly PUBLISH_TIMEOUT_MS?: number;
  /**
   * Most solutions in one broker message (group commit: those that arrive in one event-loop turn,
   * or while the previous message waits for its confirm, travel together, each wallet answered
   * `ok` after that message's confirm); 1 = one message each.
   * @role frontend
   * @group Getwork and intake
   */
  @Env(integer(1, 1000)) readonly SOLUTION_PUBLISH_BATCH_MAX?: number;
  /**
   * Solution queues (the same value for db:setup, frontends and backends): each solution goes to
   * the queue its work id hashes to, every backend consumes them all (RUNBOOK §2.1).
   * @role all
   * @group Solution pipeline
   */
  @Env(integer(1, 16)) readonly SOLUTION_QUEUE_SHARDS?: number;
  /**
   * Database connections per process.
   * @role all
   * @group Roles and links
   */
  @Env(integer(1, 500)) readonly DATABASE_POOL_SIZE?: number;
  /**
   * How long a starting process waits for RabbitMQ before listening anyway (and retrying).
   * @role all
   * @group Roles and links
   */
  @Env(integer(0, 600_000)) readonly BROKER_CONNECT_WAIT_MS?: number;
  /**
   * Timeout of one node call (reads).
   * @role backend
   * @group Solution pipeline
   */
  @Env(integer(100, 600_000)) readonly NODE_RPC_TIMEOUT_MS?: number;
  /**
   * How long the backend waits for a `sendmany` answer. Longer than reads: a busy wallet answers
   * sends late. A send that times out is kept held (dispatched), never refunded on absence alone.
   * @role backend
   * @group Money path
   */
  @Env(integer(100, 600_000)) readonly NODE_SEND_TIMEOUT_MS?: number;
  /**
   * `auto`: a share's block must carry a valid, legal CPID only where the real chain asked for one
   * — a classic node and a prev height inside the PODC window (main 33,440 < h < 107,000; test <
   * 126,150; node-flavor.ts); post-PODC classic blocks and Evo blocks carry none. `true`: always
   * (`cpid_unknown` when the node reports no CPID members); `false`: never.
   * @role backend
   * @group Solution pipeline
   */
  @Env(flagOrAuto) readonly SOLUTION_REQUIRE_CPID?: boolean | 'auto';
  /**
   * The main node's generation: `classic` (1.1.x–1.2.x), `evo` (1.4.x) or `auto` (from
   * `getnetworkinfo`'s `version`, ≥ 1,040,000 = evo; asked again every 10 minutes). Decides
   * `sendmany`'s layout; logged at start and shown on `/health` (`flavor`, `version`, `warnings`: a
   * setting that contradicts the node, a labelled pool address). See docs/FIDELITY.md.
   * @role backend
   * @group Solution pipeline
   */
  @Env(oneOf(['auto', 'classic', 'evo'] as const)) readonly NODE_FLAVOR_MAIN?: NodeFlavorSetting;
  /**
   * The same for the test node.
   * @role backend
   * @group Solution pipeline
   */
  @Env(oneOf(['auto', 'classic', 'evo'] as const)) readonly NODE_FLAVOR_TEST?: NodeFlavorSetting;
  /**
   * Unacknowledged solution messages a backend holds.
   * @role backend
   * @group Solution pipeline
   */
  @Env(integer(1, 65535)) readonly SOLUTION_PREFETCH?: number;
  /**
   * A validation batch closes at this many solutions (or after `SOLUTION_BATCH_WAIT_MS`).
   * @role backend
   * @group Solution pipeline
   */
  @Env(integer(1, 5000)) readonly SOLUTION_BATCH_MAX?: number;
  /**
   * A validation batch closes after this wait (or at `SOLUTION_BATCH_MAX`).
   * @role backend
   * @group Solution pipeline
   */
  @Env(integer(0, 10_000)) readonly SOLUTION_BATCH_WAIT_MS?: number;
  /**
   * Batches validated at once (bounds the load on the node).
   * @role backend
   * @group Solution pipeline
   */
  @Env(integer(1, 64)) readonly SOLUTION_BATCHES_IN_FLIGHT?: number;
  /**
   * `exec pinfo` at most this often; the max nonce is derived from the tip time in between.
   * @role backend
   * @group Solution pipeline
   */
  @Env(integer(0, 60_000)) readonly NODE_TIP_REFRESH_MS?: number;
  /**
   * Longest wait, in seconds, between two tries of a solution batch held unacked while the node or
   * the database is unavailable (250 ms doubling up to this; default 30): once it is back, waiting
   * shares are recorded within this time. Nothing is dead-lettered for such an outage.
   * @role backend
   * @group Solution pipeline
   */
  @Env(integer(1, 3600)) readonly NODE_RETRY_MAX_SECONDS?: number;
  /**
   * A share received up to this long after its prev_height stopped being the tip is still fresh
   * (clock skew, propagation).
   * @role backend
   * @group Solution pipeline
   */
  @Env(integer(0, 600_000)) readonly SOLUTION_STALE_GRACE_MS?: number;
  /**
   * Tries of a solution batch that fails for a reason of its own (a row the database refuses, a
   * connection lost while the database answers others) before it is split in halves, and of a
   * single delivery before it is dead-lettered (default 5). Outages of the node or the database do
   * not count.
   * @role backend
   * @group Solution pipeline
   */
  @Env(integer(1, 1000)) readonly SOLUTION_BATCH_ATTEMPTS?: number;
  /**
   * Confirmations before a main pool block is shared out: 102 is when the wallet can spend a
   * coinbase (`COINBASE_MATURITY` 101 + 1, `GetBlocksToMaturity`).
   * @role backend
   * @group Money path
   * @default 102
   */
  @Env(integer(1, 100_000)) readonly MATURITY_CONFIRMATIONS_MAIN?: number;
  /**
   * The same on test.
   * @role backend
   * @group Money path
   * @default 102
   */
  @Env(integer(1, 100_000)) readonly MATURITY_CONFIRMATIONS_TEST?: number;
  /**
   * Where the fee is recorded as going.
   * @role backend
   * @group Money path
   * @default the pool address of the block's network
   */
  @Env(anyText) readonly POOL_FEE_RECIPIENT?: string;
  /**
   * `prop` (the round's shares) or `pplns` (the last `PPLNS_WINDOW` shares).
   * @role backend
   * @group Money path
   */
  @Env(oneOf(['prop', 'pplns'] as const)) readonly PAYOUT_SCHEME?: 'prop' | 'pplns';
  /**
   * PPLNS: the last N base-target shares of weight before the block.
   * @role backend
   * @group Money path
   */
  @Env(integer(1, 100_000_000)) readonly PPLNS_WINDOW?: number;
  /**
   * A miner is paid at most this often.
   * @role backend
   * @group Money path
   */
  @Env(decimal(0, 24 * 365)) readonly PAYOUT_MIN_INTERVAL_HOURS?: number;
  /**
   * Recipients in one `sendmany`.
   * @role backend
   * @group Money path
   */
  @Env(integer(1, 10_000)) readonly PAYOUT_MAX_PER_RUN?: number;
  /**
   * An intent never handed to `sendmany` and absent from the wallet this long is released; a
   * dispatched one absent this long becomes an open problem (held until found or released by an
   * operator).
   * @role backend
   * @group Money path
   */
  @Env(integer(0, 86_400)) readonly PAYOUT_RECONCILE_GRACE_SECONDS?: number;
  /**
   * Confirmations (`gettransaction`) a sent payment needs before it counts as confirmed (default
   * 1); until then it is broadcast: the wallet holds it, no block does yet. A send the wallet
   * reports conflicted (negative confirmations) or abandoned becomes an open problem with an
   * alert, re-credited to its miners only by an operator.
   * @role backend
   * @group Money path
   */
  @Env(integer(1, 1000)) readonly PAYOUT_CONFIRMATIONS?: number;
  /**
   * Payments marked failed this recently are looked for in the wallet again; found → re-marked
   * sent, refund taken back (0: never).
   * @role backend
   * @group Money path
   */
  @Env(decimal(0, 24 * 365)) readonly PAYOUT_FAILED_RECHECK_HOURS?: number;
  /**
   * Failed payments in a row, for reasons of the recipient's own, before it is set aside (until
   * `cli release-payout`).
   * @role backend
   * @group Money path
   */
  @Env(integer(1, 1000)) readonly PAYOUT_SET_ASIDE_AFTER_FAILURES?: number;
  /**
   * Coins; no output below this is sent, whatever `PAYOUT_MINIMUM_<NET>` says.
   * @role backend
   * @group Money path
   * @default 0.01
   */
  @Env(coins) readonly PAYOUT_DUST_LIMIT?: BaseUnits;
  /**
   * A mature pool block's round is fixed once the solution backlog (queue, this backend's buffer and
   * batches) has drained, or after this long; a round that ends up empty goes to the fee with the
   * reason recorded (`block.fee_reason`, listed by `npm run cli -- audit`).
   * @role backend
   * @group Money path
   */
  @Env(integer(0, 7 * 86_400)) readonly ROUND_BACKLOG_WAIT_SECONDS?: number;
  /**
   * Stored main heights every chain walk re-checks by hash (reorgs at walked heights; one that
   * replaced the lowest of them is followed down, at most 10 such windows), and the window in
   * which every shared-out pool block is re-checked for reversal (deeper ones only when the walk
   * found them displaced); a confirmed payment is asked about again until it has this many
   * confirmations (a reorg may still conflict it).
   * @role backend
   * @group Money path
   * @default maturity + 10
   */
  @Env(integer(1, 100_000)) readonly REORG_DEPTH_MAIN?: number;
  /**
   * The same on test.
   * @role backend
   * @group Money path
   * @default maturity + 10
   */
  @Env(integer(1, 100_000)) readonly REORG_DEPTH_TEST?: number;
  /**
   * Confirmations the block replacing a pool block needs before that one counts as orphaned; a
   * pool block above the node's tip is never orphaned (the node is behind).
   * @role backend
   * @group Money path
   */
  @Env(integer(1, 100_000)) readonly ORPHAN_CONFIRMATIONS?: number;
  /**
   * On an empty `block` table, the chain walk starts this far below the tip.
   * @role backend
   * @group Money path
   */
  @Env(integer(0, 1_000_000)) readonly CHAIN_WALK_START_DEPTH?: number;
  /**
   * Interval of the chain walk (blocks found, maturity, orphans); fractions of a second work for
   * tests and the demo.
   * @role backend
   * @group Jobs and cleanup
   */
  @Env(decimal(0.1, 86_400)) readonly BLOCK_POLL_SECONDS?: number;
  /**
   * Interval of the shareout job.
   * @role backend
   * @group Jobs and cleanup
   */
  @Env(decimal(0.1, 86_400)) readonly SHAREOUT_INTERVAL_SECONDS?: number;
  /**
   * Interval of the payout job.
   * @role backend
   * @group Jobs and cleanup
   */
  @Env(decimal(0.1, 7 * 86_400)) readonly PAYOUT_INTERVAL_SECONDS?: number;
  /**
   * Interval of the rating (vardiff) job.
   * @role backend
   * @group Jobs and cleanup
   */
  @Env(decimal(0.1, 7 * 86_400)) readonly RATING_INTERVAL_SECONDS?: number;
  /**
   * Rating window: days of shares a miner's hash target is rated on.
   * @role backend
   * @group Jobs and cleanup
   */
  @Env(integer(1, 365)) readonly RATING_DAYS?: number;
  /**
   * Vardiff aim: shares per minute a miner should find at its rated target.
   * @role backend
   * @group Jobs and cleanup
   */
  @Env(integer(1, 10_000)) readonly RATING_SHARES_PER_MINUTE?: number;
  /**
   * Turns the operator console on: at least 24 characters (`openssl rand -hex 32`); its label in
   * the audit trail is `ADMIN_TOKEN_LABEL` (default `admin`). `ADMIN_TOKEN_FILE` (unset by default)
   * names a file of tokens, one a line as `LABEL TOKEN` (or just `TOKEN`), `#` comments: one label
   * per person; remove a line to revoke it (restart).
   * @role backend
   * @group Operator console
   * @default unset (console off)
   */
  @EnvFrom(adminTokens) readonly ADMIN_TOKEN?: readonly AdminToken[];
  /**
   * Comma list of IPs / CIDR ranges allowed to reach `/admin` at all (403 otherwise), judged on the
   * client address `TRUST_PROXY` yields.
   * @role backend
   * @group Operator console
   * @default any
   * @allowed comma list of IP addresses / CIDR ranges
   */
  @Env(
    (text, _raw, name) => {
      try {
        return parseAllowIps(name, text);
      } catch (error) {
        return EnvProblem.of(error);
      }
    },
    { when: adminOn },
  )
  readonly ADMIN_ALLOW_IPS?: string[] | null;
  /**
   * Failed sign-ins (form or bearer) per client address and minute; past it even a right token gets
   * 429 for the rest of the minute.
   * @role backend
   * @group Operator console
   */
  @Env(integer(1, 10_000), { when: adminOn }) readonly ADMIN_LOGIN_FAILURES_PER_MINUTE?: number;
  /**
   * Lifetime of the console's session cookie.
   * @role backend
   * @group Operator console
   */
  @Env(decimal(0.01, 24 * 30), { when: adminOn }) readonly ADMIN_SESSION_HOURS?: number;
  /**
   * How often the monitoring jobs sample the ledger's health (the audit and the funding report),
   * the node's tip and the queues for `/metrics`; each run under its lease.
   * @role backend
   * @group Jobs and cleanup
   */
  @Env(decimal(0.1, 3600)) readonly METRICS_SAMPLE_SECONDS?: number;
  /**
   * `false`: no queue consumer, no scheduled jobs (the CLI sets it).
   * @role backend
   * @group Jobs and cleanup
   */
  @Env(flag) readonly RUN_BACKGROUND_WORK?: boolean;
  /**
   * Interval of the pruning job.
   * @role backend
   * @group Jobs and cleanup
   */
  @Env(integer(1, 7 * 86400)) readonly CLEANUP_INTERVAL_SECONDS?: number;
  /**
   * Rows the pruning job deletes per statement.
   * @role backend
   * @group Jobs and cleanup
   */
  @Env(integer(1, 1_000_000)) readonly CLEANUP_BATCH_SIZE?: number;
  /**
   * Work rows older than this are pruned.
   * @role backend
   * @group Jobs and cleanup
   */
  @Env(integer(1, 3650)) readonly WORK_RETENTION_DAYS?: number;
  /**
   * Accepted solutions older than this are pruned, only once their block is shared out.
   * @role backend
   * @group Jobs and cleanup
   */
  @Env(integer(1, 3650)) readonly SOLUTION_RETENTION_DAYS?: number;
  /**
   * Rejected shares older than this are pruned.
   * @role backend
   * @group Jobs and cleanup
   */
  @Env(integer(1, 3650)) readonly REJECTED_RETENTION_DAYS?: number;
  /**
   * Keep a rejected share's full solution string this long (0: never store it).
   * @role backend
   * @group Jobs and cleanup
   */
  @Env(integer(0, 87600)) readonly REJECTED_SOLUTION_STRING_HOURS?: number;
}

/** The environment as an EnvDto, or a ConfigError naming the first variable refused. */
export function parseEnv(env: Record<string, string | undefined>): EnvDto {
  const dto = plainToInstance(EnvDto, env, { excludeExtraneousValues: true });
  const [first] = validateSync(dto, { stopAtFirstError: true });
  if (first) {
    const problem = first.value as EnvProblem;
    throw new ConfigError(problem.variable ?? first.property, problem.problem);
  }
  return dto;
}
