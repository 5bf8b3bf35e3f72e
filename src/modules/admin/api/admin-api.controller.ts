import {
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  UseFilters,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../../../config/app-config';
import { ApiExceptionFilter } from '../../web/api/api-exception.filter';
import { AdminActionRepository } from '../admin-action.repository';
import { adjustmentAmount, minerRef, requiredNetwork, requiredReason } from '../admin-input';
import { AdminReadModel } from '../admin-read-model';
import { AdminReportsService } from '../admin-reports.service';
import { actionContext } from '../admin-request';
import { DeadLettersService } from '../dead-letters.service';
import { MinerAdminService } from '../miner-admin.service';
import type { AdminActionKind } from '../entities/admin-action.entity';
import { PayoutService } from '../../payout/payout.service';
import { RecordAction, WalletClaimsService } from '../../payout/wallet-claims.service';
import { auditJson, fundingJson, payoutPlanJson, shareoutPlanJson, toJson } from './admin-json';

const NETWORK = { name: 'network', enum: ['main', 'test'] };
const ADDRESS = { name: 'address', description: 'The miner’s payout address' };
const REASON_BODY = {
  schema: {
    type: 'object',
    required: ['reason'],
    properties: { reason: { type: 'string', maxLength: 255 } },
  },
};
const NETWORK_BODY = {
  schema: { type: 'object', required: ['network'], properties: { network: NETWORK } },
};

function intQuery(value: unknown, fallback: number, min: number, max: number): number {
  const n = typeof value === 'string' && /^\d{1,7}$/.test(value) ? Number(value) : fallback;
  return Math.max(min, Math.min(max, n));
}

/** The pool block(s) at a height with their splits, or 404. */
export async function poolBlockAt(
  read: AdminReadModel,
  config: AppConfig,
  network: string,
  height: string,
): Promise<Awaited<ReturnType<AdminReadModel['poolBlockDetail']>>> {
  const net = requiredNetwork(config, network);
  const blocks = /^\d{1,10}$/.test(height) ? await read.poolBlockDetail(net, Number(height)) : [];
  if (blocks.length === 0) throw new NotFoundException(`no pool block at ${net} ${height}`);
  return blocks;
}

/** The console's money actions: each on one payment or wallet send, with a reason, in the trail. */
type MoneyActionKind = Extract<
  AdminActionKind,
  'payment.release' | 'payment.recredit' | 'wallet-send.attach' | 'wallet-send.dismiss'
>;

function field(body: unknown, name: string): unknown {
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
}

/**
 * The console's JSON API (`/admin/api`, its own OpenAPI document at /admin/api/docs). Every route
 * is behind the admin gate (bearer token); changes take effect at once and are written to the
 * audit trail with the token's label. Amounts are coins as exact decimal strings.
 */
@ApiTags('admin')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid admin token: `{statusCode, error, message}`' })
@UseFilters(ApiExceptionFilter)
@Controller('admin/api')
export class AdminApiController {
  constructor(
    private readonly config: AppConfig,
    private readonly read: AdminReadModel,
    private readonly miners: MinerAdminService,
    private readonly trail: AdminActionRepository,
    private readonly reports: AdminReportsService,
    private readonly deadLetters: DeadLettersService,
    private readonly payouts: PayoutService,
    private readonly walletClaims: WalletClaimsService,
  ) {}

  /** Writes the trail entry of a money action in that action's own transaction. */
  private recorder(
    request: FastifyRequest,
    action: AdminActionKind,
    network: string,
    target: string,
    reason: string,
  ): RecordAction {
    const who = actionContext(request);
    return (manager, before, after) =>
      this.trail.record({ ...who, action, network, target, reason, before, after }, manager);
  }

  @Post('payments/:network/:batchId/release')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Release a payment the wallet does not show: marked failed, its hold given back (only while the wallet still lists no such send; 409 when it does)',
  })
  @ApiParam(NETWORK)
  @ApiParam({ name: 'batchId', description: 'the payment’s batch id (its wallet comment)' })
  @ApiBody(REASON_BODY)
  async releasePayment(
    @Param('network') network: string,
    @Param('batchId') batchId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<unknown> {
    return this.moneyAction('payment.release', network, batchId, body, request);
  }

  @Post('payments/:network/:batchId/recredit')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Re-credit a sent payment the wallet reports conflicted or abandoned: marked failed, its holds given back to the miners, once (409 when the wallet no longer says so)',
  })
  @ApiParam(NETWORK)
  @ApiParam({ name: 'batchId', description: 'the payment’s batch id (its wallet comment)' })
  @ApiBody(REASON_BODY)
  async recreditPayment(
    @Param('network') network: string,
    @Param('batchId') batchId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<unknown> {
    return this.moneyAction('payment.recredit', network, batchId, body, request);
  }

  @Post('wallet-sends/:network/:txid/attach')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Attach a wallet send no payment claims to the ledger: a sent payment, each recipient debited what left the wallet for it',
  })
  @ApiParam(NETWORK)
  @ApiParam({ name: 'txid', description: 'the wallet transaction' })
  @ApiBody(REASON_BODY)
  async attachSend(
    @Param('network') network: string,
    @Param('txid') txid: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<unknown> {
    return this.moneyAction('wallet-send.attach', network, txid, body, request);
  }

  @Post('wallet-sends/:network/:txid/dismiss')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Dismiss a wallet send no payment claims as not the pool’s payout (payouts resume)',
  })
  @ApiParam(NETWORK)
  @ApiParam({ name: 'txid', description: 'the wallet transaction' })
  @ApiBody(REASON_BODY)
  async dismissSend(
    @Param('network') network: string,
    @Param('txid') txid: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<unknown> {
    return this.moneyAction('wallet-send.dismiss', network, txid, body, request);
  }

  /**
   * A money action on one target (a payment's batch id, a wallet send's txid): the network and a
   * reason are required, the action writes its trail entry in its own transaction, and its answer
   * goes back as JSON.
   */
  private async moneyAction(
    action: MoneyActionKind,
    network: string,
    target: string,
    body: unknown,
    request: FastifyRequest,
  ): Promise<unknown> {
    const net = requiredNetwork(this.config, network);
    const reason = requiredReason(field(body, 'reason'));
    const record = this.recorder(request, action, net, target, reason);
    switch (action) {
      case 'payment.release':
        return toJson(await this.payouts.release(net, target, reason, record));
      case 'payment.recredit':
        return toJson(await this.payouts.recredit(net, target, reason, record));
      case 'wallet-send.attach':
        return toJson(await this.walletClaims.attach(net, target, record));
      case 'wallet-send.dismiss':
        return toJson(await this.walletClaims.dismiss(net, target, record));
    }
  }

  @Get('miners')
  @ApiOperation({ summary: 'Search miners by address, GUID, worker name or email' })
  @ApiQuery({ name: 'q', description: 'text to look for', required: true })
  async searchMiners(@Query('q') q: unknown): Promise<unknown> {
    const text = typeof q === 'string' ? q.trim().slice(0, 100) : '';
    if (text === '') return { miners: [] };
    return toJson({ miners: await this.read.searchMiners(text) });
  }

  @Get('miners/:network/:address')
  @ApiOperation({
    summary:
      'A miner’s whole story: account, workers, shares, rejections, ledger, payments, actions',
  })
  @ApiParam(NETWORK)
  @ApiParam(ADDRESS)
  async miner(
    @Param('network') network: string,
    @Param('address') address: string,
  ): Promise<unknown> {
    const ref = minerRef(this.config, network, address);
    const story = await this.read.minerStory(ref);
    if (!story) throw new NotFoundException(`no miner ${address} on ${network}`);
    const actions = await this.trail.list({ limit: 50, network, target: address });
    return toJson({ ...story, actions });
  }

  @Post('miners/:network/:address/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Switch a miner off: the frontends refuse its getwork' })
  @ApiParam(NETWORK)
  @ApiParam(ADDRESS)
  @ApiBody(REASON_BODY)
  @ApiOkResponse({ description: '`{network, address, disabled, changed, actionId}`' })
  disable(
    @Param('network') network: string,
    @Param('address') address: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<unknown> {
    return this.switchMiner(network, address, true, body, request);
  }

  @Post('miners/:network/:address/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Switch a miner on again' })
  @ApiParam(NETWORK)
  @ApiParam(ADDRESS)
  @ApiBody(REASON_BODY)
  enable(
    @Param('network') network: string,
    @Param('address') address: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<unknown> {
    return this.switchMiner(network, address, false, body, request);
  }

  private async switchMiner(
    network: string,
    address: string,
    disabled: boolean,
    body: unknown,
    request: FastifyRequest,
  ): Promise<unknown> {
    const ref = minerRef(this.config, network, address);
    const reason = requiredReason(field(body, 'reason'));
    return toJson(await this.miners.setDisabled(ref, disabled, reason, actionContext(request)));
  }

  @Post('miners/:network/:address/adjustments')
  @ApiOperation({
    summary:
      'Adjust a miner’s balance by an exact amount (its own ledger category; never below zero)',
  })
  @ApiParam(NETWORK)
  @ApiParam(ADDRESS)
  @ApiBody({
    schema: {
      type: 'object',
      required: ['amount', 'reason'],
      properties: {
        amount: { type: 'string', example: '-1.5', description: 'coins, at most 8 decimals' },
        reason: { type: 'string', maxLength: 255 },
      },
    },
  })
  async adjust(
    @Param('network') network: string,
    @Param('address') address: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<unknown> {
    const ref = minerRef(this.config, network, address);
    const amount = adjustmentAmount(field(body, 'amount'));
    const reason = requiredReason(field(body, 'reason'));
    return toJson(await this.miners.adjust(ref, amount, reason, actionContext(request)));
  }

  @Get('actions')
  @ApiOperation({ summary: 'The audit trail of console actions, newest first' })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'offset', required: false, type: Number })
  async actions(
    @Query('limit') limit: unknown,
    @Query('offset') offset: unknown,
  ): Promise<unknown> {
    return toJson({
      actions: await this.trail.list({
        limit: intQuery(limit, 100, 1, 1000),
        offset: intQuery(offset, 0, 0, 1_000_000),
      }),
    });
  }

  @Get('blocks')
  @ApiOperation({ summary: 'The pool’s blocks with their status, round size and credits' })
  @ApiQuery({ ...NETWORK, required: true })
  async blocks(@Query('network') network: unknown): Promise<unknown> {
    return toJson({ blocks: await this.read.poolBlocks(requiredNetwork(this.config, network)) });
  }

  @Get('blocks/:network/:height')
  @ApiOperation({ summary: 'A pool block with its round and split per miner' })
  @ApiParam(NETWORK)
  async block(
    @Param('network') network: string,
    @Param('height') height: string,
  ): Promise<unknown> {
    return toJson({ blocks: await poolBlockAt(this.read, this.config, network, height) });
  }

  @Get('payments')
  @ApiOperation({ summary: 'Payments with their wallet status, newest first' })
  @ApiQuery({ ...NETWORK, required: true })
  async payments(@Query('network') network: unknown): Promise<unknown> {
    const net = requiredNetwork(this.config, network);
    return toJson({ payments: await this.read.recentPayments(net) });
  }

  @Get('problems')
  @ApiOperation({
    summary:
      'Open problems: unproven payments, conflicted or abandoned sends, unclaimed wallet sends, recipients set aside, negative balances, dead letters',
  })
  async problems(): Promise<unknown> {
    const networks = await Promise.all(
      this.config.networks.map(async (network) => ({
        network,
        ...(await this.read.openProblems(network)),
      })),
    );
    const deadLetters = await this.deadLetters.count().catch((e: Error) => ({ error: e.message }));
    return toJson({ networks, deadLetters });
  }

  @Get('dead-letters')
  @ApiOperation({ summary: 'Dead-lettered solution messages (up to 100)' })
  async listDeadLetters(): Promise<unknown> {
    return toJson(await this.deadLetters.list());
  }

  @Post('dead-letters/:key/requeue')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put a dead-lettered message back on the solution queue' })
  async requeue(
    @Param('key') key: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<unknown> {
    return this.actOnDeadLetter('requeue', key, body, request);
  }

  @Post('dead-letters/:key/discard')
  @HttpCode(200)
  @ApiOperation({ summary: 'Drop a dead-lettered message for good' })
  async discard(
    @Param('key') key: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<unknown> {
    return this.actOnDeadLetter('discard', key, body, request);
  }

  async actOnDeadLetter(
    what: 'requeue' | 'discard',
    key: string,
    body: unknown,
    request: FastifyRequest,
  ): Promise<unknown> {
    const who = actionContext(request);
    const reason = field(body, 'reason');
    const text = typeof reason === 'string' && reason.trim() ? reason.trim() : null;
    return toJson(await this.deadLetters.resolve(what, key, text, who));
  }

  @Post('reports/audit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run the audit (as `npm run cli -- audit`)' })
  @ApiBody(NETWORK_BODY)
  async audit(@Body() body: unknown, @Req() request: FastifyRequest): Promise<unknown> {
    const network = requiredNetwork(this.config, field(body, 'network'));
    return auditJson(await this.reports.audit(network, actionContext(request)));
  }

  @Post('reports/funding')
  @HttpCode(200)
  @ApiOperation({ summary: 'Required vs available coins (as `npm run cli -- funding`)' })
  @ApiBody(NETWORK_BODY)
  async funding(@Body() body: unknown, @Req() request: FastifyRequest): Promise<unknown> {
    const network = requiredNetwork(this.config, field(body, 'network'));
    return fundingJson(await this.reports.funding(network, actionContext(request)));
  }

  @Post('dry-runs/shareout')
  @HttpCode(200)
  @ApiOperation({ summary: 'What the next shareout would credit; nothing is written' })
  @ApiBody(NETWORK_BODY)
  async shareoutPlan(@Body() body: unknown, @Req() request: FastifyRequest): Promise<unknown> {
    const network = requiredNetwork(this.config, field(body, 'network'));
    return shareoutPlanJson(await this.reports.shareoutPlan(network, actionContext(request)));
  }

  @Post('dry-runs/payouts')
  @HttpCode(200)
  @ApiOperation({ summary: 'Who the next payout would pay; nothing is sent' })
  @ApiBody(NETWORK_BODY)
  async payoutPlan(@Body() body: unknown, @Req() request: FastifyRequest): Promise<unknown> {
    const network = requiredNetwork(this.config, field(body, 'network'));
    return payoutPlanJson(await this.reports.payoutPlan(network, actionContext(request)));
  }
}
