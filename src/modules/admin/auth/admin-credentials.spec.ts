import { AdminCredentials } from './admin-credentials';

const TOKENS = [
  { label: 'alice', token: 'a'.repeat(32) },
  { label: 'bob.ops', token: 'b'.repeat(32) },
];

describe('AdminCredentials (console tokens and session cookies)', () => {
  it('names the token’s label; any other text, however close, is no token', () => {
    const credentials = new AdminCredentials(TOKENS, 60_000);
    expect(credentials.labelOf('a'.repeat(32))).toBe('alice');
    expect(credentials.labelOf('b'.repeat(32))).toBe('bob.ops');
    expect(credentials.labelOf(`${'a'.repeat(31)}b`)).toBeNull();
    expect(credentials.labelOf('a'.repeat(33))).toBeNull();
    expect(credentials.labelOf('')).toBeNull();
  });

  it('reads back the sessions it opened, with a stable form token; refuses tampered, expired or revoked ones', () => {
    let now = 1_000_000;
    const credentials = new AdminCredentials(TOKENS, 60_000, () => now);
    const session = credentials.openSession('bob.ops');
    expect(credentials.readSession(session.value)).toEqual({
      label: 'bob.ops',
      csrf: session.csrf,
      nonce: session.value.split('.')[2],
      expiresAt: new Date(1_060_000),
    });
    expect(session.maxAgeSeconds).toBe(60);

    const [label, expires, nonce, mac] = session.value.split('.');
    const aliceLabel = Buffer.from('alice').toString('base64url');
    expect(credentials.readSession(`${aliceLabel}.${expires}.${nonce}.${mac}`)).toBeNull();
    expect(credentials.readSession(`${label}.${Number(expires) + 1}.${nonce}.${mac}`)).toBeNull();
    expect(credentials.readSession(`${label}.${expires}.${nonce}x.${mac}`)).toBeNull();
    expect(credentials.readSession(`${session.value}.x`)).toBeNull();
    expect(credentials.readSession(undefined)).toBeNull();

    now += 60_001;
    expect(credentials.readSession(session.value)).toBeNull();

    const revoked = new AdminCredentials([TOKENS[0]], 60_000, () => 1_000_000);
    expect(revoked.readSession(session.value)).toBeNull();
    // Another session of the same token has another form token.
    now = 1_000_000;
    expect(credentials.openSession('bob.ops').csrf).not.toBe(session.csrf);
  });
});
