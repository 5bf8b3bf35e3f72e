import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { SpentTokens } from './auth/admin-gate';
import type { SpentTokenKind } from './entities/admin-spent-token.entity';

const digestOf = (kind: SpentTokenKind, token: string): string =>
  createHash('sha256').update(`${kind}:${token}`).digest('hex');

/** `admin_spent_token`: what the console will not accept again (owned by the admin module). */
@Injectable()
export class AdminSpentTokenRepository implements SpentTokens {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async isSpent(kind: SpentTokenKind, token: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      'SELECT 1 FROM admin_spent_token WHERE digest = ?',
      [digestOf(kind, token)],
    );
    return rows.length > 0;
  }

  /** Spends a token; true when this call spent it, false when it had been spent before. */
  async spend(kind: SpentTokenKind, token: string, expiresAt: Date): Promise<boolean> {
    await this.db.query(
      'DELETE FROM admin_spent_token WHERE expires_at < UTC_TIMESTAMP(3) ORDER BY expires_at LIMIT 100',
    );
    const result: { affectedRows: number } = await this.db.query(
      'INSERT IGNORE INTO admin_spent_token (digest, kind, expires_at) VALUES (?, ?, ?)',
      [digestOf(kind, token), kind, expiresAt],
    );
    return result.affectedRows === 1;
  }
}
