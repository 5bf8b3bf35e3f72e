import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Network } from '../../biblepay/network';
import {
  errorBody,
  ProtocolError,
  SOLUTION_HEADER_ALPHABET,
  SOLUTION_HEADER_MAX_LENGTH,
  solutionAcceptedBody,
} from '../../biblepay/pool-protocol';
import { parseSolutionString } from '../../biblepay/solution-string';
import { SolutionPublisher } from './solution.publisher';
import { SourceGateService } from './source-gate.service';
import { parseWorkerId } from './worker-id';

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
 * `solution`: check the Solution header (length, alphabet, the 16 fields) and the Miner header (a
 * valid worker id of the network), refuse a suspended source, and queue the rest. Validation
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
    // Length and alphabet first: nothing unchecked reaches the queue (or the backend's tables).
    if (raw.length > SOLUTION_HEADER_MAX_LENGTH || !SOLUTION_HEADER_ALPHABET.test(raw)) {
      return errorBody(ProtocolError.invalidSolution);
    }
    const parsed = parseSolutionString(raw);
    if (!parsed.ok) return errorBody(ProtocolError.invalidSolution);
    // The same worker id the wallet's getwork needed (ADDRESS[/WORKER[/EMAIL]], bounded lengths).
    const worker = parseWorkerId(req.minerHeader, req.network);
    if (!worker.ok) return errorBody(worker.error);
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
        miner: (req.minerHeader ?? '').trim(),
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
