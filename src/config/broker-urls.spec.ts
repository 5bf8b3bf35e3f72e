import { randomAddress } from '../biblepay/address';
import { AppConfig, ConfigError } from './app-config';
import { SetupConfig } from './setup-config';
import { amqpSocketOptions } from '../messaging/broker-link';
import { solutionQueueArguments } from '../messaging/broker-topology';

const env = (amqp: string, extra: Record<string, string> = {}): Record<string, string> => ({
  ROLE: 'frontend',
  DATABASE_URL: 'mysql://fe:pw@127.0.0.1:3306/purepool',
  AMQP_URL: amqp,
  POOL_ADDRESS_MAIN: randomAddress('main'),
  ...extra,
});

const errorFor = (amqp: string, extra: Record<string, string> = {}): string => {
  try {
    new AppConfig(env(amqp, extra));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('config was accepted');
};

describe('AMQP_URL as a comma list of cluster nodes', () => {
  it('keeps every node in order, the first as the primary URL', () => {
    const config = new AppConfig(
      env(
        'amqp://fe:pw@127.0.0.1:5701/pool, amqp://fe:pw@127.0.0.1:5702/pool,amqp://fe:pw@h3/pool',
      ),
    );
    expect(config.broker.urls).toEqual([
      'amqp://fe:pw@127.0.0.1:5701/pool',
      'amqp://fe:pw@127.0.0.1:5702/pool',
      'amqp://fe:pw@h3/pool',
    ]);
    expect(config.amqpUrl).toBe('amqp://fe:pw@127.0.0.1:5701/pool');
  });

  it('a single URL is a list of one', () => {
    expect(new AppConfig(env('amqp://fe:pw@127.0.0.1:5672/pool')).broker.urls).toHaveLength(1);
  });

  it.each([
    [
      'a bad node, named by position',
      'amqp://a:b@h/v,nonsense',
      /AMQP_URL \(node 2\) must be a URL/,
    ],
    ['an empty node', 'amqp://a:b@h/v,,amqp://a:b@h2/v', /AMQP_URL \(node 2\) is required/],
    [
      'another scheme',
      'amqp://a:b@h/v,http://a:b@h2/v',
      /node 2\) must start with amqp: or amqps:/,
    ],
    ['mixed clear text and TLS', 'amqps://a:b@h/v,amqp://a:b@h2/v', /node 2 differs from node 1/],
    ['another vhost', 'amqp://a:b@h/v,amqp://a:b@h2/w', /node 2 differs from node 1/],
    ['another user', 'amqp://a:b@h/v,amqp://c:b@h2/v', /node 2 differs from node 1/],
  ])('refuses %s', (_name, url, message) => {
    expect(errorFor(url)).toMatch(message);
  });

  it('REQUIRE_TLS holds for every node', () => {
    const config = new AppConfig(
      env('amqps://a:b@h1/v,amqps://a:b@h2/v', {
        REQUIRE_TLS: 'true',
        DATABASE_URL: 'mysql://fe:pw@127.0.0.1:3306/purepool?ssl=verify-full',
      }),
    );
    expect(config.broker.urls).toHaveLength(2);
  });

  it('the TLS files apply to each node (one socket option set for all)', () => {
    const link = new AppConfig(env('amqps://a:b@h1/v,amqps://a:b@h2/v')).broker;
    for (const url of link.urls)
      expect(amqpSocketOptions({ ...link, url })).toEqual({ noDelay: true });
    expect(() =>
      amqpSocketOptions({ ...link, url: link.urls[1], files: { caFile: '/no/such/ca.crt' } }),
    ).toThrow(/AMQP_CA_FILE cannot be read/);
  });
});

describe('SOLUTION_QUEUE_TYPE (db:setup)', () => {
  it('defaults to classic with a delivery limit of 10 for quorum', () => {
    expect(new SetupConfig({}).solutionQueue).toEqual({
      type: 'classic',
      deliveryLimit: 10,
      shards: 1,
      maxBytes: 1024 * 1024 * 1024,
    });
  });

  it('reads SOLUTION_QUEUE_MAX_BYTES (at least 1 KiB)', () => {
    expect(new SetupConfig({ SOLUTION_QUEUE_MAX_BYTES: '4096' }).solutionQueue.maxBytes).toBe(4096);
    expect(() => new SetupConfig({ SOLUTION_QUEUE_MAX_BYTES: '10' })).toThrow(
      /SOLUTION_QUEUE_MAX_BYTES/,
    );
  });

  it('reads quorum and its delivery limit', () => {
    expect(
      new SetupConfig({ SOLUTION_QUEUE_TYPE: 'quorum', SOLUTION_DELIVERY_LIMIT: '5' })
        .solutionQueue,
    ).toEqual({ type: 'quorum', deliveryLimit: 5, shards: 1, maxBytes: 1024 * 1024 * 1024 });
  });

  it('reads SOLUTION_QUEUE_SHARDS within 1–16', () => {
    expect(new SetupConfig({ SOLUTION_QUEUE_SHARDS: '4' }).solutionQueue.shards).toBe(4);
    expect(() => new SetupConfig({ SOLUTION_QUEUE_SHARDS: '17' })).toThrow(/SOLUTION_QUEUE_SHARDS/);
  });

  it('refuses an unknown type', () => {
    expect(() => new SetupConfig({ SOLUTION_QUEUE_TYPE: 'stream' })).toThrow(
      /SOLUTION_QUEUE_TYPE must be one of classic, quorum/,
    );
  });

  it('accepts a node list in the role URLs of db:setup', () => {
    const config = new SetupConfig({
      BACKEND_AMQP_URL: 'amqp://be:pw@127.0.0.1:5701/pool,amqp://be:pw@127.0.0.1:5702/pool',
      FRONTEND_AMQP_URL: 'amqp://fe:pw@127.0.0.1:5701/pool,amqp://fe:pw@127.0.0.1:5702/pool',
    });
    expect(config.backendBrokerLink.urls).toHaveLength(2);
    expect(config.vhost).toBe('pool');
  });

  it('quorum queues dead-letter to the DLX and stop redelivering at the limit; both types refuse publishes when full', () => {
    const args = solutionQueueArguments({ type: 'quorum', deliveryLimit: 7, maxBytes: 4096 });
    expect(args.queue).toEqual({
      'x-queue-type': 'quorum',
      'x-dead-letter-exchange': 'purepool.solutions.dlx',
      'x-delivery-limit': 7,
      'x-max-length-bytes': 4096,
      'x-overflow': 'reject-publish',
    });
    expect(args.deadLetter).toEqual({ 'x-queue-type': 'quorum' });
    expect(
      solutionQueueArguments({ type: 'classic', deliveryLimit: 7, maxBytes: 4096 }).queue,
    ).toMatchObject({
      'x-queue-type': 'classic',
      'x-dead-letter-exchange': 'purepool.solutions.dlx',
      'x-max-length-bytes': 4096,
      'x-overflow': 'reject-publish',
    });
  });
});
