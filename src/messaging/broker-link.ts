import { BrokerLink, readTlsClientFiles } from '../config/link-tls';

/**
 * amqplib socket options for a link: TCP_NODELAY, the CA to verify the broker with, an optional
 * client cert.
 */
export interface AmqpSocketOptions {
  noDelay: boolean;
  ca?: Buffer[];
  cert?: Buffer;
  key?: Buffer;
}

/**
 * With amqps://, amqplib opens a TLS socket that Node verifies against the CA (AMQP_CA_FILE, else
 * the system's) and the URL's host (a DNS name, or an IP address in the certificate's SAN).
 */
export function amqpSocketOptions(link: BrokerLink): AmqpSocketOptions {
  // amqplib leaves Nagle on: a publish written while the last one is unacknowledged then waits for
  // the broker's delayed ACK (~40 ms), which is what a group-committed publisher hits.
  const noDelay = true;
  if (!link.url.startsWith('amqps:')) return { noDelay };
  const pem = readTlsClientFiles(link.files, link.variablePrefix);
  return {
    noDelay,
    ...(pem.ca ? { ca: [pem.ca] } : {}),
    ...(pem.cert && pem.key ? { cert: pem.cert, key: pem.key } : {}),
  };
}
