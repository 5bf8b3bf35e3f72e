import {
  BadRequestException,
  Controller,
  Get,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { baseToCoins } from '../../../biblepay/amount';
import { Network } from '../../../biblepay/network';
import { AppConfig } from '../../../config/app-config';
import { AuditService } from '../../audit/audit.service';
import { formatCoins } from '../../web/format';
import { AdminActionRepository } from '../admin-action.repository';
import { adjustmentAmount, minerRef, requiredNetwork, requiredReason } from '../admin-input';
import { AdminReadModel } from '../admin-read-model';
import { AdminReportsService } from '../admin-reports.service';
import { actionContext } from '../admin-request';
import { poolBlockAt } from '../api/admin-api.controller';
import { adminGateFor, formField, SESSION_COOKIE, sendConsolePage } from '../auth/admin-gate';
import { DeadLettersService } from '../dead-letters.service';
import { MinerAdminService } from '../miner-admin.service';
import { PayoutService } from '../../payout/payout.service';
import type { AdminFrame } from '../views/admin-layout';
import {
  actionsPage,
  blockPage,
  blocksPage,
  confirmPage,
  minerStoryPage,
  NetworkProblems,
  overviewPage,
  paymentsPage,
  problemsPage,
  ReportResult,
  reportsPage,
  searchPage,
} from '../views/admin-pages';
import { loginPage } from '../views/login-page';
import { AdminPageExceptionFilter, AlreadyDoneException } from './admin-page-exception.filter';

const minerPath = (network: string, address: string): string =>
  `/admin/miners/${encodeURIComponent(network)}/${encodeURIComponent(address)}`;

/**
 * The console's pages (server-rendered, no scripts). Reads are plain GETs; every change is a form
 * POST that first answers with a confirmation page (what changes, now → after) and acts only when
 * sent again with confirm=yes. Read-only runs (dry runs, reports) run on one click. All of it is
 * behind the admin gate (session cookie + form token), and every action lands in the trail.
 */
@ApiExcludeController()
@UseFilters(AdminPageExceptionFilter)
@Controller('admin')
export class AdminPagesController {
  constructor(
    private readonly config: AppConfig,
    private readonly read: AdminReadModel,
    private readonly miners: MinerAdminService,
    private readonly trail: AdminActionRepository,
    private readonly reports: AdminReportsService,
    private readonly deadLetters: DeadLettersService,
    private readonly audits: AuditService,
    private readonly payouts: PayoutService,
  ) {}

  @Get('login')
  async login(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (await this.gate().sessionOf(request)) return void reply.redirect('/admin', 303);
    sendConsolePage(reply, 200, loginPage());
  }

  /** Exchanges the token for a session cookie (HttpOnly, SameSite=Strict, path /admin). */
  @Post('login')
  signIn(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const gate = this.gate();
    if (!gate.mayTry(request)) {
      return sendConsolePage(
        reply.header('Retry-After', '60'),
        429,
        loginPage('Too many failed sign-ins from this address; wait a minute.'),
      );
    }
    const label = gate.credentials.labelOf(formField(request.body, 'token') ?? '');
    if (!label) {
      gate.failed(request);
      return sendConsolePage(reply, 401, loginPage('That token is not valid.'));
    }
    const session = gate.credentials.openSession(label);
    const secure = request.protocol === 'https' ? '; Secure' : '';
    void reply
      .header(
        'Set-Cookie',
        `${SESSION_COOKIE}=${session.value}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${session.maxAgeSeconds}${secure}`,
      )
      .redirect('/admin', 303);
  }

  /** Ends the session on the server too: a copy of the cookie is refused from now on. */
  @Post('logout')
  async signOut(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = await this.gate().sessionOf(request);
    if (session) await this.gate().signOut(session);
    void reply
      .header('Set-Cookie', `${SESSION_COOKIE}=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0`)
      .redirect('/admin/login', 303);
  }

  @Get()
  async overview(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const networks = await Promise.all(
      this.config.networks.map(async (network) => ({
        network,
        problems: await this.read.openProblems(network),
      })),
    );
    const deadLetters = await this.deadLetters.count().catch(() => null);
    sendConsolePage(
      reply,
      200,
      overviewPage(this.frame(request, 'Overview'), networks, deadLetters),
    );
  }

  @Get('search')
  async search(
    @Query('q') q: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const text = typeof q === 'string' ? q.trim().slice(0, 100) : '';
    if (text === '') return void reply.redirect('/admin', 303);
    const [miners, blocks, payments] = await Promise.all([
      this.read.searchMiners(text),
      this.read.searchBlocks(text),
      this.read.searchPayments(text),
    ]);
    if (miners.length === 1 && blocks.length === 0 && payments.length === 0) {
      return void reply.redirect(minerPath(miners[0].network, miners[0].address), 303);
    }
    sendConsolePage(
      reply,
      200,
      searchPage(this.frame(request, 'Search'), text, { miners, blocks, payments }),
    );
  }

  @Get('miners/:network/:address')
  async miner(
    @Param('network') network: string,
    @Param('address') address: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const ref = minerRef(this.config, network, address);
    const story = await this.read.minerStory(ref);
    if (!story) throw new NotFoundException(`There is no miner ${address} on ${network}.`);
    const actions = await this.trail.list({ limit: 50, network, target: address });
    sendConsolePage(
      reply,
      200,
      minerStoryPage(this.frame(request, `Miner ${address}`), story, actions),
    );
  }

  @Post('miners/:network/:address/disable')
  disable(
    @Param('network') network: string,
    @Param('address') address: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.switchMiner(network, address, true, request, reply);
  }

  @Post('miners/:network/:address/enable')
  enable(
    @Param('network') network: string,
    @Param('address') address: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.switchMiner(network, address, false, request, reply);
  }

  private async switchMiner(
    network: string,
    address: string,
    disabled: boolean,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    const ref = minerRef(this.config, network, address);
    const reason = requiredReason(formField(request.body, 'reason'));
    const path = minerPath(network, address);
    if (!confirmed(request)) {
      const verb = disabled ? 'Disable' : 'Enable';
      return sendConsolePage(
        reply,
        200,
        confirmPage(this.frame(request, `${verb} miner ${address}?`), {
          title: `${verb} miner ${address}?`,
          changes: [
            [
              'state',
              disabled ? 'enabled' : 'disabled',
              disabled ? 'disabled: getwork refused' : 'enabled',
            ],
            ['reason', '', reason],
          ],
          action: `${path}/${disabled ? 'disable' : 'enable'}`,
          fields: { reason },
          once: formNonce(),
          confirmLabel: `${verb} miner`,
          cancelHref: path,
          danger: disabled,
        }),
      );
    }
    const who = actionContext(request);
    await this.spendConfirmation(request);
    await this.miners.setDisabled(ref, disabled, reason, who);
    void reply.redirect(path, 303);
  }

  @Post('miners/:network/:address/adjustments')
  async adjust(
    @Param('network') network: string,
    @Param('address') address: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const ref = minerRef(this.config, network, address);
    const amountText = formField(request.body, 'amount')?.trim() ?? '';
    const amount = adjustmentAmount(amountText);
    const reason = requiredReason(formField(request.body, 'reason'));
    const path = minerPath(network, address);
    if (!confirmed(request)) {
      const preview = await this.miners.previewAdjustment(ref, amount);
      return sendConsolePage(
        reply,
        200,
        confirmPage(this.frame(request, `Adjust the balance of ${address}?`), {
          title: `Adjust the balance of ${address}?`,
          changes: [
            [
              'balance',
              `${formatCoins(preview.balanceBefore)} BBP`,
              `${formatCoins(preview.balanceAfter)} BBP`,
            ],
            ['adjustment', '', `${formatCoins(amount)} BBP`],
            ['reason', '', reason],
          ],
          action: `${path}/adjustments`,
          fields: { amount: baseToCoins(amount), reason },
          once: formNonce(),
          confirmLabel: 'Book the adjustment',
          cancelHref: path,
        }),
      );
    }
    const who = actionContext(request);
    await this.spendConfirmation(request);
    await this.miners.adjust(ref, amount, reason, who);
    void reply.redirect(path, 303);
  }

  @Get('blocks')
  async blocks(
    @Query('network') network: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const net = this.networkOrDefault(network);
    sendConsolePage(
      reply,
      200,
      blocksPage(
        this.frame(request, `Pool blocks (${net})`),
        this.config.networks,
        net,
        await this.read.poolBlocks(net),
      ),
    );
  }

  @Get('blocks/:network/:height')
  async block(
    @Param('network') network: string,
    @Param('height') height: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const blocks = await poolBlockAt(this.read, this.config, network, height);
    sendConsolePage(
      reply,
      200,
      blockPage(this.frame(request, `Block ${height} (${network})`), blocks),
    );
  }

  @Get('payments')
  async payments(
    @Query('network') network: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const net = this.networkOrDefault(network);
    sendConsolePage(
      reply,
      200,
      paymentsPage(
        this.frame(request, `Payments (${net})`),
        this.config.networks,
        net,
        await this.read.recentPayments(net),
      ),
    );
  }

  @Get('problems')
  async problems(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const networks: NetworkProblems[] = await Promise.all(
      this.config.networks.map(async (network) => ({
        network,
        problems: await this.read.openProblems(network),
        audit: await this.audits
          .audit(network)
          .catch((e: Error) => ({ error: e.message }) as const),
      })),
    );
    const deadLetters = await this.deadLetters
      .list()
      .catch((e: Error) => ({ error: e.message }) as const);
    sendConsolePage(
      reply,
      200,
      problemsPage(this.frame(request, 'Open problems'), networks, deadLetters),
    );
  }

  /**
   * Re-credits a sent payment the wallet reports conflicted or abandoned (the console's form for
   * POST /admin/api/payments/:network/:batchId/recredit): confirmation page first, then one
   * re-credit in the trail; the wallet is asked again, a send no longer conflicted is refused.
   */
  @Post('payments/:network/:batchId/recredit')
  async recredit(
    @Param('network') network: string,
    @Param('batchId') batchId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const net = requiredNetwork(this.config, network);
    if (!/^[\w-]{1,64}$/.test(batchId)) throw new NotFoundException('No such payment.');
    const reason = requiredReason(formField(request.body, 'reason'));
    const action = `/admin/payments/${net}/${batchId}/recredit`;
    if (!confirmed(request)) {
      return sendConsolePage(
        reply,
        200,
        confirmPage(this.frame(request, `Re-credit payment ${batchId}?`), {
          title: `Re-credit payment ${batchId}?`,
          changes: [
            ['payment', 'sent, conflicted or abandoned in the wallet', 'failed'],
            ['its holds', 'paid out', 'back on the miners’ balances (paid at a next run)'],
            ['reason', '', reason],
          ],
          action,
          fields: { reason },
          once: formNonce(),
          confirmLabel: 'Re-credit it',
          cancelHref: '/admin/problems',
          danger: true,
        }),
      );
    }
    const who = actionContext(request);
    await this.spendConfirmation(request);
    await this.payouts.recredit(net, batchId, reason, (manager, before, after) =>
      this.trail.record(
        {
          ...who,
          action: 'payment.recredit',
          network: net,
          target: batchId,
          reason,
          before,
          after,
        },
        manager,
      ),
    );
    void reply.redirect('/admin/problems', 303);
  }

  @Post('dead-letters/:what')
  async deadLetter(
    @Param('what') what: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (what !== 'requeue' && what !== 'discard') throw new NotFoundException('No such action.');
    const key = formField(request.body, 'key') ?? '';
    if (!/^[\w:.-]{1,80}$/.test(key)) throw new BadRequestException('No such message.');
    if (!confirmed(request)) {
      const verb = what === 'requeue' ? 'Requeue' : 'Discard';
      return sendConsolePage(
        reply,
        200,
        confirmPage(this.frame(request, `${verb} message ${key}?`), {
          title: `${verb} message ${key}?`,
          changes: [
            [
              'message',
              'dead-letter queue',
              what === 'requeue' ? 'solution queue (validated again)' : 'dropped for good',
            ],
          ],
          action: `/admin/dead-letters/${what}`,
          fields: { key },
          once: formNonce(),
          confirmLabel: `${verb} it`,
          cancelHref: '/admin/problems',
          danger: what === 'discard',
        }),
      );
    }
    const who = actionContext(request);
    await this.spendConfirmation(request);
    await this.deadLetters.resolve(what, key, null, who);
    void reply.redirect('/admin/problems', 303);
  }

  @Get('reports')
  reportsHome(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    sendConsolePage(
      reply,
      200,
      reportsPage(this.frame(request, 'Reports & dry runs'), this.config.networks, null),
    );
  }

  @Post('reports/:kind')
  async runReport(
    @Param('kind') kind: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const network = requiredNetwork(this.config, formField(request.body, 'network'));
    const who = actionContext(request);
    let result: ReportResult;
    switch (kind) {
      case 'shareout':
        result = { kind, network, reports: await this.reports.shareoutPlan(network, who) };
        break;
      case 'payouts':
        result = { kind, network, plan: await this.reports.payoutPlan(network, who) };
        break;
      case 'audit':
        result = { kind, network, report: await this.reports.audit(network, who) };
        break;
      case 'funding':
        result = { kind, network, report: await this.reports.funding(network, who) };
        break;
      default:
        throw new NotFoundException('No such report.');
    }
    sendConsolePage(
      reply,
      200,
      reportsPage(this.frame(request, 'Reports & dry runs'), this.config.networks, result),
    );
  }

  @Get('actions')
  async actions(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    sendConsolePage(
      reply,
      200,
      actionsPage(this.frame(request, 'Audit trail'), await this.trail.list({ limit: 200 })),
    );
  }

  /**
   * A confirmed change goes ahead once: the form's nonce is spent before anything is changed, so
   * the same form sent again (a double click, the browser's back button, a replayed request) is
   * answered "already done".
   */
  private async spendConfirmation(request: FastifyRequest): Promise<void> {
    const nonce = formField(request.body, '_once') ?? '';
    if (!/^[\w-]{22}$/.test(nonce)) {
      throw new BadRequestException('This form is out of date: open the page again.');
    }
    if (!(await this.gate().spendForm(nonce))) {
      throw new AlreadyDoneException(
        'This change was already made: the same form was sent twice, and nothing was changed again.',
      );
    }
  }

  private gate() {
    if (!this.config.admin) throw new NotFoundException('The console is off.');
    return adminGateFor(this.config.admin);
  }

  private frame(request: FastifyRequest, title: string): AdminFrame {
    return { title, actor: request.admin?.actor, csrf: request.admin?.csrf };
  }

  private networkOrDefault(value: unknown): Network {
    return value === undefined ? this.config.networks[0] : requiredNetwork(this.config, value);
  }
}

/** A confirmation form's one-time nonce (see AdminGate.spendForm). */
function formNonce(): string {
  return randomBytes(16).toString('base64url');
}

function confirmed(request: FastifyRequest): boolean {
  return formField(request.body, 'confirm') === 'yes';
}
