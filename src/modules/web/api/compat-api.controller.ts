import { Controller, Get, Header, Param, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { baseToCoinsNumber } from '../../../biblepay/amount';
import { AppConfig } from '../../../config/app-config';
import { PoolStatsService } from '../pool-stats.service';
import { ApiExceptionFilter } from './api-exception.filter';
import { CompatStatisticsDto, CompatSubsidySumDto, ErrorDto } from './dto';
import { intParam, networkParam } from './params';

/**
 * The original Django pool's JSON endpoints, same paths and field names, for the tools that
 * still read them (masternode revenue calculators read `block_subsidysum`). Amounts are coins as
 * JSON numbers like the original; they are written with exactly the amount's digits.
 */
@ApiTags('compatibility (original pool)')
@UseFilters(ApiExceptionFilter)
@Controller(':network/api')
export class CompatApiController {
  constructor(
    private readonly stats: PoolStatsService,
    private readonly config: AppConfig,
  ) {}

  @Get('statistics')
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({ summary: 'Pool statistics of the last day (original field names)' })
  @ApiParam({ name: 'network', enum: ['main', 'test'] })
  @ApiOkResponse({ type: CompatStatisticsDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Network not served here.' })
  async statistics(@Param('network') networkText: string): Promise<CompatStatisticsDto> {
    const network = networkParam(this.config, networkText);
    const s = await this.stats.summary(network);
    return {
      network,
      days: 1,
      current_height: s.currentHeight ?? 0,
      all_blocks: s.last24h.allBlocks,
      pool_blocks: s.last24h.poolBlocks,
      pool_blocks_percent: s.last24h.poolBlocksPercent,
      bbp_mined: s.last24h.poolBlocks === 0 ? null : baseToCoinsNumber(s.last24h.coinsMined),
      miners_count: s.activeMiners,
    };
  }

  @Get('block_subsidysum/:days')
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({
    summary: 'Σ subsidy and count of all blocks (any finder) by chain time in the last `days`',
  })
  @ApiParam({ name: 'network', enum: ['main', 'test'] })
  @ApiParam({ name: 'days', type: Number, description: '1 to 3650' })
  @ApiOkResponse({ type: CompatSubsidySumDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async subsidySum(
    @Param('network') networkText: string,
    @Param('days') daysText: string,
  ): Promise<CompatSubsidySumDto> {
    const network = networkParam(this.config, networkText);
    const days = intParam(daysText, 'days', { min: 1, max: 3650 });
    const { sum, count } = await this.stats.subsidySum(network, days);
    return { sum: sum === null ? null : baseToCoinsNumber(sum), count };
  }
}
