import { Module } from '@nestjs/common';
import { MessagingModule } from '../../messaging/messaging.module';
import { ActionController } from './action.controller';
import { GetworkService } from './getwork.service';
import { MinerRegistryService } from './miner-registry.service';
import { MinerStoreModule } from './miner-store.module';
import { SolutionIntakeService } from './solution-intake.service';
import { SolutionPublisher } from './solution.publisher';
import { SourceGateService } from './source-gate.service';
import { WorkWriterService } from './work-writer.service';

/** Frontend: the wallet's getwork API. Knows nothing of the backend or the node. */
@Module({
  imports: [MessagingModule, MinerStoreModule],
  controllers: [ActionController],
  providers: [
    GetworkService,
    SolutionIntakeService,
    SolutionPublisher,
    MinerRegistryService,
    WorkWriterService,
    SourceGateService,
  ],
})
export class MiningModule {}
