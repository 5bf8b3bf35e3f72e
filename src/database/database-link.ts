import type { ConnectionOptions, SslOptions } from 'mysql2';
import { DatabaseLink, readTlsClientFiles } from '../config/link-tls';

/** A plain URL (tests, tools) is a clear-text link. */
export function plainDatabaseLink(url: string): DatabaseLink {
  return { url, sslMode: 'disabled', files: {}, variablePrefix: 'DATABASE' };
}

/**
 * mysql2's TLS options for a link. `required` encrypts without checking the certificate (as
 * MySQL's own --ssl-mode=REQUIRED); `verify-ca` checks it against the CA (DATABASE_CA_FILE, else
 * the system's); `verify-full` also checks that it names the URL's host (DNS name or IP address).
 */
export function mysqlSsl(link: DatabaseLink): SslOptions | undefined {
  if (link.sslMode === 'disabled') return undefined;
  const pem = readTlsClientFiles(link.files, link.variablePrefix);
  const verify = link.sslMode !== 'required';
  return {
    ...(pem.ca ? { ca: pem.ca } : {}),
    ...(pem.cert && pem.key ? { cert: pem.cert, key: pem.key } : {}),
    rejectUnauthorized: verify,
    verifyIdentity: link.sslMode === 'verify-full',
  };
}

/** Options for `mysql.createConnection` (the URL, and TLS when the link asks for it). */
export function mysqlConnectionOptions(link: DatabaseLink): ConnectionOptions {
  const ssl = mysqlSsl(link);
  return { uri: link.url, ...(ssl ? { ssl } : {}) };
}

/** Whether this connection's session is encrypted, as the server sees it. */
export async function sessionCipher(
  query: (sql: string) => Promise<unknown>,
): Promise<string | null> {
  const rows = (await query("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) as {
    Value?: string;
    VALUE?: string;
  }[];
  const cipher = rows[0]?.Value ?? rows[0]?.VALUE ?? '';
  return cipher === '' ? null : cipher;
}
