import { DynamicModule, Module, Provider, Type } from '@nestjs/common';
import { HealthIndicatorFunction, TerminusModule } from '@nestjs/terminus';
import { MessagingModule } from '../../messaging/messaging.module';
import { HealthController } from './health.controller';
import { HealthGauge } from './health-gauge';
import { HEALTH_INDICATORS } from './health.tokens';
import { InfrastructureIndicators } from './infrastructure.indicators';

export interface ExtraIndicators {
  /** Modules the provider needs (e.g. the node clients for the backend's node indicator). */
  imports: Type[];
  provider: Type<{ indicators(): HealthIndicatorFunction[] }>;
}

/** `/health` for any role: DB and broker always; a role adds its own (the backend: the node). */
@Module({})
export class HealthModule {
  static forRole(extra?: ExtraIndicators): DynamicModule {
    const injectExtra = extra ? [extra.provider] : [];
    const indicators: Provider = {
      provide: HEALTH_INDICATORS,
      inject: [InfrastructureIndicators, ...injectExtra],
      useFactory: (
        infra: InfrastructureIndicators,
        more?: { indicators(): HealthIndicatorFunction[] },
      ) => [() => infra.database(), () => infra.brokerStatus(), ...(more?.indicators() ?? [])],
    };
    return {
      module: HealthModule,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        MessagingModule,
        ...(extra?.imports ?? []),
      ],
      controllers: [HealthController],
      providers: [InfrastructureIndicators, indicators, HealthGauge, ...injectExtra],
    };
  }
}
