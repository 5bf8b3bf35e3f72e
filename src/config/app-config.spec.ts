import { randomAddress } from '../biblepay/address';
import { AppConfig, ConfigError } from './app-config';

const base = (): Record<string, string> => ({
  ROLE: 'frontend',
  DATABASE_URL: 'mysql://fe:pw@127.0.0.1:3306/purepool',
  AMQP_URL: 'amqp://fe:pw@127.0.0.1:5672/purepool',
  POOL_ADDRESS_MAIN: randomAddress('main'),
});

const errorFor = (env: Record<string, string>): string => {
  try {
    new AppConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('config was accepted');
};

describe('AppConfig (the environment contract)', () => {
  it('applies the documented defaults', () => {
    const config = new AppConfig(base());
    expect(config.httpPort).toBe(8000);
    expect(config.networks).toEqual(['main']);
    expect(config.trustProxy).toEqual([]);
    expect(config.metricsSampleSeconds).toBe(60);
    expect(
      new AppConfig({ ...base(), ROLE: 'backend', NODE_RPC_URL_MAIN: 'http://u:p@127.0.0.1:9998' })
        .httpPort,
    ).toBe(8001);
  });

  it.each([
    ['ROLE', { ROLE: 'miner' }, /ROLE must be one of frontend, backend, all/],
    ['ROLE missing', { ROLE: '' }, /ROLE is required/],
    ['HTTP_PORT', { HTTP_PORT: 'eighty' }, /HTTP_PORT must be an integer/],
    ['DATABASE_URL', { DATABASE_URL: 'postgres://x@y/z' }, /DATABASE_URL must start with mysql:/],
    [
      'DATABASE_URL without db',
      { DATABASE_URL: 'mysql://x:y@h:3306' },
      /DATABASE_URL names no database/,
    ],
    ['AMQP_URL', { AMQP_URL: 'nonsense' }, /AMQP_URL must be a URL/],
    ['NETWORKS', { NETWORKS: 'main,moon' }, /NETWORKS has unknown network "moon"/],
    [
      'POOL_ADDRESS_MAIN',
      { POOL_ADDRESS_MAIN: 'Bnope' },
      /POOL_ADDRESS_MAIN is not a valid main BiblePay address/,
    ],
    ['POOL_ADDRESS_TEST', { NETWORKS: 'main,test' }, /POOL_ADDRESS_TEST is required/],
    [
      'TRUST_PROXY',
      { TRUST_PROXY: '10.0.0.0/8,proxy.lan' },
      /TRUST_PROXY has "proxy.lan": not an IP address or CIDR range/,
    ],
    [
      'METRICS_SAMPLE_SECONDS',
      { METRICS_SAMPLE_SECONDS: '0' },
      /METRICS_SAMPLE_SECONDS must be between 0.1 and 3600/,
    ],
  ])('names the bad variable: %s', (_name, change, message) => {
    expect(errorFor({ ...base(), ...change })).toMatch(message);
  });

  it('requires the node URL of every served network on a backend, not on a frontend', () => {
    expect(errorFor({ ...base(), ROLE: 'backend' })).toMatch(/NODE_RPC_URL_MAIN is required/);
    expect(() => new AppConfig(base())).not.toThrow();
  });

  it('reads the connection limits: 30 s per request, 10 s for headers, 64 sockets per source', () => {
    expect(new AppConfig(base()).connections).toEqual({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      maxPerSource: 64,
    });
    expect(new AppConfig({ ...base(), HTTP_REQUEST_TIMEOUT_MS: '3000' }).connections).toMatchObject(
      {
        requestTimeoutMs: 3000,
        headersTimeoutMs: 3000,
      },
    );
    expect(
      errorFor({ ...base(), HTTP_REQUEST_TIMEOUT_MS: '5000', HTTP_HEADERS_TIMEOUT_MS: '6000' }),
    ).toBe(
      'Invalid environment: HTTP_HEADERS_TIMEOUT_MS must be at most HTTP_REQUEST_TIMEOUT_MS (5000)',
    );
  });

  it("reads TRUST_PROXY as the proxies' addresses and CIDR ranges; false or unset trusts none", () => {
    expect(
      new AppConfig({ ...base(), TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1' }).trustProxy,
    ).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(new AppConfig({ ...base(), TRUST_PROXY: 'false' }).trustProxy).toEqual([]);
    expect(new AppConfig(base()).trustProxy).toEqual([]);
  });

  it.each(['true', 'yes', '1', '2', '0'])(
    'refuses TRUST_PROXY=%s with one line saying what to write instead',
    (value) => {
      const message = errorFor({ ...base(), TRUST_PROXY: value });
      expect(message).toMatch(
        /^Invalid environment: TRUST_PROXY must list the proxies' addresses or CIDR ranges, not .*: write e\.g\. TRUST_PROXY=127\.0\.0\.1,10\.0\.0\.0\/8$/,
      );
      expect(message.split('\n')).toHaveLength(1);
    },
  );

  it('reads payout minimums in coins and the pool fee exactly, with the original defaults', () => {
    const defaults = new AppConfig(base());
    expect(defaults.payoutMinimum).toEqual({ main: 1_000_000_000n, test: 1_000_000_000_000n });
    expect(defaults.poolFee).toEqual({ percent: '0', partsPerMillion: 0n });
    expect(defaults.webCacheSeconds).toBe(60);
    expect(defaults.poolPublicUrl).toBeNull();
    const set = new AppConfig({
      ...base(),
      PAYOUT_MINIMUM_MAIN: '0.10000001',
      POOL_FEE_PERCENT: '1.2500',
      POOL_PUBLIC_URL: 'https://pool.example.org/',
    });
    expect(set.payoutMinimum.main).toBe(10_000_001n);
    expect(set.poolFee).toEqual({ percent: '1.25', partsPerMillion: 12_500n });
    expect(set.poolPublicUrl).toBe('https://pool.example.org');
  });

  it.each([
    [{ PAYOUT_MINIMUM_MAIN: '0.000000001' }, /PAYOUT_MINIMUM_MAIN must be a coin amount/],
    [{ PAYOUT_MINIMUM_TEST: '0' }, /PAYOUT_MINIMUM_TEST must be more than 0/],
    [{ POOL_FEE_PERCENT: '100.5' }, /POOL_FEE_PERCENT must be at most 100/],
    [{ POOL_FEE_PERCENT: '1.23456' }, /POOL_FEE_PERCENT must be a percentage/],
    [{ POOL_FEE_PERCENT: '-1' }, /POOL_FEE_PERCENT must be a percentage/],
    [{ WEB_CACHE_SECONDS: '-5' }, /WEB_CACHE_SECONDS must be an integer|between/],
    [{ POOL_PUBLIC_URL: 'ftp://x' }, /POOL_PUBLIC_URL must start with http/],
  ])('refuses money and web settings it cannot hold exactly: %o', (change, message) => {
    expect(errorFor({ ...base(), ...change })).toMatch(message);
  });

  it('deploy settings: plain HTTP, generous per-IP limits and a 15 s drain unless set', () => {
    const defaults = new AppConfig(base());
    expect(defaults.tls).toBeNull();
    expect(defaults.rateLimit).toEqual({ actionPerMinute: 1200, webPerMinute: 300 });
    expect(defaults.shutdownTimeoutMs).toBe(15_000);
    const set = new AppConfig({
      ...base(),
      TLS_CERT_FILE: '/etc/purepool/tls/fullchain.pem',
      TLS_KEY_FILE: '/etc/purepool/tls/privkey.pem',
      RATE_LIMIT_ACTION_PER_MINUTE: '0',
      RATE_LIMIT_WEB_PER_MINUTE: '60',
      SHUTDOWN_TIMEOUT_MS: '30000',
    });
    expect(set.tls).toEqual({
      certFile: '/etc/purepool/tls/fullchain.pem',
      keyFile: '/etc/purepool/tls/privkey.pem',
    });
    expect(set.rateLimit).toEqual({ actionPerMinute: 0, webPerMinute: 60 });
    expect(set.shutdownTimeoutMs).toBe(30_000);
  });

  it.each([
    [{ TLS_CERT_FILE: '/c.pem' }, /TLS_KEY_FILE is required when TLS_CERT_FILE is set/],
    [{ TLS_KEY_FILE: '/k.pem' }, /TLS_CERT_FILE is required when TLS_KEY_FILE is set/],
    [{ RATE_LIMIT_ACTION_PER_MINUTE: '-1' }, /RATE_LIMIT_ACTION_PER_MINUTE must be/],
    [{ RATE_LIMIT_WEB_PER_MINUTE: 'lots' }, /RATE_LIMIT_WEB_PER_MINUTE must be an integer/],
    [{ SHUTDOWN_TIMEOUT_MS: '10' }, /SHUTDOWN_TIMEOUT_MS must be between 1000/],
  ])('refuses a half-configured or impossible deploy setting: %o', (change, message) => {
    expect(errorFor({ ...base(), ...change })).toMatch(message);
  });
});

describe('AppConfig: encrypted links (DATABASE_URL ?ssl=, amqps://, CA files, REQUIRE_TLS)', () => {
  it('splits ?ssl= off the database URL and keeps the CA and client files', () => {
    const config = new AppConfig({
      ...base(),
      DATABASE_URL: 'mysql://fe:pw@db.example.org:3306/purepool?ssl=verify-full',
      DATABASE_CA_FILE: '/etc/purepool/ca.crt',
      DATABASE_CERT_FILE: '/etc/purepool/fe.crt',
      DATABASE_KEY_FILE: '/etc/purepool/fe.key',
      AMQP_URL: 'amqps://fe:pw@mq.example.org/purepool',
      AMQP_CA_FILE: '/etc/purepool/ca.crt',
      REQUIRE_TLS: 'true',
    });
    expect(config.database).toMatchObject({
      url: 'mysql://fe:pw@db.example.org:3306/purepool',
      sslMode: 'verify-full',
      files: {
        caFile: '/etc/purepool/ca.crt',
        certFile: '/etc/purepool/fe.crt',
        keyFile: '/etc/purepool/fe.key',
      },
    });
    expect(config.broker.files.caFile).toBe('/etc/purepool/ca.crt');
    expect(new AppConfig(base()).database.sslMode).toBe('disabled');
  });

  it.each([
    [{ DATABASE_URL: 'mysql://x:y@h/db?ssl=on' }, /DATABASE_URL has ssl=on; use one of disabled/],
    [{ DATABASE_URL: 'mysql://x:y@h/db?sslmode=require' }, /unknown parameter "sslmode"/],
    [{ DATABASE_CA_FILE: '/ca.crt' }, /DATABASE_CA_FILE is set but DATABASE_URL has no \?ssl=/],
    [{ AMQP_CA_FILE: '/ca.crt' }, /AMQP_CA_FILE is set but AMQP_URL is not amqps:/],
    [
      { DATABASE_URL: 'mysql://x:y@h/db?ssl=required', DATABASE_CERT_FILE: '/c.crt' },
      /DATABASE_KEY_FILE is required when DATABASE_CERT_FILE is set/,
    ],
    [
      { REQUIRE_TLS: 'true', AMQP_URL: 'amqps://x:y@h/v' },
      /^Invalid environment: DATABASE_URL is clear text but REQUIRE_TLS=true/,
    ],
    [
      { REQUIRE_TLS: 'true', DATABASE_URL: 'mysql://x:y@h/db?ssl=verify-ca' },
      /^Invalid environment: AMQP_URL is clear text but REQUIRE_TLS=true: use amqps:\/\//,
    ],
    [
      {
        REQUIRE_TLS: 'true',
        DATABASE_URL: 'mysql://x:y@h/db?ssl=required',
        AMQP_URL: 'amqps://x:y@h/v',
      },
      /^Invalid environment: DATABASE_URL has \?ssl=required, which checks no certificate, but REQUIRE_TLS=true: use \?ssl=verify-full \(or verify-ca\)$/,
    ],
    [
      {
        REQUIRE_TLS: 'true',
        DATABASE_URL: 'mysql://x:y@h/db?ssl=verify-full',
        AMQP_URL: 'amqps://x:y@h/v',
        NODE_TLS_REJECT_UNAUTHORIZED: '0',
      },
      /^Invalid environment: NODE_TLS_REJECT_UNAUTHORIZED is 0, which turns certificate checks off, but REQUIRE_TLS=true: unset it$/,
    ],
  ])('refuses %j', (env, message) => {
    expect(errorFor({ ...base(), ...env })).toMatch(message);
  });
});
