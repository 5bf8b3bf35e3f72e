import { Module } from '@nestjs/common';
import { SolutionRepository } from './solution.repository';

/**
 * The solution tables' repository alone, for modules that read or assign shares (the block module,
 * the CLI) without running the queue consumer.
 */
@Module({ providers: [SolutionRepository], exports: [SolutionRepository] })
export class SolutionStoreModule {}
