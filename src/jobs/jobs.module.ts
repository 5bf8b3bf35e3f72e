import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { JobSchedulerService } from './job-scheduler.service';

/** Job timers on @nestjs/schedule's registry, each run under its job's lease. */
@Module({
  imports: [ScheduleModule.forRoot()],
  providers: [JobSchedulerService],
  exports: [JobSchedulerService],
})
export class JobsModule {}
