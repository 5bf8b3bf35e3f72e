import { BadRequestException, NotFoundException } from '@nestjs/common';
import { isValidAddress } from '../../biblepay/address';
import { BaseUnits, baseToCoins, parseCoins } from '../../biblepay/amount';
import { Network } from '../../biblepay/network';
import { AppConfig } from '../../config/app-config';

/** Largest manual adjustment either way: a typo of a few digits must not create a fortune. */
export const MAX_ADJUSTMENT: BaseUnits = parseCoins('1000000');
export const MAX_REASON = 255;

export interface MinerRef {
  network: Network;
  address: string;
}

/** A served network and a valid address of it, or 404 (unknown network) / 400 (not an address). */
export function minerRef(config: AppConfig, network: string, address: string): MinerRef {
  if (!config.serves(network)) throw new NotFoundException(`network ${network} is not served`);
  if (!isValidAddress(network, address))
    throw new BadRequestException(`${address} is not a valid ${network} address`);
  return { network, address };
}

export function requiredReason(value: unknown): string {
  const reason = typeof value === 'string' ? value.trim() : '';
  if (reason === '') throw new BadRequestException('a reason is required');
  if (reason.length > MAX_REASON)
    throw new BadRequestException(`the reason is longer than ${MAX_REASON} characters`);
  return reason;
}

/** Coins as an exact decimal string ("-1.5"), at most 8 decimals, not zero, within the bound. */
export function adjustmentAmount(value: unknown): BaseUnits {
  if (typeof value !== 'string')
    throw new BadRequestException('amount must be coins as a decimal string, e.g. "-1.5"');
  let units: BaseUnits;
  try {
    units = parseCoins(value);
  } catch {
    throw new BadRequestException(
      `amount "${value}" is not a coin amount (digits, optional sign, at most 8 decimals)`,
    );
  }
  if (units === 0n) throw new BadRequestException('amount must not be zero');
  if (units > MAX_ADJUSTMENT || units < -MAX_ADJUSTMENT)
    throw new BadRequestException(
      `amount is beyond ±${baseToCoins(MAX_ADJUSTMENT)} BBP; split a larger correction`,
    );
  return units;
}

export function requiredNetwork(config: AppConfig, value: unknown): Network {
  if (typeof value !== 'string' || !config.serves(value))
    throw new BadRequestException(`network must be one of ${config.networks.join(', ')}`);
  return value;
}
