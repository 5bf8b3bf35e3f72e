import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { BiblepayNodeModule } from './biblepay/biblepay-node.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { AdminModule } from './modules/admin/admin.module';
import { AuditModule } from './modules/audit/audit.module';
import { BlockModule } from './modules/block/block.module';
import { HealthModule } from './modules/health/health.module';
import { NodeHealthIndicators } from './modules/health/node-health.indicators';
import { MetricsModule } from './modules/metrics/metrics.module';
import { MiningModule } from './modules/mining/mining.module';
import { MonitoringModule } from './modules/monitoring/monitoring.module';
import { PayoutModule } from './modules/payout/payout.module';
import { SolutionModule } from './modules/solution/solution.module';
import { WebModule } from './modules/web/web.module';

const FRONTEND_FEATURES = [MiningModule, WebModule];
const BACKEND_FEATURES = [SolutionModule, BlockModule, PayoutModule, AuditModule, MonitoringModule];
/** The operator console is mounted only when a token is configured (off by default). */
function consoleOf(config: AppConfig) {
  return config.admin ? [AdminModule] : [];
}
/** Backends also report the node on /health. */
const BACKEND_HEALTH = {
  imports: [BiblepayNodeModule, BlockModule],
  provider: NodeHealthIndicators,
};

/** HTTP for miners and visitors. Imports nothing that could reach the node or consume the queue. */
@Module({})
export class FrontendModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: FrontendModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        HealthModule.forRole(),
        MetricsModule,
        ...FRONTEND_FEATURES,
      ],
    };
  }
}

/** Queue consumer, scheduled jobs and the node client; HTTP only for /health and /metrics. */
@Module({})
export class BackendModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: BackendModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        HealthModule.forRole(BACKEND_HEALTH),
        MetricsModule,
        ...BACKEND_FEATURES,
        ...consoleOf(config),
      ],
    };
  }
}

/** Both roles in one process, for development and small pools. */
@Module({})
export class AllModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AllModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        HealthModule.forRole(BACKEND_HEALTH),
        MetricsModule,
        ...FRONTEND_FEATURES,
        ...BACKEND_FEATURES,
        ...consoleOf(config),
      ],
    };
  }
}

export function rootModuleFor(config: AppConfig): DynamicModule {
  switch (config.role) {
    case 'frontend':
      return FrontendModule.forRoot(config);
    case 'backend':
      return BackendModule.forRoot(config);
    case 'all':
      return AllModule.forRoot(config);
  }
}
