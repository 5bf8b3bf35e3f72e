import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source';

/** The role's connection pool, as the role's own DB user (DATABASE_URL). */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.database, config.databasePoolSize),
        // The entities are the modules' own: each registers them with TypeOrmModule.forFeature.
        autoLoadEntities: true,
        retryAttempts: 1000,
        retryDelay: 2000,
      }),
    }),
  ],
})
export class DatabaseModule {}
