import { Module, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { JobsModule } from '../../jobs/jobs.module';
import { AuditModule } from '../audit/audit.module';
import { BlockModule } from '../block/block.module';
import { MinerStoreModule } from '../mining/miner-store.module';
import { PayoutModule } from '../payout/payout.module';
import { AdminActionRepository } from './admin-action.repository';
import { AdminReadModel } from './admin-read-model';
import { AdminReportsService } from './admin-reports.service';
import { AdminSpentTokenRepository } from './admin-spent-token.repository';
import { adminGateFor } from './auth/admin-gate';
import { AdminApiController } from './api/admin-api.controller';
import { DeadLettersService } from './dead-letters.service';
import { MinerAdminService } from './miner-admin.service';
import { AdminPagesController } from './pages/admin-pages.controller';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ADMIN_ENTITIES } from './entities';

/**
 * The operator console (`/admin`): backend role only, and only when ADMIN_TOKEN(_FILE) is set.
 * Authentication is the admin gate's (auth/admin-gate.ts, installed in bootstrap); this module
 * holds the pages, the JSON API and the services behind them; it hands the gate the store of
 * signed-out sessions and used forms. Owns `admin_action` and `admin_spent_token`.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature(ADMIN_ENTITIES),
    JobsModule,
    BlockModule,
    PayoutModule,
    AuditModule,
    MinerStoreModule,
  ],
  controllers: [AdminApiController, AdminPagesController],
  providers: [
    AdminActionRepository,
    AdminSpentTokenRepository,
    AdminReadModel,
    MinerAdminService,
    AdminReportsService,
    DeadLettersService,
  ],
})
export class AdminModule implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly spentTokens: AdminSpentTokenRepository,
  ) {}

  onModuleInit(): void {
    if (this.config.admin) adminGateFor(this.config.admin).useSpentTokens(this.spentTokens);
  }
}
