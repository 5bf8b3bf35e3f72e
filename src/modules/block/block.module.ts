import { Module } from '@nestjs/common';

/** Backend: chain walk, rounds, maturity, shareout, rating (issue "The money path"). Owns `block`. */
@Module({})
export class BlockModule {}
