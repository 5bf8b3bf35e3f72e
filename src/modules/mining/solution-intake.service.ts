import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Network } from '../../biblepay/network';
import { errorBody, ProtocolError, solutionAcceptedBody } from '../../biblepay/pool-protocol';
import { parseSolutionString } from '../../biblepay/solution-string';
import { SolutionPublisher } from './solution.publisher';
import { SourceGateService } from './source-gate.service';

export interface SolutionRequest {
  network: Network;
  solutionHeader: string | undefined;
  minerHeader: string | undefined;
  threadId: string | null;
  ip: string | null;
  os: string | null;
  agent: string | null;
}

/**
 * `solution`: shape-check the 16 fields, refuse a suspended source, and queue the rest. Validation
 * proper happens in the backend; `ok` means "the broker holds it", never less.
 */
@Injectable()
export class SolutionIntakeService {
  constructor(
    private readonly publisher: SolutionPublisher,
    private readonly sources: SourceGateService,
  ) {}

  async submit(req: SolutionRequest): Promise<string> {
    const raw = (req.solutionHeader ?? '').trim();
    if (raw === '') return errorBody(ProtocolError.solutionMissing);
    const parsed = parseSolutionString(raw);
    if (!parsed.ok) return errorBody(ProtocolError.invalidSolution);
    const suspension = await this.sources.suspensionOf(req.ip);
    if (suspension) {
      return errorBody(
        ProtocolError.sourceSuspended(suspension.source, suspension.until, suspension.reason),
      );
    }

    await this.publisher.publish(
      {
        v: 1,
        id: randomUUID(),
        network: req.network,
        solution: raw,
        miner: req.minerHeader ?? '',
        threadId: req.threadId,
        ip: req.ip,
        agent: req.agent,
        os: req.os,
        receivedAt: Date.now(),
      },
      parsed.fields.workId,
    );
    return solutionAcceptedBody(parsed.fields.workId);
  }
}
