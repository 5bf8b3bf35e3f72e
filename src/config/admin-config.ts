import { readFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { ConfigError } from './config-error';

/** One operator credential: the label is what the audit trail records, never the token. */
export interface AdminToken {
  readonly label: string;
  readonly token: string;
}

/** The operator console (`/admin` on the backend), on only when a token is configured. */
export interface AdminConfig {
  readonly tokens: readonly AdminToken[];
  /** Client IPs (or CIDR ranges) allowed to reach `/admin` at all; null = any. */
  readonly allowIps: readonly string[] | null;
  /** Failed sign-ins per client IP and minute before it is refused with 429. */
  readonly loginFailuresPerMinute: number;
  readonly sessionHours: number;
}

const MIN_TOKEN_LENGTH = 24;
const LABEL = /^[A-Za-z0-9_.@-]{1,64}$/;

function checkToken(variable: string, token: string): void {
  if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
    throw new ConfigError(
      variable,
      `tokens must be at least ${MIN_TOKEN_LENGTH} characters without spaces (make one: openssl rand -hex 32)`,
    );
  }
}

/**
 * ADMIN_TOKEN (labelled ADMIN_TOKEN_LABEL, default "admin") and/or ADMIN_TOKEN_FILE: one token a
 * line, as `TOKEN` or `LABEL TOKEN` (# comments and blank lines ignored), for one label per person.
 */
export function readAdminTokens(
  raw: (name: string) => string | undefined,
): readonly AdminToken[] | null {
  const tokens: AdminToken[] = [];
  const single = raw('ADMIN_TOKEN');
  if (single !== undefined) {
    checkToken('ADMIN_TOKEN', single);
    const label = raw('ADMIN_TOKEN_LABEL') ?? 'admin';
    if (!LABEL.test(label))
      throw new ConfigError('ADMIN_TOKEN_LABEL', 'must be 1-64 letters, digits or _.@-');
    tokens.push({ label, token: single });
  }
  const file = raw('ADMIN_TOKEN_FILE');
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError('ADMIN_TOKEN_FILE', `cannot be read: ${(error as Error).message}`);
    }
    for (const [index, line] of text.split('\n').entries()) {
      const words = line.trim().split(/\s+/).filter(Boolean);
      if (words.length === 0 || words[0].startsWith('#')) continue;
      if (words.length > 2 || (words.length === 2 && !LABEL.test(words[0]))) {
        throw new ConfigError(
          'ADMIN_TOKEN_FILE',
          `line ${index + 1}: expected TOKEN or LABEL TOKEN`,
        );
      }
      const [label, token] = words.length === 2 ? words : [`token${index + 1}`, words[0]];
      checkToken('ADMIN_TOKEN_FILE', token);
      tokens.push({ label, token });
    }
    if (tokens.length === 0) throw new ConfigError('ADMIN_TOKEN_FILE', 'holds no token');
  }
  if (tokens.length === 0) return null;
  const labels = new Set(tokens.map((t) => t.label));
  if (labels.size !== tokens.length)
    throw new ConfigError('ADMIN_TOKEN_FILE', 'names a label twice (each token needs its own)');
  return tokens;
}

/** ADMIN_ALLOW_IPS: `10.0.0.5, 10.1.0.0/16, ::1`; each checked now, so a typo stops the boot. */
export function parseAllowIps(name: string, value: string | undefined): string[] | null {
  if (value === undefined) return null;
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) return null;
  for (const entry of entries) {
    if (!allowListOf([entry]))
      throw new ConfigError(name, `has "${entry}": not an IP or CIDR range`);
  }
  return entries;
}

/** A BlockList of the entries, or null when one of them is not an IP or CIDR range. */
export function allowListOf(entries: readonly string[]): BlockList | null {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address);
    if (family === 0 || extra !== undefined) return null;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
    if (bits < 0 || bits > (family === 4 ? 32 : 128)) return null;
    list.addSubnet(address, bits, type);
  }
  return list;
}
