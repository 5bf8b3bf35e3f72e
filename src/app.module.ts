import { DynamicModule, Module, Type } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { ExtraIndicators, HealthModule } from './modules/health/health.module';
import { MetricsModule } from './modules/metrics/metrics.module';

/*
 * Each role loads the code of its own features only: the feature modules are required when a role
 * is composed, not when this file is loaded, so a frontend process never loads the backend's
 * modules and their libraries (the job scheduler, the queue consumer's microservice transport, the
 * node client, the console and its OpenAPI): ~15 MB less resident per frontend (docs/BENCHMARKS.md,
 * issue 26). `typeof import(…)` is a type only; test/roles/role-composition.e2e-spec.ts checks what
 * a frontend process loads.
 */
/* eslint-disable @typescript-eslint/no-require-imports */

/** HTTP for miners and visitors. */
function frontendFeatures(): Type[] {
  const { MiningModule } =
    require('./modules/mining/mining.module') as typeof import('./modules/mining/mining.module');
  const { WebModule } =
    require('./modules/web/web.module') as typeof import('./modules/web/web.module');
  return [MiningModule, WebModule];
}

/** Queue consumer and scheduled jobs; the operator console only when a token is configured. */
function backendFeatures(config: AppConfig): Type[] {
  const { SolutionModule } =
    require('./modules/solution/solution.module') as typeof import('./modules/solution/solution.module');
  const { BlockModule } =
    require('./modules/block/block.module') as typeof import('./modules/block/block.module');
  const { PayoutModule } =
    require('./modules/payout/payout.module') as typeof import('./modules/payout/payout.module');
  const { AuditModule } =
    require('./modules/audit/audit.module') as typeof import('./modules/audit/audit.module');
  const { MonitoringModule } =
    require('./modules/monitoring/monitoring.module') as typeof import('./modules/monitoring/monitoring.module');
  const operatorConsole: Type[] = config.admin
    ? [
        (require('./modules/admin/admin.module') as typeof import('./modules/admin/admin.module'))
          .AdminModule,
      ]
    : [];
  return [
    SolutionModule,
    BlockModule,
    PayoutModule,
    AuditModule,
    MonitoringModule,
    ...operatorConsole,
  ];
}

/** Backends also report the node on /health. */
function backendHealth(): ExtraIndicators {
  const { BiblepayNodeModule } =
    require('./biblepay/biblepay-node.module') as typeof import('./biblepay/biblepay-node.module');
  const { BlockModule } =
    require('./modules/block/block.module') as typeof import('./modules/block/block.module');
  const { NodeHealthIndicators } =
    require('./modules/health/node-health.indicators') as typeof import('./modules/health/node-health.indicators');
  return { imports: [BiblepayNodeModule, BlockModule], provider: NodeHealthIndicators };
}
/* eslint-enable @typescript-eslint/no-require-imports */

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
        ...frontendFeatures(),
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
        HealthModule.forRole(backendHealth()),
        MetricsModule,
        ...backendFeatures(config),
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
        HealthModule.forRole(backendHealth()),
        MetricsModule,
        ...frontendFeatures(),
        ...backendFeatures(config),
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
