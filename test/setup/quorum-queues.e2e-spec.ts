import amqplib, { Channel, ChannelModel } from 'amqplib';
import { SetupConfig } from '../../src/config/setup-config';
import {
  DEAD_LETTER_QUEUE,
  SOLUTION_EXCHANGE,
  SOLUTION_QUEUE,
  SOLUTION_ROUTING_KEY,
} from '../../src/messaging/broker-topology';
import { brokerAdminFor } from '../../src/messaging/setup/broker-admin';
import { dropBroker, provisionBroker } from '../../src/messaging/setup/broker-provisioner';
import { eventually, queueDepth } from '../support/harness';
import { runId } from '../support/test-env';

/** A vhost and users of this file's own (the run's vhost keeps the classic queues of the suite). */
function quorumSetup(type: 'quorum' | 'classic', deliveryLimit = 3): SetupConfig {
  const id = `q${runId()}`;
  const host = process.env.TEST_AMQP_HOST ?? '127.0.0.1:5672';
  const url = (user: string) => `amqp://${user}_${id}:pw_${id}@${host}/purepool_${id}`;
  return new SetupConfig({
    // The dead first node proves db:setup moves on to the next node of the list.
    BACKEND_AMQP_URL: `amqp://ppbe_${id}:pw_${id}@127.0.0.1:1/purepool_${id},${url('ppbe')}`,
    FRONTEND_AMQP_URL: url('ppfe'),
    SOLUTION_QUEUE_TYPE: type,
    SOLUTION_DELIVERY_LIMIT: String(deliveryLimit),
  });
}

describe('SOLUTION_QUEUE_TYPE=quorum (db:setup against the local broker)', () => {
  const config = quorumSetup('quorum');
  const admin = brokerAdminFor(process.env.RABBITMQ_MANAGEMENT_URL);
  let connection: ChannelModel;
  let channel: Channel;

  beforeAll(async () => {
    await provisionBroker(config, admin, () => undefined);
    connection = await amqplib.connect(config.backendBrokerLink.urls[1]);
    channel = await connection.createChannel();
  });

  afterAll(async () => {
    await connection?.close();
    await dropBroker(config, admin);
  });

  it('declares quorum queues, idempotently, over the first node that answers', async () => {
    await provisionBroker(config, admin, () => undefined);
    const check = await connection.createChannel();
    // Re-declaring with the quorum arguments succeeds only if the queue is a quorum queue.
    await check.assertQueue(SOLUTION_QUEUE, {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-dead-letter-exchange': 'purepool.solutions.dlx',
        'x-delivery-limit': 3,
        'x-max-length-bytes': 1024 * 1024 * 1024,
        'x-overflow': 'reject-publish',
      },
    });
    await check.close();
  });

  it('refuses to turn the quorum queues back into classic ones, naming the runbook', async () => {
    await expect(provisionBroker(quorumSetup('classic'), admin, () => undefined)).rejects.toThrow(
      /cannot change its arguments in place: see docs\/RUNBOOK.md/,
    );
  });

  it('a nack without requeue (the consumer giving up) dead-letters the message', async () => {
    channel.publish(SOLUTION_EXCHANGE, SOLUTION_ROUTING_KEY, Buffer.from('poison-1'), {
      persistent: true,
    });
    const message = await eventually(
      () => channel.get(SOLUTION_QUEUE, { noAck: false }),
      (m) => m !== false,
    );
    if (!message) throw new Error('no message');
    channel.nack(message, false, false);
    const dead = await eventually(
      () => queueDepth(channel, DEAD_LETTER_QUEUE),
      (n) => n === 1,
    );
    expect(dead).toBe(1);
    await channel.purgeQueue(DEAD_LETTER_QUEUE);
  });

  it('a message that keeps coming back is dead-lettered at the delivery limit', async () => {
    channel.publish(SOLUTION_EXCHANGE, SOLUTION_ROUTING_KEY, Buffer.from('poison-2'), {
      persistent: true,
    });
    for (let delivery = 0; delivery < 10; delivery++) {
      const message = await eventually(
        () => channel.get(SOLUTION_QUEUE, { noAck: false }),
        (m) => m !== false,
        2000,
      );
      if (!message) break;
      channel.nack(message, false, true); // as a crashing consumer returns it
    }
    expect(await queueDepth(channel, SOLUTION_QUEUE)).toBe(0);
    expect(
      await eventually(
        () => queueDepth(channel, DEAD_LETTER_QUEUE),
        (n) => n === 1,
      ),
    ).toBe(1);
  });
});
