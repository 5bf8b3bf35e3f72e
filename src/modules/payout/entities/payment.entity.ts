import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '../../../database/columns';
import { bigintTransformer } from '../../../database/bigint.transformer';

/**
 * intent: booked, not proven sent; sent: the wallet holds it (broadcast until `confirmedAt`);
 * failed: nothing went out, or an operator re-credited a conflicted/abandoned send.
 */
export type PaymentStatus = 'intent' | 'sent' | 'failed';

/**
 * One wallet send (a sendmany batch). Written as an intent, with its ledger entries, before the
 * wallet is called; the batch id goes into the wallet comment so a lost reply can be reconciled.
 */
@Entity('payment')
@Index('uq_payment_batch_id', ['batchId'], { unique: true })
@Index('ix_payment_network_status', ['network', 'status'])
export class PaymentEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: number;

  @Column({ name: 'batch_id', type: 'char', length: 36, charset: 'ascii' })
  batchId: string;

  @Column({ type: 'varchar', length: 8, charset: 'ascii' })
  network: string;

  @Column({ type: 'varchar', length: 16, charset: 'ascii' })
  status: PaymentStatus;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  total: bigint;

  @Column({ type: 'int', unsigned: true })
  recipients: number;

  @Column({ type: 'char', length: 64, charset: 'ascii', nullable: true })
  txid: string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @CreatedAtColumn()
  createdAt: Date;

  /**
   * Stamped just before `sendmany`: from here the wallet may have sent it, so it is never refunded
   * on absence alone — only found (sent) or released by an operator.
   */
  @Column({ name: 'dispatched_at', type: 'datetime', precision: 3, nullable: true })
  dispatchedAt: Date | null;

  @Column({ name: 'sent_at', type: 'datetime', precision: 3, nullable: true })
  sentAt: Date | null;

  /**
   * A `sent` payment is broadcast — the wallet holds it — until it has PAYOUT_CONFIRMATIONS
   * confirmations: this is the wallet's last count (`gettransaction`), null before the first look.
   */
  @Column({ type: 'int', nullable: true })
  confirmations: number | null;

  /** When it reached PAYOUT_CONFIRMATIONS confirmations: confirmed from then on. */
  @Column({ name: 'confirmed_at', type: 'datetime', precision: 3, nullable: true })
  confirmedAt: Date | null;

  /**
   * The wallet reports the send conflicted (negative confirmations) or abandoned: an open
   * problem; the coins go back to the miners only when an operator re-credits it.
   */
  @Column({ name: 'wallet_problem', type: 'varchar', length: 255, nullable: true })
  walletProblem: string | null;

  @Column({ name: 'problem_at', type: 'datetime', precision: 3, nullable: true })
  problemAt: Date | null;
}
