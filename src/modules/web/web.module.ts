import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { CompatApiController } from './api/compat-api.controller';
import { PoolApiController } from './api/pool-api.controller';
import { AssetsController } from './assets/assets.controller';
import { MinerStatsService } from './miner-stats.service';
import { PageExceptionFilter } from './page-exception.filter';
import { PagesController } from './pages.controller';
import { PoolStatsService } from './pool-stats.service';
import { ReadCache } from './read-cache';
import { WebRepository } from './web.repository';

/**
 * Frontend: the pages and the JSON API for miners and visitors. Reads the shared schema (SELECT
 * only) through WebRepository, every read cached for WEB_CACHE_SECONDS.
 */
@Module({
  controllers: [AssetsController, CompatApiController, PoolApiController, PagesController],
  providers: [
    WebRepository,
    PoolStatsService,
    MinerStatsService,
    PageExceptionFilter,
    {
      provide: ReadCache,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new ReadCache(config.webCacheSeconds),
    },
  ],
})
export class WebModule {}
