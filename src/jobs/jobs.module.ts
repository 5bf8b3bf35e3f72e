import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { JobSchedulerService } from './job-scheduler.service';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JOBS_ENTITIES } from './job-lease.entity';

/** Job timers on @nestjs/schedule's registry, each run under its job's lease. */
@Module({
  imports: [TypeOrmModule.forFeature(JOBS_ENTITIES), ScheduleModule.forRoot()],
  providers: [JobSchedulerService],
  exports: [JobSchedulerService],
})
export class JobsModule {}
