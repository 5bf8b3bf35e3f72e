import { ApiProperty } from '@nestjs/swagger';
import { baseToCoins } from '../../../biblepay/amount';
import { Network } from '../../../biblepay/network';
import { MinerSummary } from '../miner-stats.service';
import { DisplayBlock, PoolSummary } from '../pool-stats.service';
import { HourCount, LedgerRow, WorkerActivity } from '../web-read-model';

/**
 * The documented JSON shapes of /api/v1. Amounts are coins as exact decimal text ("12.5"),
 * never JSON numbers: a float cannot hold every 8-decimal amount. Times are ISO 8601 UTC.
 */
const COINS = {
  type: String,
  example: '1234.5',
  description: 'Coins as exact decimal text (1 BBP = 100,000,000 base units).',
};

export class ErrorDto {
  @ApiProperty({ example: 400 }) statusCode: number;
  @ApiProperty({ example: 'Bad Request' }) error: string;
  @ApiProperty({ example: 'page must be an integer from 1 to 100000' }) message: string;
}

export class BlockCountsDto {
  @ApiProperty() allBlocks: number;
  @ApiProperty() poolBlocks: number;
  @ApiProperty({ description: 'Pool blocks in percent of all blocks, two decimals.' })
  poolBlocksPercent: number;
  @ApiProperty({ ...COINS, description: 'Σ subsidy of the pool blocks. ' + COINS.description })
  coinsMined: string;
}

export class PoolSummaryDto {
  @ApiProperty({ enum: ['main', 'test'] }) network: Network;
  @ApiProperty() poolAddress: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Highest block height stored.' })
  currentHeight: number | null;
  @ApiProperty({ type: () => BlockCountsDto, description: 'Blocks by chain time, last 24 h.' })
  last24h: BlockCountsDto;
  @ApiProperty({ description: 'Miners with an accepted share in the last 24 h.' })
  activeMiners: number;
  @ApiProperty({ description: 'Σ of each active worker’s mean reported hashes/s, last hour.' })
  hashesPerSecond: number;
  @ApiProperty({ description: 'Workers with an accepted share in the last hour.' })
  workers: number;
  @ApiProperty(COINS) payoutMinimum: string;
  @ApiProperty({ example: '1.5' }) feePercent: string;
  @ApiProperty({ type: String, format: 'date-time' }) generatedAt: string;
}

export class BlockDto {
  @ApiProperty() height: number;
  @ApiProperty() hash: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'Chain time of the block.' })
  time: string;
  @ApiProperty(COINS) subsidy: string;
  @ApiProperty() recipient: string;
  @ApiProperty() poolBlock: boolean;
  @ApiProperty({
    enum: ['pending', 'mature', 'orphaned', 'credited', 'paid'],
    description:
      'pending: not yet mature; mature: awaiting shareout; credited: split over the miners; ' +
      'paid: every credited miner has been paid since; orphaned: no longer on the chain.',
  })
  status: string;
  @ApiProperty() confirmations: number;
  @ApiProperty({ type: String, nullable: true, description: 'Address of the miner who found it.' })
  finder: string | null;
}

export class BlockPageDto {
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
  @ApiProperty({ type: () => [BlockDto] }) items: BlockDto[];
}

export class WorkerDto {
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Accepted shares, last 24 h.' }) shares: number;
  @ApiProperty({ description: 'Difficulty-weighted shares (1.0 = one base-target share).' })
  shareWeight: string;
  @ApiProperty({ description: 'Mean reported hashes/s over the last hour; 0 if none.' })
  hashesPerSecond: number;
  @ApiProperty({ type: String, format: 'date-time' }) lastShareAt: string;
}

export class MinerSummaryDto {
  @ApiProperty({ enum: ['main', 'test'] }) network: string;
  @ApiProperty() address: string;
  @ApiProperty() disabled: boolean;
  @ApiProperty({ ...COINS, description: 'Σ of the ledger: owed, not yet in a payment.' })
  balance: string;
  @ApiProperty(COINS) totalCredited: string;
  @ApiProperty({ ...COINS, description: 'Payouts the wallet has sent.' }) totalPaid: string;
  @ApiProperty({
    ...COINS,
    description:
      'Of totalPaid, what has the confirmations the pool waits for; the rest is broadcast, awaiting a block.',
  })
  totalConfirmed: string;
  @ApiProperty({ ...COINS, description: 'In a payment not yet confirmed sent.' })
  pendingPayout: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastPaidAt: string | null;
  @ApiProperty() shares24h: number;
  @ApiProperty() hashesPerSecond: number;
  @ApiProperty({ description: 'Workers with an accepted share in the last 24 h.' })
  activeWorkers: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastShareAt: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) firstSeenAt: string;
}

