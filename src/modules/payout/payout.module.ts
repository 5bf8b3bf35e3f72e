import { Module } from '@nestjs/common';

/** Backend: ledger, balances, payments and their reconciliation (issue "The money path"). */
@Module({})
export class PayoutModule {}
