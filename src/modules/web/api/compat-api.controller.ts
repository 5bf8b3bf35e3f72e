import { Controller, Get, Header, Param, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { baseToCoinsNumber } from '../../../biblepay/amount';
import { Network } from '../../../biblepay/network';
import { PoolStatsService } from '../pool-stats.service';
import { ApiExceptionFilter } from './api-exception.filter';
import { apiValidationPipe, ServedNetworkGuard } from './api-validation';
import { CompatStatisticsDto, CompatSubsidySumDto, ErrorDto } from './dto';
import { SubsidySumPathDto } from './params.dto';

/**
 * The original Django pool's JSON endpoints, same paths and field names, for the tools that
 * still read them (masternode revenue calculators read `block_subsidysum`). Amounts are coins as
 * JSON numbers like the original; they are written with exactly the amount's digits.
 */
@ApiTags('compatibility (original pool)')
@UseFilters(ApiExceptionFilter)
@UseGuards(ServedNetworkGuard)
@UsePipes(apiValidationPipe())
@Controller(':network/api')
export class CompatApiController {
  constructor(private readonly stats: PoolStatsService) {}

  @Get('statistics')
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({ summary: 'Pool statistics of the last day (original field names)' })
  @ApiParam({ name: 'network', enum: ['main', 'test'] })
  @ApiOkResponse({ type: CompatStatisticsDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Network not served here.' })
  async statistics(@Param('network') network: Network): Promise<CompatStatisticsDto> {
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
  @ApiOkResponse({ type: CompatSubsidySumDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async subsidySum(@Param() { network, days }: SubsidySumPathDto): Promise<CompatSubsidySumDto> {
    const { sum, count } = await this.stats.subsidySum(network, days);
    return { sum: sum === null ? null : baseToCoinsNumber(sum), count };
  }
}
