import { All, Controller, Logger, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, ProtocolError } from '../../biblepay/pool-protocol';
import { AppConfig } from '../../config/app-config';
import { PoolMetrics } from '../metrics/pool-metrics.service';
import { GetworkService } from './getwork.service';
import { SolutionIntakeService } from './solution-intake.service';

/**
 * `/Action.aspx`, any method (the original routed them all). Every answer — errors included — is a
 * protocol body with a literal `Content-Length: ` header and never chunked: the wallet does not
 * parse HTTP, it scans the raw bytes (PROTOCOL.md §1).
 */
@Controller()
export class ActionController {
  private readonly logger = new Logger(ActionController.name);

  constructor(
    private readonly getwork: GetworkService,
    private readonly intake: SolutionIntakeService,
    private readonly config: AppConfig,
    private readonly metrics: PoolMetrics,
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
    writeProtocolAnswer(reply, body);
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
      return this.getwork.getwork({ ...common, minerHeader: header('miner'), threadId });
    }
    return this.intake.submit({
      ...common,
      solutionHeader: header('solution'),
      minerHeader: header('miner'),
      threadId: threadHeader?.slice(0, 16) ?? null,
    });
  }
}

export function writeProtocolAnswer(reply: FastifyReply, body: string, statusCode = 200): void {
  reply.hijack();
  reply.raw.writeHead(statusCode, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  reply.raw.end(body);
}
