import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { BrokerConnection } from '../../messaging/broker-connection';

const TIMEOUT_MS = 3000;

@Injectable()
export class InfrastructureIndicators {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @InjectDataSource() private readonly db: DataSource,
    private readonly broker: BrokerConnection,
  ) {}

  database(): PromiseLike<HealthIndicatorResult<'database'>> {
    return this.indicator
      .check('database')
      .attempt(async () => {
        await this.db.query('SELECT 1');
      })
      .withTimeout(TIMEOUT_MS);
  }

  async brokerStatus(): Promise<HealthIndicatorResult<'broker'>> {
    const session = this.indicator.check('broker');
    return this.broker.isConnected() ? session.up() : session.down('not connected to RabbitMQ');
  }
}
