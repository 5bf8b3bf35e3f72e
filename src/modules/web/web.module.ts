import { CACHE_MANAGER, CacheManagerOptions, CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { AppConfig } from '../../config/app-config';
import { CompatApiController } from './api/compat-api.controller';
import { PoolApiController } from './api/pool-api.controller';
import { AssetsController } from './assets/assets.controller';
import { createWebCacheStore } from './cache/web-cache-store';
import { MinerStatsService } from './miner-stats.service';
import { PageExceptionFilter } from './page-exception.filter';
import { PagesController } from './pages.controller';
import { PoolStatsService } from './pool-stats.service';
import { ReadCache } from './read-cache';
import { WebReadModel } from './web-read-model';

/**
 * Frontend: the pages and the JSON API for miners and visitors. Reads the shared schema (SELECT
 * only) through WebReadModel, every read cached for WEB_CACHE_SECONDS in cache-manager (memory,
 * or the Redis of CACHE_URL shared by every frontend).
 */
@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [AppConfig],
      // One keyv, declared twice: as CommonJS for us and as an ES module for @nestjs/cache-manager.
      useFactory: (config: AppConfig) =>
        ({ stores: [createWebCacheStore(config.cacheUrl)] }) as unknown as CacheManagerOptions,
    }),
  ],
  controllers: [AssetsController, CompatApiController, PoolApiController, PagesController],
  providers: [
    WebReadModel,
    PoolStatsService,
    MinerStatsService,
    PageExceptionFilter,
    {
      provide: ReadCache,
      inject: [CACHE_MANAGER, AppConfig],
      useFactory: (cache: Cache, config: AppConfig) =>
        new ReadCache(cache, config.webCacheSeconds, { shared: config.cacheUrl !== null }),
    },
  ],
})
export class WebModule {}
