import type { FastifyInstance } from 'fastify';
import { isIP } from 'node:net';
import { allowListOf } from '../config/admin-config';

/** The longest text address (an IPv4-mapped IPv6); `work.ip` is `varchar(45)`. */
const MAX_IP_LENGTH = 45;

/** A complete IP address as a client address may be written: no port, no brackets, no junk. */
export function isClientIp(text: string): boolean {
  return text.length <= MAX_IP_LENGTH && isIP(text) !== 0;
}

/**
 * TRUST_PROXY: the peers whose X-Forwarded-For is believed. A peer is judged on the socket's own
 * address (IPv4-mapped IPv6 matches the IPv4 ranges), never on anything the client wrote.
 */
export class TrustedProxies {
  private readonly list;

  constructor(readonly entries: readonly string[]) {
    this.list = entries.length > 0 ? allowListOf(entries) : null;
  }

  get any(): boolean {
    return this.list !== null;
  }

  trusts(address: string | undefined): boolean {
    if (!this.list || !address) return false;
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }

  /**
   * Fastify's `trustProxy`: walking from the socket's peer back through X-Forwarded-For, a hop is
   * passed only while it is one of our proxies; the client is the first address that is not.
   */
  fastifyOption(): false | ((address: string, hop: number) => boolean) {
    return this.any ? (address) => this.trusts(address) : false;
  }

  /**
   * The part of an X-Forwarded-For value that a trusted peer vouches for, nearest hop last: read
   * from the right, an entry is kept while every hop after it is a proxy of ours; an entry that is
   * not an IP address ends the chain there (the nearest proxy is then the client address), so junk
   * never becomes `request.ip` (nor a `work.ip` too long for its column). Null: nothing usable.
   */
  believedChain(peer: string | undefined, forwardedFor: string): string | null {
    if (!this.trusts(peer)) return null;
    const entries = forwardedFor.split(',').map((s) => s.trim());
    const kept: string[] = [];
    for (let i = entries.length - 1; i >= 0; i--) {
      if (!isClientIp(entries[i])) break;
      kept.unshift(entries[i]);
      if (!this.trusts(entries[i])) break;
    }
    return kept.length > 0 ? kept.join(', ') : null;
  }
}

/**
 * First `onRequest` hook: X-Forwarded-For is cut to what `believedChain` keeps (or removed), so
 * `request.ip` — read by the rate limits, the console's allow-list and getwork — is an address
 * from the socket or from our own proxies, and always an IP address.
 */
export function installForwardedFor(fastify: FastifyInstance, proxies: TrustedProxies): void {
  if (!proxies.any) return;
  fastify.addHook('onRequest', (request, _reply, done) => {
    const headers = request.raw.headers;
    const header = headers['x-forwarded-for'];
    if (header !== undefined) {
      const forwarded = Array.isArray(header) ? header.join(',') : header;
      const chain = proxies.believedChain(request.raw.socket.remoteAddress, forwarded);
      if (chain === null) delete headers['x-forwarded-for'];
      else headers['x-forwarded-for'] = chain;
    }
    done();
  });
}
