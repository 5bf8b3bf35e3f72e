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
  @Env(oneOf(ROLES), { required: `is required (one of ${ROLES.join(', ')})` })
  readonly ROLE: Role;
  @Env(anyText) readonly HTTP_HOST?: string;
  @Env(integer(0, 65535)) readonly HTTP_PORT?: number;
  @Env((text, raw, name) => databaseLinkOf(raw, name, text, 'DATABASE', true), {
    required: `is required (${urlShape(['mysql:'], true)})`,
  })
  readonly DATABASE_URL: DatabaseLink;
  @Env((text, raw, name) => brokerLinkOf(raw, name, text, 'AMQP'), {
    required: `is required (${urlShape(['amqp:', 'amqps:'], false)})`,
  })
  readonly AMQP_URL: BrokerLink;
  @Env(requireTls) readonly REQUIRE_TLS?: boolean;
  @Env(networkList) readonly NETWORKS?: Network[];
  @Env(addressOf('main'), { required: 'is required', when: serves('main') })
  readonly POOL_ADDRESS_MAIN?: string;
  @Env(NODE_URL, {
    required: `is required (${urlShape(['http:'], false)})`,
    when: backendServes('main'),
  })
  readonly NODE_RPC_URL_MAIN?: string;
  @Env(addressOf('test'), { required: 'is required', when: serves('test') })
  readonly POOL_ADDRESS_TEST?: string;
  @Env(NODE_URL, {
    required: `is required (${urlShape(['http:'], false)})`,
    when: backendServes('test'),
  })
  readonly NODE_RPC_URL_TEST?: string;
  @Env(trustedProxies) readonly TRUST_PROXY?: string[];
  @Env((text, raw) =>
    raw('TLS_KEY_FILE') === undefined
      ? new EnvProblem('is required when TLS_CERT_FILE is set', 'TLS_KEY_FILE')
      : text,
  )
  readonly TLS_CERT_FILE?: string;
  @Env((text, raw) =>
    raw('TLS_CERT_FILE') === undefined
      ? new EnvProblem('is required when TLS_KEY_FILE is set', 'TLS_CERT_FILE')
      : text,
  )
  readonly TLS_KEY_FILE?: string;
  @Env(flag) readonly ACTION_KEEP_ALIVE?: boolean;
  @Env(integer(0, 10_000_000)) readonly RATE_LIMIT_ACTION_PER_MINUTE?: number;
  @Env(integer(0, 10_000_000)) readonly RATE_LIMIT_WEB_PER_MINUTE?: number;
  @Env(integer(1000, 600_000)) readonly SHUTDOWN_TIMEOUT_MS?: number;
  /** The longest one HTTP request may take, headers and body (a slow socket is cut then). */
  @Env(integer(1000, 3_600_000)) readonly HTTP_REQUEST_TIMEOUT_MS?: number;
  /** The longest a request's headers may take to arrive (at most HTTP_REQUEST_TIMEOUT_MS). */
  @Env(integer(1000, 3_600_000)) readonly HTTP_HEADERS_TIMEOUT_MS?: number;
  /** Open sockets one source (IPv4 address, IPv6 /64) may hold; 0 = no cap. */
  @Env(integer(0, 1_000_000)) readonly MAX_CONNECTIONS_PER_SOURCE?: number;
  @Env(hashTarget) readonly POOL_HASH_TARGET?: string;
  @Env(oneOf(LOG_LEVELS)) readonly LOG_LEVEL?: (typeof LOG_LEVELS)[number];
  @Env(oneOf(['json', 'text'] as const)) readonly LOG_FORMAT?: 'json' | 'text';
  @Env(flag) readonly LOG_REQUESTS?: boolean;
  @Env(coins) readonly PAYOUT_MINIMUM_MAIN?: BaseUnits;
  @Env(coins) readonly PAYOUT_MINIMUM_TEST?: BaseUnits;
  @Env(percent) readonly POOL_FEE_PERCENT?: PoolFee;
  @Env(integer(0, 3600)) readonly WEB_CACHE_SECONDS?: number;
  @Env(redisUrl) readonly CACHE_URL?: string;
  @Env(httpUrl) readonly POOL_PUBLIC_URL?: string;
  @Env(integer(0, 86400)) readonly MINER_CACHE_SECONDS?: number;
  @Env(integer(1, 10_000_000)) readonly MINER_CACHE_ENTRIES?: number;
  @Env(integer(1, 1_000_000)) readonly MAX_WORKERS_PER_MINER?: number;
  /**
   * A worker without an accepted share in this many days is idle: at MAX_WORKERS_PER_MINER a new
   * name takes the slot of the longest-idle one, and the cleanup prunes idle workers.
   */
  @Env(integer(1, 3650)) readonly WORKER_IDLE_DAYS?: number;
  @Env(integer(0, 1024 * 1024 * 1024)) readonly REJECTED_SOLUTION_BYTES_PER_MINER_HOUR?: number;
  /** Solution-string bytes stored with all rejected shares per hour, whoever sent them. */
  @Env(integer(0, 64 * 1024 * 1024 * 1024)) readonly REJECTED_STRING_BYTES_PER_HOUR?: number;
  /** Solution-string bytes stored with one source's (IPv4 address, IPv6 /64) rejected shares per hour. */
  @Env(integer(0, 1024 * 1024 * 1024)) readonly REJECTED_STRING_BYTES_PER_SOURCE_HOUR?: number;
  @Env(integer(0, 10_000_000)) readonly MINER_SUSPEND_REJECTIONS?: number;
  @Env(integer(1, 86_400)) readonly MINER_SUSPEND_WINDOW_SECONDS?: number;
  @Env(integer(1, 30 * 86_400)) readonly MINER_SUSPEND_SECONDS?: number;
  @Env(integer(1, 10000)) readonly WORK_BATCH_MAX?: number;
  @Env(integer(1, 64)) readonly FRONTEND_PROCESSES?: number;
  @Env(integer(100, 120000)) readonly PUBLISH_TIMEOUT_MS?: number;
  @Env(integer(1, 1000)) readonly SOLUTION_PUBLISH_BATCH_MAX?: number;
  @Env(integer(1, 16)) readonly SOLUTION_QUEUE_SHARDS?: number;
  @Env(integer(1, 500)) readonly DATABASE_POOL_SIZE?: number;
  @Env(integer(0, 600_000)) readonly BROKER_CONNECT_WAIT_MS?: number;
  @Env(integer(100, 600_000)) readonly NODE_RPC_TIMEOUT_MS?: number;
  /**
   * How long the backend waits for a `sendmany` answer (default 120000). Longer than reads: a busy
   * wallet answers sends late. A send that times out is kept held (dispatched), never refunded on
   * absence alone.
   */
  @Env(integer(100, 600_000)) readonly NODE_SEND_TIMEOUT_MS?: number;
  /** `auto` (default: only where the real chain asked for one, see node-flavor.ts), true or false. */
  @Env(flagOrAuto) readonly SOLUTION_REQUIRE_CPID?: boolean | 'auto';
  /** Node generation per network: `auto` (getnetworkinfo's version), `classic` or `evo`. */
  @Env(oneOf(['auto', 'classic', 'evo'] as const)) readonly NODE_FLAVOR_MAIN?: NodeFlavorSetting;
  @Env(oneOf(['auto', 'classic', 'evo'] as const)) readonly NODE_FLAVOR_TEST?: NodeFlavorSetting;
  @Env(integer(1, 65535)) readonly SOLUTION_PREFETCH?: number;
  @Env(integer(1, 5000)) readonly SOLUTION_BATCH_MAX?: number;
  @Env(integer(0, 10_000)) readonly SOLUTION_BATCH_WAIT_MS?: number;
  @Env(integer(1, 64)) readonly SOLUTION_BATCHES_IN_FLIGHT?: number;
  @Env(integer(0, 60_000)) readonly NODE_TIP_REFRESH_MS?: number;
  @Env(integer(1, 3600)) readonly NODE_RETRY_MAX_SECONDS?: number;
  @Env(integer(0, 600_000)) readonly SOLUTION_STALE_GRACE_MS?: number;
  @Env(integer(1, 1000)) readonly SOLUTION_BATCH_ATTEMPTS?: number;
  @Env(integer(1, 100_000)) readonly MATURITY_CONFIRMATIONS_MAIN?: number;
  @Env(integer(1, 100_000)) readonly MATURITY_CONFIRMATIONS_TEST?: number;
  @Env(anyText) readonly POOL_FEE_RECIPIENT?: string;
  @Env(oneOf(['prop', 'pplns'] as const)) readonly PAYOUT_SCHEME?: 'prop' | 'pplns';
  @Env(integer(1, 100_000_000)) readonly PPLNS_WINDOW?: number;
  @Env(decimal(0, 24 * 365)) readonly PAYOUT_MIN_INTERVAL_HOURS?: number;
  @Env(integer(1, 10_000)) readonly PAYOUT_MAX_PER_RUN?: number;
  @Env(integer(0, 86_400)) readonly PAYOUT_RECONCILE_GRACE_SECONDS?: number;
  /**
   * Confirmations (`gettransaction`) a sent payment needs before it counts as confirmed (default
   * 1); until then it is broadcast: the wallet holds it, no block does yet. A send the wallet
   * reports conflicted (negative confirmations) or abandoned becomes an open problem with an
   * alert, re-credited to its miners only by an operator.
   */
  @Env(integer(1, 1000)) readonly PAYOUT_CONFIRMATIONS?: number;
  @Env(decimal(0, 24 * 365)) readonly PAYOUT_FAILED_RECHECK_HOURS?: number;
  @Env(integer(1, 1000)) readonly PAYOUT_SET_ASIDE_AFTER_FAILURES?: number;
  @Env(coins) readonly PAYOUT_DUST_LIMIT?: BaseUnits;
  @Env(integer(0, 7 * 86_400)) readonly ROUND_BACKLOG_WAIT_SECONDS?: number;
  @Env(integer(1, 100_000)) readonly REORG_DEPTH_MAIN?: number;
  @Env(integer(1, 100_000)) readonly REORG_DEPTH_TEST?: number;
  @Env(integer(1, 100_000)) readonly ORPHAN_CONFIRMATIONS?: number;
  @Env(integer(0, 1_000_000)) readonly CHAIN_WALK_START_DEPTH?: number;
  @Env(decimal(0.1, 86_400)) readonly BLOCK_POLL_SECONDS?: number;
  @Env(decimal(0.1, 86_400)) readonly SHAREOUT_INTERVAL_SECONDS?: number;
  @Env(decimal(0.1, 7 * 86_400)) readonly PAYOUT_INTERVAL_SECONDS?: number;
  @Env(decimal(0.1, 7 * 86_400)) readonly RATING_INTERVAL_SECONDS?: number;
  @Env(integer(1, 365)) readonly RATING_DAYS?: number;
  @Env(integer(1, 10_000)) readonly RATING_SHARES_PER_MINUTE?: number;
  /** The operator tokens of ADMIN_TOKEN (labelled ADMIN_TOKEN_LABEL) and ADMIN_TOKEN_FILE. */
  @EnvFrom(adminTokens) readonly ADMIN_TOKEN?: readonly AdminToken[];
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
  @Env(integer(1, 10_000), { when: adminOn }) readonly ADMIN_LOGIN_FAILURES_PER_MINUTE?: number;
  @Env(decimal(0.01, 24 * 30), { when: adminOn }) readonly ADMIN_SESSION_HOURS?: number;
  @Env(decimal(0.1, 3600)) readonly METRICS_SAMPLE_SECONDS?: number;
  @Env(flag) readonly RUN_BACKGROUND_WORK?: boolean;
  @Env(integer(1, 7 * 86400)) readonly CLEANUP_INTERVAL_SECONDS?: number;
  @Env(integer(1, 1_000_000)) readonly CLEANUP_BATCH_SIZE?: number;
  @Env(integer(1, 3650)) readonly WORK_RETENTION_DAYS?: number;
  @Env(integer(1, 3650)) readonly SOLUTION_RETENTION_DAYS?: number;
  @Env(integer(1, 3650)) readonly REJECTED_RETENTION_DAYS?: number;
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
