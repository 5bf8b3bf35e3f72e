import { BadRequestException, NotFoundException } from '@nestjs/common';
import { isValidAddress } from '../../../biblepay/address';
import { Network } from '../../../biblepay/network';
import { AppConfig } from '../../../config/app-config';

/**
 * Parameter checks for the JSON API. Every bad value becomes a 400 whose message names the
 * parameter and what it must be; nothing a client sends reaches a query unchecked.
 * Fastify gives a repeated query parameter as an array: that is refused too.
 */
export function intParam(
  value: unknown,
  name: string,
  range: { min: number; max: number; fallback?: number },
): number {
  if (value === undefined && range.fallback !== undefined) return range.fallback;
  const text = typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined || !/^\d{1,9}$/.test(text)) {
    throw new BadRequestException(`${name} must be an integer from ${range.min} to ${range.max}`);
  }
  const n = Number(text);
  if (n < range.min || n > range.max) {
    throw new BadRequestException(`${name} must be an integer from ${range.min} to ${range.max}`);
  }
  return n;
}

export function boolParam(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new BadRequestException(`${name} must be true or false`);
}

/** An unserved network is a resource that does not exist here: 404, not 400. */
export function networkParam(config: AppConfig, value: string): Network {
  if (!config.serves(value)) {
    throw new NotFoundException(
      `network ${JSON.stringify(value.slice(0, 16))} is not served here (served: ${config.networks.join(', ')})`,
    );
  }
  return value;
}

export function addressParam(network: Network, value: string): string {
  if (!isValidAddress(network, value)) {
    throw new BadRequestException(`address is not a valid BiblePay ${network} address`);
  }
  return value;
}
