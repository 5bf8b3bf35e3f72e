import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AdminConfig, AdminToken } from '../../../config/admin-config';

export interface AdminSession {
  label: string;
  /** The form token of this session (CSRF): derived from its nonce, never stored. */
  csrf: string;
  /** The session's own random part: what sign-out spends (admin_spent_token). */
  nonce: string;
  expiresAt: Date;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();
const mac = (key: Buffer, text: string): string =>
  createHmac('sha256', key).update(text).digest('base64url');

/** Constant-time equality of two strings of any length (compared as SHA-256 digests). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

/**
 * The console's credentials: bearer tokens, compared in constant time against every configured
 * token (no early exit), and stateless session cookies signed with a key derived from the token
 * that opened them — removing or changing a token ends its sessions on every backend at once.
 */
export class AdminCredentials {
  private readonly tokens: { label: string; digest: Buffer; key: Buffer }[];

  constructor(
    tokens: readonly AdminToken[],
    readonly sessionMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = tokens.map((t) => ({
      label: t.label,
      digest: sha256(t.token),
      key: createHmac('sha256', t.token).update('purepool-admin-session-v1').digest(),
    }));
  }

  /** The label of the token `candidate` is, or null. */
  labelOf(candidate: string): string | null {
    const digest = sha256(candidate);
    let label: string | null = null;
    for (const t of this.tokens) if (timingSafeEqual(digest, t.digest)) label = t.label;
    return label;
  }

  /** A signed session cookie value for a token's label, and its form token. */
  openSession(label: string): { value: string; csrf: string; maxAgeSeconds: number } {
    const token = this.tokens.find((t) => t.label === label);
    if (!token) throw new Error(`no admin token labelled ${label}`);
    const expires = this.now() + this.sessionMs;
    const nonce = randomBytes(16).toString('base64url');
    const body = `${Buffer.from(label).toString('base64url')}.${expires}.${nonce}`;
    return {
      value: `${body}.${mac(token.key, body)}`,
      csrf: mac(token.key, `csrf:${nonce}`),
      maxAgeSeconds: Math.floor(this.sessionMs / 1000),
    };
  }

  /** The session a cookie value proves (signature, expiry, a token still configured), or null. */
  readSession(value: string | undefined): AdminSession | null {
    if (!value) return null;
    const parts = value.split('.');
    if (parts.length !== 4) return null;
    const [labelPart, expiresPart, nonce, signature] = parts;
    const label = Buffer.from(labelPart, 'base64url').toString('utf8');
    const token = this.tokens.find((t) => t.label === label);
    if (!token || !/^\d+$/.test(expiresPart) || Number(expiresPart) < this.now()) return null;
    if (!sameSecret(signature, mac(token.key, `${labelPart}.${expiresPart}.${nonce}`))) return null;
    return {
      label,
      csrf: mac(token.key, `csrf:${nonce}`),
      nonce,
      expiresAt: new Date(Number(expiresPart)),
    };
  }
}

const byConfig = new WeakMap<AdminConfig, AdminCredentials>();

/** One instance per configuration: the HTTP gate and the login page share it. */
export function adminCredentialsFor(config: AdminConfig): AdminCredentials {
  let credentials = byConfig.get(config);
  if (!credentials) {
    credentials = new AdminCredentials(config.tokens, config.sessionHours * 3_600_000);
    byConfig.set(config, credentials);
  }
  return credentials;
}
