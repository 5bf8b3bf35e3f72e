import { Module } from '@nestjs/common';
import { MessagingModule } from '../../messaging/messaging.module';
import { ActionController } from './action.controller';
import { GetworkService } from './getwork.service';
import { MinerRegistry } from './miner-registry.service';
import { MinerStoreModule } from './miner-store.module';
import { SolutionIntakeService } from './solution-intake.service';
import { SolutionPublisher } from './solution.publisher';
import { WorkWriter } from './work-writer.service';

/** Frontend: the wallet's getwork API. Knows nothing of the backend or the node. */
@Module({
  imports: [MessagingModule, MinerStoreModule],
  controllers: [ActionController],
  providers: [GetworkService, SolutionIntakeService, SolutionPublisher, MinerRegistry, WorkWriter],
})
export class MiningModule {}
