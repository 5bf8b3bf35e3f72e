import { Module } from '@nestjs/common';
import { NodeClients } from './node-clients';

/** The BiblePay node clients (backend roles only). */
@Module({ providers: [NodeClients], exports: [NodeClients] })
export class BiblepayNodeModule {}
