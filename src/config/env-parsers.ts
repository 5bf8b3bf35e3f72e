import { isValidAddress } from '../biblepay/address';
import { allowListOf } from './admin-config';
import { BaseUnits, parseCoins } from '../biblepay/amount';
import { isHashTarget } from '../biblepay/hash-target';
import { isNetwork, Network } from '../biblepay/network';
import { ConfigError } from './config-error';

/**
 * The rules for the text of one environment variable, shared by the env DTO (env.dto.ts) and the
 * db:setup reader (env-reader.ts). A parser gets the trimmed, non-empty text and returns the typed
 * value or an EnvProblem: what is wrong, worded to follow the variable's name
 * ("Invalid environment: HTTP_PORT must be an integer (got "eighty")").
 */
export class EnvProblem {
  constructor(
    readonly problem: string,
    /** Set when the problem is another variable's (DATABASE_CA_FILE set for a clear-text URL). */
    readonly variable?: string,
  ) {}

  static of(error: unknown): EnvProblem {
    if (error instanceof ConfigError) return new EnvProblem(error.problem, error.variable);
    throw error;
  }
}

export type Parsed<T> = T | EnvProblem;
export type Parser<T> = (text: string) => Parsed<T>;

/** Trimmed text, undefined when unset or blank (a blank line in an env file means "default"). */
export function envText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function orThrow<T>(variable: string, parsed: Parsed<T>): T {
  if (parsed instanceof EnvProblem)
    throw new ConfigError(parsed.variable ?? variable, parsed.problem);
  return parsed;
}

export const oneOf =
  <T extends string>(allowed: readonly T[]): Parser<T> =>
  (text) =>
    (allowed as readonly string[]).includes(text)
      ? (text as T)
      : new EnvProblem(`must be one of ${allowed.join(', ')} (got "${text}")`);

export const integer =
  (min: number, max: number): Parser<number> =>
  (text) => {
    if (!/^-?\d+$/.test(text)) return new EnvProblem(`must be an integer (got "${text}")`);
    return inRange(Number(text), min, max);
  };

/** A decimal number (job intervals may be fractions of a second in tests). */
export const decimal =
  (min: number, max: number): Parser<number> =>
  (text) => {
    if (!/^\d+(\.\d+)?$/.test(text)) return new EnvProblem(`must be a number (got "${text}")`);
    return inRange(Number(text), min, max);
  };

function inRange(n: number, min: number, max: number): Parsed<number> {
  return n < min || n > max ? new EnvProblem(`must be between ${min} and ${max} (got ${n})`) : n;
}

export const flag: Parser<boolean> = (text) => {
  if (/^(1|true|yes|on)$/i.test(text)) return true;
  if (/^(0|false|no|off)$/i.test(text)) return false;
  return new EnvProblem(`must be true or false (got "${text}")`);
};

const TRUST_PROXY_EXAMPLE = 'TRUST_PROXY=127.0.0.1,10.0.0.0/8';

/**
 * TRUST_PROXY: the addresses or CIDR ranges the proxies in front connect from (`false` or unset:
 * none). `true` and hop counts are refused: both let a client that reaches the port directly write
 * its own X-Forwarded-For, so the pool would believe any address it claims.
 */
export const trustedProxies: Parser<string[]> = (text) => {
  if (/^\d+$/.test(text)) {
    return new EnvProblem(
      `must list the proxies' addresses or CIDR ranges, not a hop count (a count cannot tell a proxy from a client that connects directly): write e.g. ${TRUST_PROXY_EXAMPLE}`,
    );
  }
  const on = flag(text);
  if (on === true) {
    return new EnvProblem(
      `must list the proxies' addresses or CIDR ranges, not "${text}" (it would believe X-Forwarded-For from any client): write e.g. ${TRUST_PROXY_EXAMPLE}`,
    );
  }
  if (on === false) return [];
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (!allowListOf([entry])) {
      return new EnvProblem(
        `has "${entry}": not an IP address or CIDR range (write e.g. ${TRUST_PROXY_EXAMPLE})`,
      );
    }
  }
  return entries;
};

