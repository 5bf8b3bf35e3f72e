import { Module } from '@nestjs/common';

/**
 * Backend: the solution queue consumer and validation pipeline (issue "Backend solution pipeline").
 * Owns the solution and rejected_solution tables (entities/).
 */
@Module({})
export class SolutionModule {}
