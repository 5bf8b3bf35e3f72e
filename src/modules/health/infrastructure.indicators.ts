import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { sessionCipher } from '../../database/database-link';
import { BrokerConnection } from '../../messaging/broker-connection';

const TIMEOUT_MS = 3000;

@Injectable()
export class InfrastructureIndicators {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @InjectDataSource() private readonly db: DataSource,
    private readonly broker: BrokerConnection,
  ) {}

  /** Up when a query answers; `encrypted` as the server sees the session (its TLS cipher). */
  database(): PromiseLike<HealthIndicatorResult<'database'>> {
    return this.indicator
      .check('database')
      .attempt(async () => {
        const cipher = await sessionCipher((sql) => this.db.query(sql));
        return cipher ? { encrypted: true, cipher } : { encrypted: false };
      })
      .withTimeout(TIMEOUT_MS);
  }

  async brokerStatus(): Promise<HealthIndicatorResult<'broker'>> {
    const session = this.indicator.check('broker');
    const encrypted = this.broker.isEncrypted();
    return this.broker.isConnected()
      ? session.up({ encrypted })
      : session.down({ message: 'not connected to RabbitMQ', encrypted });
  }
}
