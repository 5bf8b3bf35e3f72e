import { ConfigError } from './config-error';
import {
  EnvProblem,
  envText,
  flag,
  integer,
  oneOf,
  orThrow,
  Parsed,
  serviceUrl,
  urlShape,
} from './env-parsers';
import {
  BrokerLink,
  DatabaseLink,
  parseBrokerLink,
  parseDatabaseLink,
  TlsClientFiles,
  tlsFileVariables,
} from './link-tls';

/** Reads one variable's trimmed text; undefined when unset or blank. */
export type EnvLookup = (name: string) => string | undefined;

export function envLookup(env: Record<string, unknown>): EnvLookup {
  return (name) => envText(env[name]);
}

/** `PREFIX_CA_FILE`, `PREFIX_CERT_FILE`, `PREFIX_KEY_FILE`; the last two together or not at all. */
export function tlsClientFilesOf(raw: EnvLookup, prefix: string): Parsed<TlsClientFiles> {
  const names = tlsFileVariables(prefix);
  const certFile = raw(names.cert);
  const keyFile = raw(names.key);
  if (certFile !== undefined && keyFile === undefined)
    return new EnvProblem(`is required when ${names.cert} is set`, names.key);
  if (keyFile !== undefined && certFile === undefined)
    return new EnvProblem(`is required when ${names.key} is set`, names.cert);
  return { caFile: raw(names.ca), certFile, keyFile };
}

/** A MySQL URL (`?ssl=` split off) with the PEM files of PREFIX. */
export function databaseLinkOf(
  raw: EnvLookup,
  name: string,
  text: string,
  prefix: string,
  needsDatabase: boolean,
): Parsed<DatabaseLink> {
  const url = serviceUrl(['mysql:'], needsDatabase)(text);
  if (url instanceof EnvProblem) return url;
  const files = tlsClientFilesOf(raw, prefix);
  if (files instanceof EnvProblem) return files;
  try {
    return parseDatabaseLink(name, url, files, prefix);
  } catch (error) {
    return EnvProblem.of(error);
  }
}

/**
 * An amqp:// or amqps:// URL — or a comma list of a cluster's nodes, each checked like one URL —
 * with the PEM files of PREFIX.
 */
export function brokerLinkOf(
  raw: EnvLookup,
  name: string,
  text: string,
  prefix: string,
): Parsed<BrokerLink> {
  const nodes = text.split(',').map((s) => s.trim());
  for (const [i, node] of nodes.entries()) {
    const url = node
      ? serviceUrl(['amqp:', 'amqps:'], false)(node)
      : new EnvProblem(`is required (${urlShape(['amqp:', 'amqps:'], false)})`);
    if (url instanceof EnvProblem)
      return nodes.length > 1 ? new EnvProblem(url.problem, `${name} (node ${i + 1})`) : url;
  }
  const files = tlsClientFilesOf(raw, prefix);
  if (files instanceof EnvProblem) return files;
  try {
    return parseBrokerLink(name, nodes.join(','), files, prefix);
  } catch (error) {
    return EnvProblem.of(error);
  }
}

/**
 * Reads variables one at a time with defaults, for `npm run db:setup` (SetupConfig). The roles'
 * environment is the env DTO (env.dto.ts); both use the same rules (env-parsers.ts).
 */
export class EnvReader {
  private readonly lookup: EnvLookup;

  constructor(env: Record<string, string | undefined>) {
    this.lookup = envLookup(env);
  }

  raw(name: string): string | undefined {
    return this.lookup(name);
  }

  string(name: string, fallback?: string): string {
    const value = this.raw(name) ?? fallback;
    if (value === undefined) throw new ConfigError(name, 'is required');
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    return value === undefined ? fallback : orThrow(name, flag(value));
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    return value === undefined ? fallback : orThrow(name, oneOf(allowed)(value));
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    return value === undefined ? fallback : orThrow(name, integer(min, max)(value));
  }

  url(name: string, protocols: string[], needsDatabase: boolean, fallback?: string): string {
    return orThrow(
      name,
      serviceUrl(protocols, needsDatabase)(this.required(name, fallback, protocols, needsDatabase)),
    );
  }

  databaseLink(
    name: string,
    prefix: string,
    needsDatabase: boolean,
    fallback?: string,
  ): DatabaseLink {
    const text = this.required(name, fallback, ['mysql:'], needsDatabase);
    return orThrow(name, databaseLinkOf(this.lookup, name, text, prefix, needsDatabase));
  }

  brokerLink(name: string, prefix: string, fallback?: string): BrokerLink {
    const text = this.required(name, fallback, ['amqp:', 'amqps:'], false);
    return orThrow(name, brokerLinkOf(this.lookup, name, text, prefix));
  }

  private required(
    name: string,
    fallback: string | undefined,
    protocols: string[],
    needsDatabase: boolean,
  ): string {
    const value = this.raw(name) ?? fallback;
    if (value === undefined)
      throw new ConfigError(name, `is required (${urlShape(protocols, needsDatabase)})`);
    return value;
  }
}
