import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Network } from '../../biblepay/network';
import { errorBody, ProtocolError, sharelessWallet, workBody } from '../../biblepay/pool-protocol';
import { AppConfig } from '../../config/app-config';
import { MinerRegistryService } from './miner-registry.service';
import { SourceGateService } from './source-gate.service';
import { parseWorkerId } from './worker-id';
import { WorkWriterService } from './work-writer.service';

export interface GetworkRequest {
  network: Network;
  minerHeader: string | undefined;
  threadId: number | null;
  ip: string | null;
  os: string | null;
  agent: string | null;
  /** Evo wallets' `SessionID` header. */
  sessionId: string | null;
}

/**
 * `readytomine2`: refuse a wallet release that submits no shares, validate the worker id, refuse a suspended source, find or create miner and worker,
 * hand out work.
 */
@Injectable()
export class GetworkService {
  constructor(
    private readonly registry: MinerRegistryService,
    private readonly workWriter: WorkWriterService,
    private readonly sources: SourceGateService,
    private readonly config: AppConfig,
  ) {}

  async getwork(req: GetworkRequest): Promise<string> {
    // A wallet that would mine on work it never reports (Evo 1.4.8.x): told so, and what to run.
    const shareless = sharelessWallet(req.agent);
    if (shareless) return errorBody(ProtocolError.walletSubmitsNoShares(shareless));
    const parsed = parseWorkerId(req.minerHeader, req.network);
    if (!parsed.ok) return errorBody(parsed.error);
    const { address, worker, email } = parsed.workerId;
    // A flood of bad shares suspends its source, never the miner it names (anyone can name anyone).
    const suspension = await this.sources.suspensionOf(req.ip);
    if (suspension) {
      return errorBody(
        ProtocolError.sourceSuspended(suspension.source, suspension.until, suspension.reason),
      );
    }

    const { miner, workerId } = await this.registry.resolve(req.network, address, email, worker);
    if (miner.disabled) return errorBody(ProtocolError.minerDisabled(address));
    if (workerId === null) {
      return errorBody(ProtocolError.tooManyWorkers(address, this.config.maxWorkersPerMiner));
    }

    const hashTarget = miner.hashTarget ?? this.config.baseHashTarget;
    const workId = randomUUID();
    await this.workWriter.write({
      id: workId,
      network: req.network,
      minerId: miner.id,
      workerId,
      threadId: req.threadId,
      hashTarget,
      ip: req.ip,
      os: req.os,
      agent: req.agent,
      sessionId: req.sessionId,
      createdAt: new Date(),
    });
    return workBody({
      address: this.config.poolAddressOf(req.network),
      hashTarget,
      minerGuid: miner.guid,
      workId,
    });
  }
}
