import { Module } from '@nestjs/common';

/** Frontend: pages and JSON API for miners and visitors (issue "Web pages, JSON API, metrics"). */
@Module({})
export class WebModule {}
