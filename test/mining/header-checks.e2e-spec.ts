import type { Channel, ChannelModel } from 'amqplib';
import { randomAddress } from '../../src/biblepay/address';
import { errorBody, ProtocolError } from '../../src/biblepay/pool-protocol';
import { walletRequest } from '../../sim/miner/wallet-http-client';
import { backendBroker, queueDepth, RunningApp, startRole } from '../support/harness';
import { wellFormedSolution } from '../support/solutions';
import { SOLUTION_QUEUE } from '../../src/messaging/broker-topology';

/**
 * The frontend checks the `Miner` and `Solution` headers' length and alphabet before anything is
 * queued (issue 22, item 3): junk in them is a protocol error, never a message the backend stores.
 */
describe('the Miner and Solution headers are checked before a solution is queued', () => {
  let frontend: RunningApp;
  let broker: { connection: ChannelModel; channel: Channel };

  beforeAll(async () => {
    frontend = await startRole('frontend');
    broker = await backendBroker();
  });
  afterAll(async () => {
    await frontend?.close();
    await broker?.connection.close();
  });
  beforeEach(async () => {
    await broker.channel.purgeQueue(SOLUTION_QUEUE);
  });

  const submit = (miner: string, solution = wellFormedSolution()) =>
    walletRequest({
      pool: frontend.url,
      action: 'solution',
      miner,
      network: 'main',
      solution,
      reader: 'https',
    });

  const address = randomAddress('main');
  it.each([
    ['100,000 characters', 'B'.repeat(100_000)],
    ['markup', `${address}/<script>`],
    ['another network’s address', `${randomAddress('test')}/w0`],
    ['four parts', `${address}/w0/a@b.c/more`],
  ])(
    'refuses a Miner header of %s with the protocol error and queues nothing',
    async (_n, miner) => {
      const answer = await submit(miner);
      expect(answer.body).toBe(errorBody(ProtocolError.workerIdInvalid(miner.slice(0, 200))));
      expect(await queueDepth(broker.channel)).toBe(0);
    },
  );

  it('refuses a solution without a Miner header', async () => {
    const answer = await submit('');
    expect(answer.body).toBe(errorBody(ProtocolError.workerIdMissing));
    expect(await queueDepth(broker.channel)).toBe(0);
  });

  it.each([
    ['longer than 120 KiB', wellFormedSolution({ blockHex: 'ab'.repeat(62_000) })],
    ['characters outside its alphabet', wellFormedSolution().replace(/,0,/, ',0\u00a0,')],
  ])('refuses a Solution header %s and queues nothing', async (_n, solution) => {
    const answer = await submit(`${address}/w0`, solution);
    expect(answer.body).toBe(errorBody(ProtocolError.invalidSolution));
    expect(await queueDepth(broker.channel)).toBe(0);
  });

  it('queues a solution whose headers are well-formed', async () => {
    const answer = await submit(`${address}/w0/miner@example.org`);
    expect(answer.body).toContain('<STATUS>ok</STATUS>');
    expect(await queueDepth(broker.channel)).toBe(1);
  });
});
