import {
  Controller,
  Get,
  Header,
  NotFoundException,
  Param,
  Query,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Network } from '../../../biblepay/network';
import { AppConfig } from '../../../config/app-config';
import { MinerStatsService } from '../miner-stats.service';
import { PoolStatsService } from '../pool-stats.service';
import { MinerRecord } from '../web-read-model';
import { ApiExceptionFilter } from './api-exception.filter';
import { apiValidationPipe, ServedNetworkGuard } from './api-validation';
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
import { BlocksQueryDto, MinerPathDto, PageQueryDto, SharesQueryDto } from './params.dto';

const NETWORK_PARAM = { name: 'network', enum: ['main', 'test'] };

/**
 * The documented REST API (`/api/v1`, OpenAPI at /api/docs). Read-only, cached briefly.
 * Parameters are DTOs (params.dto.ts): the ValidationPipe checks them, Swagger documents them.
 * Nest starts the pipes of a handler's last parameter first, so the path DTO comes last: a bad
 * address is reported before a bad page, as the API always did (pool-api.controller.spec.ts).
 */
@ApiTags('v1')
@UseFilters(ApiExceptionFilter)
@UseGuards(ServedNetworkGuard)
@UsePipes(apiValidationPipe())
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
  async poolSummary(@Param('network') network: Network): Promise<PoolSummaryDto> {
    return toPoolSummaryDto(await this.pool.summary(network));
  }

  @Get('pools/:network/blocks')
  @Header('Cache-Control', 'public, max-age=30')
  @ApiOperation({ summary: 'Blocks, newest first, with the pool’s status of each' })
  @ApiParam(NETWORK_PARAM)
  @ApiOkResponse({ type: BlockPageDto })
  async blocks(
    @Param('network') network: Network,
    @Query() { page, pageSize, pool }: BlocksQueryDto,
  ): Promise<BlockPageDto> {
    const { total, blocks } = await this.pool.blocksPage(network, pool, page, pageSize);
    return { page, pageSize, total, items: blocks.map(toBlockDto) };
  }

  @Get('pools/:network/miners/:address')
  @Header('Cache-Control', 'public, max-age=30')
  @ApiOperation({ summary: 'A miner’s balance, payouts and activity' })
  @ApiOkResponse({ type: MinerSummaryDto })
  async miner(@Param() { network, address }: MinerPathDto): Promise<MinerSummaryDto> {
    const found = await this.miners.summary(network, address);
    if (found.kind !== 'found') throw unknownMiner(network);
    return toMinerSummaryDto(found.value);
  }

  @Get('pools/:network/miners/:address/workers')
  @Header('Cache-Control', 'public, max-age=30')
  @ApiOperation({ summary: 'The miner’s workers with an accepted share in the last 24 h' })
  @ApiOkResponse({ type: [WorkerDto] })
  async workers(@Param() { network, address }: MinerPathDto): Promise<WorkerDto[]> {
    const found = await this.miners.summary(network, address);
    if (found.kind !== 'found') throw unknownMiner(network);
    return found.value.workers.map(toWorkerDto);
  }

  @Get('pools/:network/miners/:address/payments')
  @Header('Cache-Control', 'public, max-age=30')
  @ApiOperation({ summary: 'The miner’s payouts, newest first' })
  @ApiOkResponse({ type: PaymentPageDto })
  async payments(
    @Query() { page, pageSize }: PageQueryDto,
    @Param() { network, address }: MinerPathDto,
  ): Promise<PaymentPageDto> {
    const miner = await this.knownMiner(network, address);
    const { total, payments } = await this.miners.payments(miner, page, pageSize);
    return { page, pageSize, total, items: payments.map(toPaymentDto) };
  }

  @Get('pools/:network/miners/:address/shares')
  @Header('Cache-Control', 'public, max-age=30')
  @ApiOperation({ summary: 'The miner’s accepted and rejected shares per UTC hour' })
  @ApiOkResponse({ type: [HourSharesDto] })
  async shares(
    @Query() { hours }: SharesQueryDto,
    @Param() { network, address }: MinerPathDto,
  ): Promise<HourSharesDto[]> {
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
