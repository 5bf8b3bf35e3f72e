import type { Channel, ChannelModel } from 'amqplib';
import { randomAddress } from '../../src/biblepay/address';
import { decodeSolutionMessage } from '../../src/messaging/solution-message';
import {
  SOLUTION_EXCHANGE,
  SOLUTION_QUEUE,
  SOLUTION_ROUTING_KEY,
} from '../../src/messaging/broker-topology';
import { walletRequest } from '../../sim/miner/wallet-http-client';
import {
  backendBroker,
  queueDepth,
  queuedSolutions,
  RunningApp,
  startRole,
} from '../support/harness';
import { wellFormedSolution } from '../support/solutions';

describe('solution intake', () => {
  let frontend: RunningApp;
  let broker: { connection: ChannelModel; channel: Channel };

  beforeAll(async () => {
    frontend = await startRole('frontend');
    broker = await backendBroker();
  });
  afterAll(async () => {
    await frontend.close();
    await broker.connection.close();
  });
  beforeEach(async () => {
    await broker.channel.purgeQueue(SOLUTION_QUEUE);
  });

  const submit = (solution: string | undefined, network = 'main') =>
    walletRequest({
      pool: frontend.url,
      action: 'solution',
      miner: randomAddress('main'),
      network,
      solution,
      reader: 'https',
    });

  it('answers ok with the work id only once the broker holds the message, and queues it untouched', async () => {
    const solution = wellFormedSolution();
    const res = await submit(solution);
    expect(res.body).toBe(
      '<RESPONSE><STATUS>ok</STATUS><WORKID>7a0f6c1e-3b9d-4f7e-8a21-0c5d9e4b6f33</WORKID></RESPONSE><END></HTML>\r\n',
    );
    expect(res.raw).toContain('\r\nContent-Length: ');
    const message = await broker.channel.get(SOLUTION_QUEUE, { noAck: true });
    expect(message).not.toBe(false);
    if (message === false) return;
    expect(message.properties.deliveryMode).toBe(2);
    const decoded = decodeSolutionMessage(message.content);
    expect(decoded).toMatchObject({
      v: 1,
      network: 'main',
      solution,
      threadId: '0',
      os: 'LIN',
      agent: '1.1.9.3',
    });
    expect(message.properties.messageId).toBe(decoded.id);
  });

  it('counts: every solution answered ok is in the queue, wallets that send at once sharing broker messages', async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => submit(wellFormedSolution())),
    );
    const ok = answers.filter((a) => a.body.includes('<STATUS>ok</STATUS>')).length;
    expect(ok).toBe(200);
    // group commit (SOLUTION_PUBLISH_BATCH_MAX): 200 concurrent solutions in fewer messages
    expect(await queueDepth(broker.channel)).toBeLessThan(ok);
    expect(await queuedSolutions(broker.channel)).toBe(ok);
  });

  it.each([
    ['too few fields', 'a,b,c'],
    [
      'a bible hash that is not hex',
      wellFormedSolution().replace(/^([^,]*,[^,]*,[^,]*,[^,]*,)[^,]*/, '$1zz'),
    ],
    ['a negative nonce', wellFormedSolution({ nonce: -1 })],
    [
      'block hex that is not hex',
      wellFormedSolution().replace(/,[0-9a-f]+,([0-9a-f]+)$/, ',nothex,$1'),
    ],
    ['17 fields', `${wellFormedSolution()},extra`],
  ])('refuses a malformed solution (%s) and publishes nothing', async (_name, solution) => {
    const res = await submit(solution);
    expect(res.raw).toContain(
      '<RESPONSE>Invalid Solution</RESPONSE><ERROR>Invalid Solution</ERROR><EOF>',
    );
    expect(await queueDepth(broker.channel)).toBe(0);
  });

  it('refuses a missing solution', async () => {
    const res = await submit('');
    expect(res.raw).toContain(
      '<RESPONSE>Solution is missing</RESPONSE><ERROR>Solution is missing</ERROR><EOF>',
    );
    expect(await queueDepth(broker.channel)).toBe(0);
  });

  it('refuses a solution for a network the pool does not serve', async () => {
    const res = await submit(wellFormedSolution(), 'regtest');
    expect(res.raw).toContain('<ERROR>Invalid network</ERROR><EOF>');
  });

  it('never answers ok for a message the broker returned as unroutable', async () => {
    await broker.channel.unbindQueue(SOLUTION_QUEUE, SOLUTION_EXCHANGE, SOLUTION_ROUTING_KEY);
    try {
      const res = await submit(wellFormedSolution());
      expect(res.raw).toContain(
        '<ERROR>Pool is temporarily unavailable, please retry</ERROR><EOF>',
      );
      expect(res.raw).not.toContain('<STATUS>ok</STATUS>');
    } finally {
      await broker.channel.bindQueue(SOLUTION_QUEUE, SOLUTION_EXCHANGE, SOLUTION_ROUTING_KEY);
    }
  });

  it('answers a protocol error promptly, not a hang or a 500, when the broker is unreachable', async () => {
    const orphan = await startRole('frontend', {
      AMQP_URL: 'amqp://nobody:nothing@127.0.0.1:1/none',
      BROKER_CONNECT_WAIT_MS: '0',
    });
    try {
      const started = Date.now();
      const res = await walletRequest({
        pool: orphan.url,
        action: 'solution',
        miner: randomAddress('main'),
        network: 'main',
        solution: wellFormedSolution(),
      });
      expect(res.statusCode).toBe(200);
      expect(res.raw).toContain(
        '<ERROR>Pool is temporarily unavailable, please retry</ERROR><EOF>',
      );
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await orphan.close();
    }
  });
});
