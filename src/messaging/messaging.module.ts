import { Module } from '@nestjs/common';
import { BrokerConnection } from './broker-connection';

@Module({ providers: [BrokerConnection], exports: [BrokerConnection] })
export class MessagingModule {}
