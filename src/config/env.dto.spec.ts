import { randomAddress } from '../biblepay/address';
import { ConfigError } from './config-error';
import { parseEnv } from './env.dto';

const base = (): Record<string, string> => ({
  ROLE: 'frontend',
  DATABASE_URL: 'mysql://fe:pw@127.0.0.1:3306/purepool',
  AMQP_URL: 'amqp://fe:pw@127.0.0.1:5672/purepool',
  POOL_ADDRESS_MAIN: randomAddress('main'),
});

const problem = (env: Record<string, string>): string => {
  try {
    parseEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('environment was accepted');
};

describe('EnvDto (the environment validated by class-validator)', () => {
  it('types what is set, leaves the rest unset and ignores variables it does not know', () => {
    const env = parseEnv({ ...base(), HTTP_PORT: ' 9000 ', LOG_REQUESTS: 'yes', HOME: '/root' });
    expect(env.HTTP_PORT).toBe(9000);
    expect(env.LOG_REQUESTS).toBe(true);
    expect(env.WEB_CACHE_SECONDS).toBeUndefined();
    expect(env.DATABASE_URL.sslMode).toBe('disabled');
    expect(env).not.toHaveProperty('HOME');
  });

  it('treats a blank variable as unset (a default), not as a bad value', () => {
    expect(parseEnv({ ...base(), HTTP_PORT: '  ', NETWORKS: '' }).HTTP_PORT).toBeUndefined();
  });

  it('takes a redis:// or rediss:// CACHE_URL and never echoes it (it may hold a password)', () => {
    expect(parseEnv({ ...base(), CACHE_URL: 'rediss://:secret@cache:6380/2' }).CACHE_URL).toBe(
      'rediss://:secret@cache:6380/2',
    );
    expect(problem({ ...base(), CACHE_URL: 'http://:secret@cache' })).toBe(
      'Invalid environment: CACHE_URL must start with redis:// or rediss://',
    );
    expect(problem({ ...base(), CACHE_URL: 'secret' })).toMatch(
      /^Invalid environment: CACHE_URL must be a URL like redis:/,
    );
  });

  it('bounds MINER_CACHE_ENTRIES', () => {
    expect(parseEnv({ ...base(), MINER_CACHE_ENTRIES: '5000' }).MINER_CACHE_ENTRIES).toBe(5000);
    expect(problem({ ...base(), MINER_CACHE_ENTRIES: '0' })).toBe(
      'Invalid environment: MINER_CACHE_ENTRIES must be between 1 and 10000000 (got 0)',
    );
  });

  it('reports the first refused variable in the documented order, cross-variable checks included', () => {
    expect(problem({ ...base(), REQUIRE_TLS: 'true', CLEANUP_BATCH_SIZE: 'x' })).toMatch(
      /^Invalid environment: DATABASE_URL is clear text but REQUIRE_TLS=true/,
    );
    expect(problem({ ...base(), ADMIN_TOKEN: 'short', CLEANUP_BATCH_SIZE: 'x' })).toMatch(
      /^Invalid environment: ADMIN_TOKEN tokens must be at least 24 characters/,
    );
    expect(problem({ ...base(), HTTP_PORT: 'x', ADMIN_TOKEN: 'short' })).toMatch(
      /^Invalid environment: HTTP_PORT must be an integer/,
    );
  });

  it('reads the console settings only when the console is on', () => {
    expect(parseEnv({ ...base(), ADMIN_SESSION_HOURS: 'x' }).ADMIN_SESSION_HOURS).toBeUndefined();
    expect(problem({ ...base(), ADMIN_TOKEN: 'a'.repeat(32), ADMIN_SESSION_HOURS: 'x' })).toBe(
      'Invalid environment: ADMIN_SESSION_HOURS must be a number (got "x")',
    );
  });
});
