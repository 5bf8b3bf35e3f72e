import { All, Controller, Logger, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, ProtocolError } from '../../biblepay/pool-protocol';
import { AppConfig } from '../../config/app-config';
import { PoolMetricsService } from '../metrics/pool-metrics.service';
import { GetworkService } from './getwork.service';
import { keepsAlive, writeProtocolAnswer } from '../../biblepay/protocol-answer';
import { SolutionIntakeService } from './solution-intake.service';

/**
 * `/Action.aspx`, any method (the original routed them all). Every answer — errors included — is a
 * protocol body closed by a terminator, written by `writeProtocolAnswer`: the wallet does not parse
 * HTTP, it scans the raw bytes (docs/PROTOCOL.md).
 */
@Controller()
export class ActionController {
  private readonly logger = new Logger(ActionController.name);

  constructor(
    private readonly getwork: GetworkService,
    private readonly intake: SolutionIntakeService,
    private readonly config: AppConfig,
    private readonly metrics: PoolMetricsService,
  ) {}

  @All('Action.aspx')
  async action(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const started = performance.now();
    let body: string;
    try {
      body = await this.answer(request);
    } catch (error) {
      this.logger.error(`action failed (request ${request.id}): ${(error as Error).message}`);
      body = errorBody(ProtocolError.unavailable);
    }
    writeProtocolAnswer(reply, body, {
      keepAlive: keepsAlive(request, this.config.actionKeepAlive),
    });
    this.metrics.actionAnswered(request.headers.action, body, (performance.now() - started) / 1000);
  }

  private async answer(request: FastifyRequest): Promise<string> {
    const h = request.headers;
    const header = (name: string): string | undefined => {
      const value = h[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const action = (header('action') ?? '').trim();
    const network = (header('networkid') ?? '').trim().toLowerCase();
    if (action !== 'readytomine2' && action !== 'solution') {
      return errorBody(ProtocolError.unknownAction(action.slice(0, 64)));
    }
    if (!this.config.serves(network)) return errorBody(ProtocolError.invalidNetwork);

    const threadHeader = header('threadid')?.trim() ?? null;
    const common = {
      network,
      ip: request.ip ?? null,
      os: header('os')?.slice(0, 32) ?? null,
      agent: header('agent')?.slice(0, 64) ?? null,
    };
    if (action === 'readytomine2') {
      const threadId =
        threadHeader !== null && /^\d{1,9}$/.test(threadHeader) ? Number(threadHeader) : null;
      // Evo wallets name their session (docs/PROTOCOL.md): kept with the work row.
      const sessionId = header('sessionid')?.trim().slice(0, 64) || null;
      return this.getwork.getwork({ ...common, minerHeader: header('miner'), threadId, sessionId });
    }
    return this.intake.submit({
      ...common,
      solutionHeader: header('solution'),
      minerHeader: header('miner'),
      threadId: threadHeader?.slice(0, 16) ?? null,
    });
  }
}
