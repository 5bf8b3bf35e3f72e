import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Network } from '../../biblepay/network';
import { errorBody, ProtocolError, solutionAcceptedBody } from '../../biblepay/pool-protocol';
import { parseSolutionString } from '../../biblepay/solution-string';
import { SolutionPublisher } from './solution.publisher';

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
 * `solution`: shape-check the 16 fields and queue them. Validation proper happens in the backend;
 * `ok` means "the broker holds it", never less.
 */
@Injectable()
export class SolutionIntakeService {
  constructor(private readonly publisher: SolutionPublisher) {}

  async submit(req: SolutionRequest): Promise<string> {
    const raw = (req.solutionHeader ?? '').trim();
    if (raw === '') return errorBody(ProtocolError.solutionMissing);
    const parsed = parseSolutionString(raw);
    if (!parsed.ok) return errorBody(ProtocolError.invalidSolution);

    await this.publisher.publish({
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
    });
    return solutionAcceptedBody(parsed.fields.workId);
  }
}
