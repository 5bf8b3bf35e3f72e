import amqplib, { ChannelModel } from 'amqplib';
import { BrokerLink } from '../config/link-tls';
import { amqpSocketOptions } from './broker-link';

/**
 * One plain amqplib connection (db:setup, the console's dead-letter tools) to the first node of
 * the list that answers, so a one-shot command works while any node of the cluster is up.
 */
export async function connectToAnyNode(link: BrokerLink): Promise<ChannelModel> {
  const errors: string[] = [];
  for (const url of link.urls) {
    try {
      return await amqplib.connect(url, amqpSocketOptions({ ...link, url }));
    } catch (error) {
      errors.push(`${new URL(url).host}: ${(error as Error).message}`);
    }
  }
  throw new Error(`no broker node answered (${errors.join('; ')})`);
}
