import {
  Controller,
  Get,
  Header,
  NotFoundException,
  Param,
  Query,
  UseFilters,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { Network } from '../../../biblepay/network';
import { AppConfig } from '../../../config/app-config';
import { MinerStatsService } from '../miner-stats.service';
import { PoolStatsService } from '../pool-stats.service';
import { MinerRecord } from '../web.repository';
import { ApiExceptionFilter } from './api-exception.filter';
import {
  BlockPageDto,
  ErrorDto,
  HourSharesDto,
  MinerSummaryDto,
  PaymentPageDto,
  PoolSummaryDto,
  toBlockDto,
  toHourSharesDto,
  toMinerSummaryDto,
  toPaymentDto,
  toPoolSummaryDto,
  toWorkerDto,
  WorkerDto,
} from './dto';
import { addressParam, boolParam, intParam, networkParam } from './params';

const MAX_PAGE = 100_000;
const MAX_PAGE_SIZE = 100;
const NETWORK_PARAM = { name: 'network', enum: ['main', 'test'] };
const ADDRESS_PARAM = { name: 'address', description: 'The miner’s payout address' };
const PAGE_QUERY = {
  name: 'page',
  required: false,
  type: Number,
  description: '1-based, default 1',
};
const PAGE_SIZE_QUERY = {
  name: 'pageSize',
  required: false,
  type: Number,
  description: `1 to ${MAX_PAGE_SIZE}, default 20`,
};

/** The documented REST API (`/api/v1`, OpenAPI at /api/docs). Read-only, cached briefly. */
@ApiTags('v1')
@UseFilters(ApiExceptionFilter)
@ApiBadRequestResponse({ type: ErrorDto, description: 'A parameter is malformed.' })
@ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown network or miner.' })
@Controller('api/v1')
export class PoolApiController {
  constructor(
    private readonly pool: PoolStatsService,
    private readonly miners: MinerStatsService,
    private readonly config: AppConfig,
  ) {}

  @Get('pools')
  @Header('Cache-Control', 'public, max-age=30')
  @ApiOperation({ summary: 'Every network this pool serves, with its summary' })
  @ApiOkResponse({ type: [PoolSummaryDto] })
  async pools(): Promise<PoolSummaryDto[]> {
    const summaries = await Promise.all(this.config.networks.map((n) => this.pool.summary(n)));
    return summaries.map(toPoolSummaryDto);
  }

  @Get('pools/:network')
  @Header('Cache-Control', 'public, max-age=30')
  @ApiOperation({ summary: 'One network’s pool summary' })
  @ApiParam(NETWORK_PARAM)
  @ApiOkResponse({ type: PoolSummaryDto })
  async poolSummary(@Param('network') network: string): Promise<PoolSummaryDto> {
    return toPoolSummaryDto(await this.pool.summary(networkParam(this.config, network)));
  }

  @Get('pools/:network/blocks')
  @Header('Cache-Control', 'public, max-age=30')
  @ApiOperation({ summary: 'Blocks, newest first, with the pool’s status of each' })
  @ApiParam(NETWORK_PARAM)
  @ApiQuery(PAGE_QUERY)
  @ApiQuery(PAGE_SIZE_QUERY)
  @ApiQuery({
    name: 'pool',
    required: false,
    type: Boolean,
    description: 'true (default): only the pool’s blocks; false: every block stored',
  })
  @ApiOkResponse({ type: BlockPageDto })
  async blocks(
    @Param('network') networkText: string,
    @Query('page') pageText: unknown,
    @Query('pageSize') pageSizeText: unknown,
    @Query('pool') poolText: unknown,
  ): Promise<BlockPageDto> {
    const network = networkParam(this.config, networkText);
    const page = intParam(pageText, 'page', { min: 1, max: MAX_PAGE, fallback: 1 });
    const pageSize = intParam(pageSizeText, 'pageSize', {
      min: 1,
      max: MAX_PAGE_SIZE,
      fallback: 20,
    });
    const poolOnly = boolParam(poolText, 'pool', true);
    const { total, blocks } = await this.pool.blocksPage(network, poolOnly, page, pageSize);
    return { page, pageSize, total, items: blocks.map(toBlockDto) };
  }

  @Get('pools/:network/miners/:address')
  @Header('Cache-Control', 'public, max-age=30')
  @ApiOperation({ summary: 'A miner’s balance, payouts and activity' })
  @ApiParam(NETWORK_PARAM)
  @ApiParam(ADDRESS_PARAM)
  @ApiOkResponse({ type: MinerSummaryDto })
  async miner(
    @Param('network') networkText: string,
    @Param('address') addressText: string,
  ): Promise<MinerSummaryDto> {
    const network = networkParam(this.config, networkText);
    const found = await this.miners.summary(network, addressParam(network, addressText));
    if (found.kind !== 'found') throw unknownMiner(network);
    return toMinerSummaryDto(found.value);
  }

  @Get('pools/:network/miners/:address/workers')
  @Header('Cache-Control', 'public, max-age=30')
  @ApiOperation({ summary: 'The miner’s workers with an accepted share in the last 24 h' })
  @ApiParam(NETWORK_PARAM)
  @ApiParam(ADDRESS_PARAM)
  @ApiOkResponse({ type: [WorkerDto] })
  async workers(
    @Param('network') networkText: string,
    @Param('address') addressText: string,
  ): Promise<WorkerDto[]> {
    const network = networkParam(this.config, networkText);
    const found = await this.miners.summary(network, addressParam(network, addressText));
    if (found.kind !== 'found') throw unknownMiner(network);
    return found.value.workers.map(toWorkerDto);
  }

  @Get('pools/:network/miners/:address/payments')
  @Header('Cache-Control', 'public, max-age=30')
  @ApiOperation({ summary: 'The miner’s payouts, newest first' })
  @ApiParam(NETWORK_PARAM)
  @ApiParam(ADDRESS_PARAM)
  @ApiQuery(PAGE_QUERY)
  @ApiQuery(PAGE_SIZE_QUERY)
  @ApiOkResponse({ type: PaymentPageDto })
  async payments(
    @Param('network') networkText: string,
    @Param('address') addressText: string,
    @Query('page') pageText: unknown,
    @Query('pageSize') pageSizeText: unknown,
  ): Promise<PaymentPageDto> {
    const network = networkParam(this.config, networkText);
    const address = addressParam(network, addressText);
    const page = intParam(pageText, 'page', { min: 1, max: MAX_PAGE, fallback: 1 });
    const pageSize = intParam(pageSizeText, 'pageSize', {
      min: 1,
      max: MAX_PAGE_SIZE,
      fallback: 20,
    });
    const miner = await this.knownMiner(network, address);
    const { total, payments } = await this.miners.payments(miner, page, pageSize);
    return { page, pageSize, total, items: payments.map(toPaymentDto) };
  }

  @Get('pools/:network/miners/:address/shares')
  @Header('Cache-Control', 'public, max-age=30')
  @ApiOperation({ summary: 'The miner’s accepted and rejected shares per UTC hour' })
  @ApiParam(NETWORK_PARAM)
  @ApiParam(ADDRESS_PARAM)
  @ApiQuery({ name: 'hours', required: false, type: Number, description: '1 to 168, default 24' })
  @ApiOkResponse({ type: [HourSharesDto] })
  async shares(
    @Param('network') networkText: string,
    @Param('address') addressText: string,
    @Query('hours') hoursText: unknown,
  ): Promise<HourSharesDto[]> {
    const network = networkParam(this.config, networkText);
    const address = addressParam(network, addressText);
    const hours = intParam(hoursText, 'hours', { min: 1, max: 168, fallback: 24 });
    const miner = await this.knownMiner(network, address);
    return (await this.miners.sharesPerHour(miner, hours)).map(toHourSharesDto);
  }

  private async knownMiner(network: Network, address: string): Promise<MinerRecord> {
    const found = await this.miners.find(network, address);
    if (found.kind !== 'found') throw unknownMiner(network);
    return found.value;
  }
}

function unknownMiner(network: Network): NotFoundException {
  return new NotFoundException(`no miner with this address on ${network}`);
}
