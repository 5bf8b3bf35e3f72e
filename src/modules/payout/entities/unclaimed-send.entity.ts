import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer } from '../../../database/bigint.transformer';

export type UnclaimedSendStatus = 'open' | 'attached' | 'dismissed';

/**
 * A wallet send that looks like the pool's — its comment is `purepool:…`, or every output goes to
 * a miner — but that no payment row claims (a failover to a replica that lost the payment, a
 * restore, a send made by hand). While one is `open`, payouts stop: the balances it paid may look
 * unpaid. The operator attaches it to the ledger (a payment row with its txid) or dismisses it.
 */
@Entity('unclaimed_send')
@Index('uq_unclaimed_send_txid', ['network', 'txid'], { unique: true })
@Index('ix_unclaimed_send_status', ['network', 'status'])
export class UnclaimedSendEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: number;

  @Column({ type: 'varchar', length: 8, charset: 'ascii' })
  network: string;

  @Column({ type: 'char', length: 64, charset: 'ascii' })
  txid: string;

  @Column({ type: 'varchar', length: 255 })
  comment: string;

  /** What its recipients received (base units). */
  @Column({ type: 'bigint', transformer: bigintTransformer })
  paid: bigint;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  fee: bigint;

  /** JSON `[{address, amount, vout}]`, amounts as decimal text of base units. */
  @Column({ type: 'text' })
  outputs: string;

  /** The wallet's time of the send. */
  @Column({ name: 'sent_at', type: 'datetime', precision: 3 })
  sentAt: Date;

  @Column({
    name: 'found_at',
    type: 'datetime',
    precision: 3,
    default: () => 'CURRENT_TIMESTAMP(3)',
  })
  foundAt: Date;

  @Column({ type: 'varchar', length: 16, charset: 'ascii' })
  status: UnclaimedSendStatus;

  @Column({ name: 'payment_id', type: 'bigint', unsigned: true, nullable: true })
  paymentId: number | null;

  @Column({ name: 'resolved_at', type: 'datetime', precision: 3, nullable: true })
  resolvedAt: Date | null;
}
