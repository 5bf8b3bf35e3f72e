import { Injectable } from '@nestjs/common';
import { meetsTarget, shareWeight } from '../../biblepay/hash-target';
import { Network } from '../../biblepay/network';
import { NodeClients } from '../../biblepay/node-clients';
import { BatchOutcome, CoinbaseInfo, RpcError, RpcFailure, rpcCalls } from '../../biblepay/rpc';
import {
  hashesPerSecond,
  parseSolutionString,
  SolutionFields,
} from '../../biblepay/solution-string';
import { AppConfig } from '../../config/app-config';
import { SolutionMessage } from '../../messaging/solution-message';
import { ChainTipCache, maxNonce } from './chain-tip.cache';
import { RejectReason } from './reject-reason';
import {
  NewRejectedSolution,
  NewSolution,
  SolutionRepository,
  WorkRef,
} from './solution.repository';

export type Verdict =
  | { kind: 'accepted'; row: NewSolution }
  | { kind: 'rejected'; row: NewRejectedSolution }
  /** Recorded before (a redelivery): nothing to write, just ack. */
  | { kind: 'recorded' };

/** The node could not be asked (down, timeout, auth): shares wait, none is rejected for it. */
export class NodeUnavailableError extends Error {}

interface Candidate {
  message: SolutionMessage;
  fields: SolutionFields;
  work: WorkRef;
}

/**
 * Turns a batch of queued solutions into verdicts, cheapest checks first: shape, work, miner,
 * target, duplicate (DB only) → one batched node round trip per network (biblehash +
 * hexblocktocoinbase for every survivor) → nonce and height against the cached tip.
 */
@Injectable()
export class SolutionValidator {
  constructor(
    private readonly repository: SolutionRepository,
    private readonly nodes: NodeClients,
    private readonly tips: ChainTipCache,
    private readonly config: AppConfig,
  ) {}

  async validate(messages: readonly SolutionMessage[]): Promise<Verdict[]> {
    const now = new Date();
    const verdicts = new Array<Verdict | undefined>(messages.length);
    const reject = (
      i: number,
      reason: RejectReason,
      detail: string | null,
      c?: Partial<Candidate>,
    ): void => {
      const m = messages[i];
      verdicts[i] = {
        kind: 'rejected',
        row: {
          messageId: m.id,
          network: m.network,
          workId: c?.work?.id ?? c?.fields?.workId ?? null,
          minerId: c?.work?.minerId ?? null,
          workerId: c?.work?.workerId ?? null,
          reason,
          detail,
          bibleHash: c?.fields?.bibleHash ?? null,
          solutionString: this.config.cleanup.rejectedSolutionStringHours > 0 ? m.solution : null,
          insertedAt: now,
        },
      };
    };

    const recorded = await this.repository.recordedMessageIds(messages.map((m) => m.id));
    const parsed: (SolutionFields | undefined)[] = messages.map((m, i) => {
      if (recorded.accepted.has(m.id) || recorded.rejected.has(m.id)) {
        verdicts[i] = { kind: 'recorded' };
        return undefined;
      }
      const result = parseSolutionString(m.solution);
      if (!result.ok) {
        reject(i, RejectReason.malformed, result.problem);
        return undefined;
      }
      return result.fields;
    });

    const works = await this.repository.findWorks([
      ...new Set(parsed.filter((f): f is SolutionFields => !!f).map((f) => f.workId)),
    ]);
    const candidates = new Map<number, Candidate>();
    parsed.forEach((fields, i) => {
      if (!fields) return;
      const work = works.get(fields.workId);
      if (!work || work.network !== messages[i].network) {
        return reject(
          i,
          RejectReason.unknownWork,
          `work ${fields.workId} not found on ${messages[i].network}`,
          {
            fields,
          },
        );
      }
      if (fields.minerGuid !== work.minerGuid) {
        return reject(i, RejectReason.minerMismatch, `work belongs to miner ${work.minerGuid}`, {
          fields,
          work,
        });
      }
      if (!meetsTarget(fields.bibleHash, work.hashTarget)) {
        return reject(i, RejectReason.aboveTarget, `target ${work.hashTarget}`, { fields, work });
      }
      candidates.set(i, { message: messages[i], fields, work });
    });

    const seen = await this.repository.acceptedBibleHashes(
      [...candidates.values()].map((c) => c.fields.bibleHash),
    );
    for (const [i, c] of candidates) {
      if (seen.has(c.fields.bibleHash)) {
        reject(i, RejectReason.duplicate, null, c);
        candidates.delete(i);
      } else {
        seen.add(c.fields.bibleHash); // a later copy in this same batch is the duplicate
      }
    }

    for (const network of new Set([...candidates.values()].map((c) => c.message.network))) {
      const group = [...candidates.entries()].filter(([, c]) => c.message.network === network);
      await this.checkWithNode(network, group, reject, now, verdicts);
    }
    return verdicts.map((v) => v ?? { kind: 'recorded' });
  }