export class PaymentDto {
  @ApiProperty({ ...COINS, description: 'Amount sent (positive). ' + COINS.description })
  amount: string;
  @ApiProperty({ enum: ['intent', 'sent', 'failed'] }) status: string;
  @ApiProperty({
    description:
      'Sent and with the confirmations the pool waits for; a sent payment not yet confirmed is broadcast (pending).',
  })
  confirmed: boolean;
  @ApiProperty({ type: String, nullable: true }) txid: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class PaymentPageDto {
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
  @ApiProperty({ type: () => [PaymentDto] }) items: PaymentDto[];
}

export class HourSharesDto {
  @ApiProperty({ type: String, format: 'date-time', description: 'Start of the UTC hour.' })
  hour: string;
  @ApiProperty() accepted: number;
  @ApiProperty() rejected: number;
}

export class CompatStatisticsDto {
  @ApiProperty() network: string;
  @ApiProperty({ example: 1 }) days: number;
  @ApiProperty({ example: 41234 }) current_height: number;
  @ApiProperty() all_blocks: number;
  @ApiProperty() pool_blocks: number;
  @ApiProperty() pool_blocks_percent: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Coins; null when the pool found no block (as the original).',
  })
  bbp_mined: number | null;
  @ApiProperty() miners_count: number;
}

export class CompatSubsidySumDto {
  @ApiProperty({ type: Number, nullable: true, description: 'Coins; null when no block.' })
  sum: number | null;
  @ApiProperty() count: number;
}

const SHARE_WEIGHT_SCALE = 1_000_000n;

/** Share weights are integer millionths: written exactly as decimal text. */
export function shareWeightText(millionths: bigint): string {
  const whole = millionths / SHARE_WEIGHT_SCALE;
  const fraction = (millionths % SHARE_WEIGHT_SCALE).toString().padStart(6, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole.toString();
}

export function toPoolSummaryDto(s: PoolSummary): PoolSummaryDto {
  return {
    network: s.network,
    poolAddress: s.poolAddress,
    currentHeight: s.currentHeight,
    last24h: {
      allBlocks: s.last24h.allBlocks,
      poolBlocks: s.last24h.poolBlocks,
      poolBlocksPercent: s.last24h.poolBlocksPercent,
      coinsMined: baseToCoins(s.last24h.coinsMined),
    },
    activeMiners: s.activeMiners,
    hashesPerSecond: Math.round(s.hashrate.hashesPerSecond),
    workers: s.hashrate.workers,
    payoutMinimum: baseToCoins(s.payoutMinimum),
    feePercent: s.feePercent,
    generatedAt: s.generatedAt.toISOString(),
  };
}

export function toBlockDto(b: DisplayBlock): BlockDto {
  return {
    height: b.height,
    hash: b.hash,
    time: b.chainTime.toISOString(),
    subsidy: baseToCoins(b.subsidy),
    recipient: b.recipient,
    poolBlock: b.isPoolBlock,
    status: b.displayStatus,
    confirmations: b.confirmations,
    finder: b.finderAddress,
  };
}

export function toWorkerDto(w: WorkerActivity): WorkerDto {
  return {
    name: w.name,
    shares: w.shares,
    shareWeight: shareWeightText(w.shareWeight),
    hashesPerSecond: Math.round(w.hashesPerSecond),
    lastShareAt: w.lastShareAt.toISOString(),
  };
}

export function toMinerSummaryDto(s: MinerSummary): MinerSummaryDto {
  return {
    network: s.miner.network,
    address: s.miner.address,
    disabled: s.miner.disabled,
    balance: baseToCoins(s.money.balance),
    totalCredited: baseToCoins(s.money.credited),
    totalPaid: baseToCoins(s.money.paid),
    totalConfirmed: baseToCoins(s.money.confirmed),
    pendingPayout: baseToCoins(s.money.pendingPayout),
    lastPaidAt: s.money.lastPaidAt?.toISOString() ?? null,
    shares24h: s.shares24h,
    hashesPerSecond: Math.round(s.hashesPerSecond),
    activeWorkers: s.workers.length,
    lastShareAt: s.lastShareAt?.toISOString() ?? null,
    firstSeenAt: s.miner.createdAt.toISOString(),
  };
}

export function toPaymentDto(row: LedgerRow): PaymentDto {
  // A known txid means the wallet sent it, whatever row recorded it; failed stays failed.
  const status =
    row.paymentStatus === 'failed' ? 'failed' : row.txid ? 'sent' : (row.paymentStatus ?? 'intent');
  return {
    amount: baseToCoins(-row.amount),
    status,
    confirmed: status === 'sent' && row.paymentConfirmed,
    txid: row.txid,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toHourSharesDto(h: HourCount): HourSharesDto {
  return { hour: h.hour.toISOString(), accepted: h.accepted, rejected: h.rejected };
}
