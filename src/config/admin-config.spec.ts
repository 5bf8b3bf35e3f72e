import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { allowListOf, parseAllowIps, readAdminTokens } from './admin-config';

const reader = (env: Record<string, string>) => (name: string) => env[name];

describe('admin console settings', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pp-admin-'));
  const file = (text: string): string => {
    const p = path.join(dir, `tokens-${Math.random()}`);
    writeFileSync(p, text);
    return p;
  };

  it('is off without a token', () => {
    expect(readAdminTokens(reader({}))).toBeNull();
  });

  it('reads ADMIN_TOKEN with its label and ADMIN_TOKEN_FILE lines (LABEL TOKEN or TOKEN)', () => {
    const tokens = readAdminTokens(
      reader({
        ADMIN_TOKEN: 'x'.repeat(24),
        ADMIN_TOKEN_LABEL: 'ops',
        ADMIN_TOKEN_FILE: file(`# operators\nalice ${'a'.repeat(30)}\n\n${'c'.repeat(40)}\n`),
      }),
    );
    expect(tokens).toEqual([
      { label: 'ops', token: 'x'.repeat(24) },
      { label: 'alice', token: 'a'.repeat(30) },
      { label: 'token4', token: 'c'.repeat(40) },
    ]);
  });

  it.each([
    [{ ADMIN_TOKEN: 'short' }, /ADMIN_TOKEN tokens must be at least 24 characters/],
    [{ ADMIN_TOKEN_FILE: '/nonexistent/tokens' }, /ADMIN_TOKEN_FILE cannot be read/],
    [{ ADMIN_TOKEN_FILE: 'EMPTY' }, /ADMIN_TOKEN_FILE holds no token/],
    [{ ADMIN_TOKEN_FILE: 'BADLINE' }, /line 1: expected TOKEN or LABEL TOKEN/],
    [{ ADMIN_TOKEN_FILE: 'TWICE' }, /names a label twice/],
  ])('refuses %j', (env, message) => {
    const files: Record<string, string> = {
      EMPTY: file('# nothing\n'),
      BADLINE: file(`a b ${'c'.repeat(30)}\n`),
      TWICE: file(`x ${'a'.repeat(30)}\nx ${'b'.repeat(30)}\n`),
    };
    const resolved = Object.fromEntries(
      Object.entries(env).map(([k, v]) => [k, files[v] ?? v]),
    ) as Record<string, string>;
    expect(() => readAdminTokens(reader(resolved))).toThrow(message);
  });

  it('checks the allow-list entries at boot and matches addresses and ranges', () => {
    expect(() => parseAllowIps('ADMIN_ALLOW_IPS', '10.0.0.1, 10.0.0.0/33')).toThrow(
      /ADMIN_ALLOW_IPS has "10.0.0.0\/33"/,
    );
    expect(() => parseAllowIps('ADMIN_ALLOW_IPS', 'localhost')).toThrow(/not an IP/);
    const entries = parseAllowIps('ADMIN_ALLOW_IPS', '127.0.0.1, 10.1.0.0/16, ::1')!;
    const list = allowListOf(entries)!;
    expect(list.check('127.0.0.1', 'ipv4')).toBe(true);
    expect(list.check('10.1.200.3', 'ipv4')).toBe(true);
    expect(list.check('10.2.0.1', 'ipv4')).toBe(false);
    expect(list.check('::1', 'ipv6')).toBe(true);
  });
});