/** SOLUTION_REQUIRE_CPID: `auto`, or true/false (the old boolean values still work). */
export const flagOrAuto: Parser<boolean | 'auto'> = (text) =>
  /^auto$/i.test(text) ? 'auto' : flag(text);

export function urlShape(protocols: readonly string[], needsDatabase: boolean): string {
  return `${protocols[0]}//user:pass@host:port${needsDatabase ? '/db' : ''}`;
}

export const serviceUrl =
  (protocols: readonly string[], needsDatabase: boolean): Parser<string> =>
  (text) => {
    const shape = urlShape(protocols, needsDatabase);
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return new EnvProblem(`must be a URL like ${shape}`);
    }
    if (!protocols.includes(url.protocol)) {
      return new EnvProblem(`must start with ${protocols.join(' or ')}// (${shape})`);
    }
    if (!url.hostname) return new EnvProblem(`has no host (${shape})`);
    if (needsDatabase && url.pathname.replace(/^\//, '') === '') {
      return new EnvProblem(`names no database (${shape})`);
    }
    return text;
  };

export const networkList: Parser<Network[]> = (text) => {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) return new EnvProblem('must name at least one network');
  for (const item of items) {
    if (!isNetwork(item)) return new EnvProblem(`has unknown network "${item}" (main, test)`);
  }
  return [...new Set(items)] as Network[];
};

export const addressOf =
  (network: Network): Parser<string> =>
  (text) =>
    isValidAddress(network, text)
      ? text
      : new EnvProblem(`is not a valid ${network} BiblePay address (got "${text}")`);

export const hashTarget: Parser<string> = (text) => {
  const value = text.toLowerCase();
  return isHashTarget(value) ? value : new EnvProblem('must be 64 hex characters, not zero');
};

/** A positive coin amount, parsed exactly (no float), in base units. */
export const coins: Parser<BaseUnits> = (text) => {
  let units: BaseUnits;
  try {
    units = parseCoins(text);
  } catch {
    return new EnvProblem(`must be a coin amount like 10 or 0.5 (got "${text}")`);
  }
  return units <= 0n ? new EnvProblem(`must be more than 0 (got "${text}")`) : units;
};

/**
 * A fee percentage held exactly: `percent` is the operator's value as canonical text ("1.5"),
 * `partsPerMillion` the same as an integer (1.5 % → 15000), so fee = subsidy × ppm / 1,000,000.
 */
export interface PoolFee {
  readonly percent: string;
  readonly partsPerMillion: bigint;
}

const PERCENT_DECIMALS = 4;

/** A percentage from 0 to 100 with at most 4 decimals, held exactly. */
export const percent: Parser<PoolFee> = (text) => {
  const match = /^(\d{1,3})(?:\.(\d+))?$/.exec(text);
  const fraction = (match?.[2] ?? '').replace(/0+$/, '');
  if (!match || fraction.length > PERCENT_DECIMALS) {
    return new EnvProblem(
      `must be a percentage like 1 or 2.5 (at most ${PERCENT_DECIMALS} decimals, got "${text}")`,
    );
  }
  const whole = BigInt(match[1]);
  const partsPerMillion = whole * 10_000n + BigInt(fraction.padEnd(PERCENT_DECIMALS, '0'));
  if (partsPerMillion > 1_000_000n) return new EnvProblem(`must be at most 100 (got "${text}")`);
  return { percent: fraction ? `${whole}.${fraction}` : `${whole}`, partsPerMillion };
};

/** An http(s) URL, kept without its trailing slash. */
export const httpUrl: Parser<string> = (text) => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return new EnvProblem(`must be a URL like https://pool.example.org (got "${text}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return new EnvProblem(`must start with http:// or https:// (got "${text}")`);
  return text.replace(/\/+$/, '');
};

/** A redis:// or rediss:// URL; never echoed (it may carry a password). */
export const redisUrl: Parser<string> = (text) => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return new EnvProblem('must be a URL like redis://host:6379 or rediss://host:6380');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    return new EnvProblem('must start with redis:// or rediss://');
  if (!url.hostname) return new EnvProblem('has no host (redis://host:6379)');
  return text;
};

export const anyText: Parser<string> = (text) => text;
