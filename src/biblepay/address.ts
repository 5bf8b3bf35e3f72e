import { randomBytes } from 'node:crypto';
import bs58check from 'bs58check';
import { LRUCache } from 'lru-cache';
import { CHAIN_PARAMS, Network } from './network';

const ADDRESS_LENGTH = 34;
const HASH160_LENGTH = 20;

/**
 * Version byte of addresses whose base58check decoded, most recently checked first. Every getwork
 * and share names its miner's address, and the checksum (two SHA-256 in JavaScript, ~18 µs) was
 * the largest cost of our own code on a new-connection getwork (issue 23 profile). Only addresses
 * that decoded are kept, at most 20,000 (about 2 MB): invalid ones are refused again at full cost,
 * and a flood of valid random addresses only evicts the oldest.
 */
const VERSION_OF_VALID = new LRUCache<string, number>({ max: 20_000 });

/**
 * True when `address` is a base58check pay-to-pubkey-hash address of `network`
 * (version byte 25 on main, 140 on test). Checksum verified by bs58check.
 */
export function isValidAddress(network: Network, address: string): boolean {
  if (address.length !== ADDRESS_LENGTH) return false;
  let version = VERSION_OF_VALID.get(address);
  if (version === undefined) {
    let payload: Uint8Array;
    try {
      payload = bs58check.decode(address);
    } catch {
      return false;
    }
    if (payload.length !== HASH160_LENGTH + 1) return false;
    version = payload[0];
    VERSION_OF_VALID.set(address, version);
  }
  return version === CHAIN_PARAMS[network].addressVersion;
}

export function encodeAddress(network: Network, hash160: Uint8Array): string {
  if (hash160.length !== HASH160_LENGTH) throw new Error('hash160 must be 20 bytes');
  const payload = new Uint8Array(HASH160_LENGTH + 1);
  payload[0] = CHAIN_PARAMS[network].addressVersion;
  payload.set(hash160, 1);
  return bs58check.encode(payload);
}

/** A fresh valid address (random hash160): for the simulators, tests and benchmarks. */
export function randomAddress(network: Network): string {
  return encodeAddress(network, randomBytes(HASH160_LENGTH));
}