  private async checkWithNode(
    network: Network,
    group: [number, Candidate][],
    reject: (
      i: number,
      reason: RejectReason,
      detail: string | null,
      c?: Partial<Candidate>,
    ) => void,
    now: Date,
    verdicts: (Verdict | undefined)[],
  ): Promise<void> {
    const client = this.nodes.of(network);
    const calls = group.flatMap(([, c]) => [
      rpcCalls.bibleHash(c.fields),
      rpcCalls.hexBlockToCoinbase({ blockHex: c.fields.blockHex, txHex: c.fields.transactionHex }),
    ]);
    let outcomes: BatchOutcome<unknown>[];
    let tip;
    try {
      outcomes = await client.batch(calls);
      tip = await this.tips.get(network);
    } catch (error) {
      throw new NodeUnavailableError(`node ${network}: ${(error as Error).message}`);
    }
    const transportFailure = outcomes.find((o) => !o.ok && !(o.error instanceof RpcError));
    if (transportFailure && !transportFailure.ok) {
      throw new NodeUnavailableError(`node ${network}: ${transportFailure.error.message}`);
    }
    const poolAddress = this.config.poolAddressOf(network);
    const nonceLimit = maxNonce(tip, now.getTime());

    group.forEach(([i, c], k) => {
      const hash = outcomes[2 * k] as BatchOutcome<string>;
      const coinbase = outcomes[2 * k + 1] as BatchOutcome<CoinbaseInfo>;
      if (!hash.ok) return reject(i, RejectReason.bibleHashMismatch, nodeSaid(hash.error), c);
      if (hash.value !== c.fields.bibleHash) {
        return reject(i, RejectReason.bibleHashMismatch, `node computed ${hash.value}`, c);
      }
      if (!coinbase.ok)
        return reject(i, RejectReason.coinbaseUndecodable, nodeSaid(coinbase.error), c);
      const info = coinbase.value;
      if (info.recipient !== poolAddress) {
        return reject(i, RejectReason.wrongRecipient, `coinbase pays ${info.recipient}`, c);
      }
      if (this.config.solutionRequireCpid) {
        if (info.cpid_sig_valid === undefined || info.cpid_legal === undefined) {
          return reject(i, RejectReason.cpidUnknown, 'the node reported no CPID fields', c);
        }
        if (!info.cpid_sig_valid) return reject(i, RejectReason.cpidSignatureInvalid, null, c);
        if (!info.cpid_legal)
          return reject(i, RejectReason.cpidIllegal, info.cpid_legality_narr ?? null, c);
      }
      if (c.fields.nonce > nonceLimit) {
        return reject(i, RejectReason.nonceTooHigh, `nonce ${c.fields.nonce} > ${nonceLimit}`, c);
      }
      if (c.fields.prevHeight !== tip.height) {
        return reject(
          i,
          RejectReason.staleHeight,
          `prev_height ${c.fields.prevHeight}, node at ${tip.height}`,
          c,
        );
      }
      verdicts[i] = {
        kind: 'accepted',
        row: {
          messageId: c.message.id,
          network,
          workId: c.work.id,
          minerId: c.work.minerId,
          workerId: c.work.workerId,
          blockHash: c.fields.blockHash,
          prevHeight: c.fields.prevHeight,
          bibleHash: c.fields.bibleHash,
          hashTarget: c.work.hashTarget,
          shareWeight: shareWeight(this.config.baseHashTarget, c.work.hashTarget),
          hashesPerSecond: hashesPerSecond(c.fields),
          insertedAt: now,
        },
      };
    });
  }
}

function nodeSaid(error: RpcFailure): string {
  return error instanceof RpcError
    ? `node error ${error.code}: ${error.rpcMessage}`
    : error.message;
}
