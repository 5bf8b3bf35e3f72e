/** Where a node's JSON-RPC listens and how to log in, from `NODE_RPC_URL_<NET>`. */
export interface NodeRpcEndpoint {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number;
  /** Request path: `/`, or `/wallet/<name>` for a multi-wallet node. */
  path: string;
  username: string;
  password: string;
  /** The URL without credentials, safe for logs and error messages. */
  redacted: string;
}

/**
 * Validates a node RPC URL (`http://user:pass@host:port`, or https behind a TLS terminator) and
 * splits off the credentials. Error messages never contain the password.
 */
export function parseNodeRpcUrl(text: string): NodeRpcEndpoint {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Node's own TypeError carries the input, password included: do not chain it.
    throw new Error('node RPC URL is not a valid URL (expected http://user:password@host:port)');
  }
  const username = decodeCredential(url.username);
  const password = decodeCredential(url.password);
  url.username = '';
  url.password = '';
  const redacted = url.toString();

  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`node RPC URL ${redacted} must use http: or https:`);
  }
  if (url.hostname === '') throw new Error(`node RPC URL ${redacted} has no host`);
  if (url.hash !== '' || url.search !== '') {
    throw new Error(`node RPC URL ${redacted} must not have a query or fragment`);
  }
  if (username === '' || password === '') {
    throw new Error(`node RPC URL ${redacted} must carry rpcuser:rpcpassword before the host`);
  }
  return {
    protocol: url.protocol,
    // WHATWG keeps IPv6 literals bracketed; node:http wants them bare.
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port),
    path: url.pathname === '' ? '/' : url.pathname,
    username,
    password,
    redacted,
  };
}

function decodeCredential(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    // A lone '%' in a password: take it literally rather than reject a working credential.
    return encoded;
  }
}
