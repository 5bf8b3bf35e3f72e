import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { sourceOf } from '../../server/client-source';
import { SourceSuspension, SourceSuspensionRepository } from './source-suspension.repository';

/**
 * The frontend's view of suspended sources: the whole list of suspensions in force, re-read at most
 * every MINER_CACHE_SECONDS (one query for all requests, however many), so a suspended source is
 * refused before it costs a miner lookup, a work row or a queued message.
 */
@Injectable()
export class SourceGateService {
  private readonly logger = new Logger(SourceGateService.name);
  private suspended = new Map<string, SourceSuspension>();
  private expiresAt = 0;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly repository: SourceSuspensionRepository,
    private readonly config: AppConfig,
  ) {}

  /** The suspension of the request's source, if one is in force. */
  async suspensionOf(ip: string | null): Promise<SourceSuspension | null> {
    const source = sourceOf(ip);
    if (source === null) return null;
    const now = Date.now();
    if (now >= this.expiresAt) await this.reload();
    const suspension = this.suspended.get(source);
    return suspension && suspension.until.getTime() > now ? suspension : null;
  }

  /**
   * A database that does not answer keeps the last list in force (retried after a second): the
   * solution intake needs only the broker, and must not stop with the database.
   */
  private reload(): Promise<void> {
    this.loading ??= this.repository
      .active(new Date())
      .then(
        (rows) => {
          this.suspended = new Map(rows.map((r) => [r.source, r]));
          this.expiresAt = Date.now() + this.config.minerCacheSeconds * 1000;
        },
        (error: Error) => {
          this.logger.warn(`reading source suspensions: ${error.message}`);
          this.expiresAt = Date.now() + 1000;
        },
      )
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }
}
