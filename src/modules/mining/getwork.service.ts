import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Network } from '../../biblepay/network';
import { errorBody, ProtocolError, workBody } from '../../biblepay/pool-protocol';
import { AppConfig } from '../../config/app-config';
import { MinerRegistryService } from './miner-registry.service';
import { activeSuspension } from './miner-suspension';
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

/** `readytomine2`: validate the worker id, find or create miner and worker, hand out work. */
@Injectable()
export class GetworkService {
  constructor(
    private readonly registry: MinerRegistryService,
    private readonly workWriter: WorkWriterService,
    private readonly config: AppConfig,
  ) {}

  async getwork(req: GetworkRequest): Promise<string> {
    const parsed = parseWorkerId(req.minerHeader, req.network);
    if (!parsed.ok) return errorBody(parsed.error);
    const { address, worker, email } = parsed.workerId;

    const { miner, workerId } = await this.registry.resolve(req.network, address, email, worker);
    if (miner.disabled) return errorBody(ProtocolError.minerDisabled(address));
    const suspension = activeSuspension(miner);
    if (suspension) {
      return errorBody(ProtocolError.minerSuspended(address, suspension.until, suspension.reason));
    }
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
