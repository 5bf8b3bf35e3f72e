import amqplib, { Channel, ChannelModel } from 'amqplib';
import { randomAddress } from '../../src/biblepay/address';
import { errorBody, ProtocolError } from '../../src/biblepay/pool-protocol';
import { SetupConfig } from '../../src/config/setup-config';
import { SOLUTION_QUEUE } from '../../src/messaging/broker-topology';
import { brokerAdminFor } from '../../src/messaging/setup/broker-admin';
import { dropBroker, provisionBroker } from '../../src/messaging/setup/broker-provisioner';
import { walletRequest } from '../../sim/miner/wallet-http-client';
import { RunningApp, startRole } from '../support/harness';
import { runId } from '../support/test-env';
import { wellFormedSolution } from '../support/solutions';

const MAX_BYTES = 4096;

/**
 * With no backend consuming, the solution queue fills; it must not fill the broker's disk (issue
 * 22, item 3): declared with SOLUTION_QUEUE_MAX_BYTES and `reject-publish`, a full queue refuses
 * the message, the publisher's confirm comes back as a nack, and the wallet hears "temporarily
 * unavailable" — never `ok` for a share nobody holds.
 */
describe('SOLUTION_QUEUE_MAX_BYTES: a full solution queue answers wallets "temporarily unavailable"', () => {
  const id = `b${runId()}`;
  const host = process.env.TEST_AMQP_HOST ?? '127.0.0.1:5672';
  const url = (user: string) => `amqp://${user}_${id}:pw_${id}@${host}/purepool_${id}`;
  const config = new SetupConfig({
    BACKEND_AMQP_URL: url('ppbe'),
    FRONTEND_AMQP_URL: url('ppfe'),
    SOLUTION_QUEUE_MAX_BYTES: String(MAX_BYTES),
  });
  const admin = brokerAdminFor(process.env.RABBITMQ_MANAGEMENT_URL);
  let frontend: RunningApp;
  let connection: ChannelModel;
  let channel: Channel;

  beforeAll(async () => {
    await provisionBroker(config, admin, () => undefined);
    frontend = await startRole('frontend', { AMQP_URL: url('ppfe') });
    connection = await amqplib.connect(url('ppbe'));
    channel = await connection.createChannel();
  });
  afterAll(async () => {
    await frontend?.close();
    await connection?.close();
    await dropBroker(config, admin);
  });

  it('accepts solutions until the queue holds its bytes, then refuses them, and every ok is queued', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 20; i++) {
      const answer = await walletRequest({
        pool: frontend.url,
        action: 'solution',
        miner: `${randomAddress('main')}/w0`,
        network: 'main',
        solution: wellFormedSolution(),
        reader: 'https',
      });
      answers.push(answer.body);
    }
    const ok = answers.filter((a) => a.includes('<STATUS>ok</STATUS>')).length;
    const refused = answers.filter((a) => a === errorBody(ProtocolError.unavailable)).length;
    expect(ok).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    expect(ok + refused).toBe(20);
    // Once full, every later one is refused (nothing drains the queue).
    expect(answers.slice(answers.findIndex((a) => !a.includes('<STATUS>ok</STATUS>')))).toEqual(
      Array(refused).fill(errorBody(ProtocolError.unavailable)),
    );
    expect((await channel.checkQueue(SOLUTION_QUEUE)).messageCount).toBe(ok);
  });
});
