import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error';

/**
 * How a role reaches MySQL/MariaDB: `DATABASE_URL?ssl=MODE` (libpq's words). `required` encrypts
 * without checking who answers; `verify-ca` also checks the server's certificate against the CA;
 * `verify-full` also checks that the certificate names the host of the URL.
 */
export const DATABASE_SSL_MODES = ['disabled', 'required', 'verify-ca', 'verify-full'] as const;
export type DatabaseSslMode = (typeof DATABASE_SSL_MODES)[number];

/** PEM files for one TLS client: the CA to trust (else the system's), an optional client cert. */
export interface TlsClientFiles {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}

/** The file variables of one link, named after its prefix (DATABASE → DATABASE_CA_FILE, …). */
export function tlsFileVariables(prefix: string): { ca: string; cert: string; key: string } {
  return { ca: `${prefix}_CA_FILE`, cert: `${prefix}_CERT_FILE`, key: `${prefix}_KEY_FILE` };
}

export interface DatabaseLink {
  /** The URL without its `ssl` parameter (what the driver is given). */
  readonly url: string;
  readonly sslMode: DatabaseSslMode;
  readonly files: TlsClientFiles;
  /** Prefix of the file variables, for error messages (DATABASE, DATABASE_ADMIN). */
  readonly variablePrefix: string;
}

export interface BrokerLink {
  /** The first broker node (what single-connection tools use first). */
  readonly url: string;
  /** Every node of `AMQP_URL=url1,url2,…`, tried in turn when a connection fails. */
  readonly urls: readonly string[];
  readonly files: TlsClientFiles;
  readonly variablePrefix: string;
}

export function isEncrypted(link: DatabaseLink | BrokerLink): boolean {
  return 'sslMode' in link ? link.sslMode !== 'disabled' : link.url.startsWith('amqps:');
}

/**
 * Splits `?ssl=MODE` off a MySQL URL. Any other parameter is refused: the driver would read it as
 * an option of its own (a typo must not silently turn encryption off).
 */
export function parseDatabaseLink(
  variable: string,
  value: string,
  files: TlsClientFiles,
  variablePrefix: string,
): DatabaseLink {
  const url = new URL(value);
  let sslMode: DatabaseSslMode = 'disabled';
  for (const [key, mode] of url.searchParams) {
    if (key !== 'ssl') {
      throw new ConfigError(variable, `has an unknown parameter "${key}" (only ?ssl=MODE)`);
    }
    if (!(DATABASE_SSL_MODES as readonly string[]).includes(mode)) {
      throw new ConfigError(
        variable,
        `has ssl=${mode}; use one of ${DATABASE_SSL_MODES.join(', ')}`,
      );
    }
    sslMode = mode as DatabaseSslMode;
  }
  url.search = '';
  const names = tlsFileVariables(variablePrefix);
  if (sslMode === 'disabled' && (files.caFile || files.certFile)) {
    throw new ConfigError(
      files.caFile ? names.ca : names.cert,
      `is set but ${variable} has no ?ssl=required|verify-ca|verify-full`,
    );
  }
  return { url: url.toString(), sslMode, files, variablePrefix };
}

export function parseBrokerLink(
  variable: string,
  value: string,
  files: TlsClientFiles,
  variablePrefix: string,
): BrokerLink {
  const names = tlsFileVariables(variablePrefix);
  const urls = splitBrokerUrls(variable, value);
  if (!urls[0].startsWith('amqps:') && (files.caFile || files.certFile)) {
    throw new ConfigError(
      files.caFile ? names.ca : names.cert,
      `is set but ${variable} is not amqps://`,
    );
  }
  return { url: urls[0], urls, files, variablePrefix };
}

/**
 * The nodes of one cluster: a failover to another node must not change who we are, where we
 * land, or whether the link is encrypted, so scheme, credentials and vhost must agree.
 */
export function splitBrokerUrls(variable: string, value: string): string[] {
  const urls = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (urls.length === 0) throw new ConfigError(variable, 'names no broker node');
  const identity = (raw: string): string => {
    const u = new URL(raw);
    return `${u.protocol}//${u.username}:${u.password}@${u.pathname}`;
  };
  const first = identity(urls[0]);
  urls.forEach((url, i) => {
    if (identity(url) !== first) {
      throw new ConfigError(
        variable,
        `node ${i + 1} differs from node 1 in scheme, user, password or vhost (one cluster, one identity)`,
      );
    }
  });
  return urls;
}

export interface PemMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** Reads a link's PEM files; an unreadable one is a ConfigError naming its variable. */
export function readTlsClientFiles(files: TlsClientFiles, variablePrefix: string): PemMaterial {
  const names = tlsFileVariables(variablePrefix);
  const read = (file: string | undefined, variable: string): Buffer | undefined => {
    if (file === undefined) return undefined;
    try {
      return readFileSync(file);
    } catch (error) {
      throw new ConfigError(variable, `cannot be read: ${(error as Error).message}`);
    }
  };
  return {
    ca: read(files.caFile, names.ca),
    cert: read(files.certFile, names.cert),
    key: read(files.keyFile, names.key),
  };
}
