import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn } from '../../../database/columns';

/** A console session ended by sign-out, or a confirmation form already acted on. */
export type SpentTokenKind = 'session' | 'form';

/**
 * Console tokens that may not be used again (owned by the admin module): a signed-out session's
 * nonce, so a copied cookie stops working on every backend at once, and the one-time nonce of each
 * confirmed change, so a resubmitted form changes nothing. Only digests are kept; a row is useless
 * after `expires_at` (the session or form would be refused anyway) and is deleted then.
 */
@Entity('admin_spent_token')
@Index('ix_admin_spent_token_expires', ['expiresAt'])
export class AdminSpentTokenEntity {
  /** SHA-256 of the kind and the token, hex. */
  @PrimaryColumn({ type: 'char', length: 64, charset: 'ascii' })
  digest: string;

  @Column({ type: 'varchar', length: 16, charset: 'ascii' })
  kind: SpentTokenKind;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;

  @CreatedAtColumn()
  createdAt: Date;
}
