import { BrokerLink, readTlsClientFiles } from '../config/link-tls';

/** amqplib socket options for a link: the CA to verify the broker with, an optional client cert. */
export interface AmqpSocketOptions {
  ca?: Buffer[];
  cert?: Buffer;
  key?: Buffer;
}

/**
 * With amqps://, amqplib opens a TLS socket that Node verifies against the CA (AMQP_CA_FILE, else
 * the system's) and the URL's host (a DNS name, or an IP address in the certificate's SAN).
 */
export function amqpSocketOptions(link: BrokerLink): AmqpSocketOptions {
  if (!link.url.startsWith('amqps:')) return {};
  const pem = readTlsClientFiles(link.files, link.variablePrefix);
  return {
    ...(pem.ca ? { ca: [pem.ca] } : {}),
    ...(pem.cert && pem.key ? { cert: pem.cert, key: pem.key } : {}),
  };
}
