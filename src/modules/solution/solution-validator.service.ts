import { Injectable } from '@nestjs/common';
import { BlockHeader, decodeBlockHeader } from '../../biblepay/block-header';
import { meetsTarget, shareWeight } from '../../biblepay/hash-target';
import { blockNonceLimit, futureBlockSeconds } from '../../biblepay/nonce-limit';
import { extractXml } from '../../biblepay/xml-tag';
import { Network } from '../../biblepay/network';
import { NodeClients } from '../../biblepay/node-clients';
import { cpidRequired, NodeFlavor } from '../../biblepay/node-flavor';
import { BatchOutcome, CoinbaseInfo, RpcError, RpcFailure, rpcCalls } from '../../biblepay/rpc';
import {
  hashesPerSecond,
  parseSolutionString,
  SolutionFields,
} from '../../biblepay/solution-string';
import { AppConfig } from '../../config/app-config';
import { SolutionMessage } from '../../messaging/solution-message';
import { ChainBlock, ChainHistoryService } from './chain-history.service';
import { RejectedStringBudget } from './rejected-string-budget';
import { RejectReason } from './reject-reason';
import { SolutionRepository } from './solution.repository';
import { WorkRef, WorkRepository } from '../mining/work.repository';
import { SourceSuspensionRepository } from '../mining/source-suspension.repository';
import { sourceOf } from '../../server/client-source';
import { NodeUnavailableError } from './node-unavailable.error';
import type { Verdict } from './verdict';

interface Candidate {
  message: SolutionMessage;
  fields: SolutionFields;
  work: WorkRef;
  header: BlockHeader;
  /** When the frontend received it (never later than now: a frontend clock ahead is clamped). */
  receivedAtMs: number;
}

type Reject = (
  i: number,
  reason: RejectReason,
  detail: string | null,
  c?: Partial<Candidate>,
) => void;

/**
 * Turns a batch of queued solutions into verdicts, cheapest checks first: shape, work, miner,
 * target, the block header against the share's fields (local), duplicate (DB) → one batched node
 * round trip per network (biblehash + hexblocktocoinbase for every survivor) → the block against
 * the chain at prev_height, the share bound to its block, recipient, miner id, CPID → nonce (for
 * the block's own time, as the node judges it) and staleness as of the moment the share arrived
 * (docs/PROTOCOL.md §3).
 */
@Injectable()
export class SolutionValidatorService {
  constructor(
    private readonly repository: SolutionRepository,
    private readonly works: WorkRepository,
    private readonly nodes: NodeClients,
    private readonly chain: ChainHistoryService,
    private readonly storedStrings: RejectedStringBudget,
    private readonly sources: SourceSuspensionRepository,
    private readonly config: AppConfig,
  ) {}

  async validate(messages: readonly SolutionMessage[]): Promise<Verdict[]> {
    const now = new Date();
    const verdicts = new Array<Verdict | undefined>(messages.length);
    const sources = messages.map((m) => sourceOf(m.ip));
    const keepStrings = this.config.cleanup.rejectedSolutionStringHours > 0;
    const reject: Reject = (i, reason, detail, c) => {
      const m = messages[i];
      // An id longer than the column (the shape check allows 64 characters) is kept in the detail only.
      const workId = c?.work?.id ?? c?.fields?.workId ?? null;
      verdicts[i] = {
        kind: 'rejected',
        row: {
          messageId: m.id,
          network: m.network,
          workId: workId !== null && workId.length <= 36 ? workId : null,
          minerId: c?.work?.minerId ?? null,
          workerId: c?.work?.workerId ?? null,
          source: sources[i],
          reason,
          detail,
          bibleHash: c?.fields?.bibleHash ?? null,
          // Only a miner with an accepted share keeps the string (RejectedStringBudget bounds it).
          solutionString: keepStrings && c?.work?.minerHasAcceptedShare ? m.solution : null,
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

    const suspendedSources = await this.sources.activeAmong(
      sources.filter((s): s is string => s !== null),
      now,
    );
    const works = await this.works.findWorks([
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
      const suspendedUntil = sources[i] === null ? undefined : suspendedSources.get(sources[i]);
      if (suspendedUntil) {
        return reject(
          i,
          RejectReason.sourceSuspended,
          `${sources[i]} until ${suspendedUntil.toISOString()}`,
          { fields, work },
        );
      }
      if (!meetsTarget(fields.bibleHash, work.hashTarget)) {
        return reject(i, RejectReason.aboveTarget, `target ${work.hashTarget}`, { fields, work });
      }
      const header = decodeBlockHeader(fields.blockHex);
      if (!header) {
        return reject(i, RejectReason.blockMismatch, 'block hex has no 80-byte header', {
          fields,
          work,
        });
      }
      if (header.time !== fields.blockTime || header.nonce !== fields.nonce) {
        return reject(
          i,
          RejectReason.blockMismatch,
          `block header has time ${header.time} nonce ${header.nonce}`,
          { fields, work },
        );
      }
      const receivedAtMs = creditedReceivedAt(
        messages[i].receivedAt,
        work.createdAt.getTime(),
        now.getTime(),
      );
      candidates.set(i, { message: messages[i], fields, work, header, receivedAtMs });
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
    const final = verdicts.map((v): Verdict => v ?? { kind: 'recorded' });
    await this.storedStrings.limit(final, now);
    return final;
  }

  private async checkWithNode(
    network: Network,
    group: [number, Candidate][],
    reject: Reject,
    now: Date,
    verdicts: (Verdict | undefined)[],
  ): Promise<void> {
    const client = this.nodes.of(network);
    let outcomes: BatchOutcome<unknown>[];
    let chain: Map<number, ChainBlock>;
    let nodeHeight: number;
    let flavor: NodeFlavor;
    try {
      flavor = await this.nodes.flavor(network);
      const tip = await this.chain.tip(network);
      chain = await this.chain.blocks(network, this.heightsFor(group, tip.height));
      // The node's height around the batch: hexblocktocoinbase computes against that tip.
      outcomes = await client.batch([
        rpcCalls.getBlockCount(),
        ...group.flatMap(([, c]) => [
          rpcCalls.bibleHash(c.fields),
          rpcCalls.hexBlockToCoinbase({ blockHex: c.fields.blockHex }),
        ]),
        rpcCalls.getBlockCount(),
      ]);
      const before = outcomes[0];
      const after = outcomes[outcomes.length - 1];
      if (!before.ok) throw before.error;
      if (!after.ok) throw after.error;
      if (before.value !== after.value) throw new Error('the tip moved during the batch');
      nodeHeight = before.value as number;
      if (!chain.has(nodeHeight)) {
        chain = new Map([...chain, ...(await this.chain.blocks(network, [nodeHeight]))]);
      }
    } catch (error) {
      throw new NodeUnavailableError(`node ${network}: ${(error as Error).message}`);
    }
    const transportFailure = outcomes.find((o) => !o.ok && !(o.error instanceof RpcError));
    if (transportFailure && !transportFailure.ok) {
      throw new NodeUnavailableError(`node ${network}: ${transportFailure.error.message}`);
    }
    const poolAddress = this.config.poolAddressOf(network);
    // Shares built on an older tip than the node's: bound to their block by a second call.
    const unbound: { i: number; c: Candidate; nodeBibleHash: string }[] = [];
    let refreshed = false;

    for (const [k, [i, c]] of group.entries()) {
      const hash = outcomes[1 + 2 * k] as BatchOutcome<string>;
      const coinbase = outcomes[2 + 2 * k] as BatchOutcome<CoinbaseInfo>;
      if (!hash.ok) {
        reject(i, RejectReason.bibleHashMismatch, nodeSaid(hash.error), c);
        continue;
      }
      if (hash.value !== c.fields.bibleHash) {
        reject(i, RejectReason.bibleHashMismatch, `node computed ${hash.value}`, c);
        continue;
      }
      if (!coinbase.ok) {
        reject(i, RejectReason.coinbaseUndecodable, nodeSaid(coinbase.error), c);
        continue;
      }
      let prev = chain.get(c.fields.prevHeight);
      if (prev && prev.hash !== c.header.prevHash && !refreshed) {
        // A reorg the cache has not seen yet, or a foreign chain: ask the node once more.
        refreshed = true;
        const fresh = await this.freshBlocks(network, this.heightsFor(group, nodeHeight));
        chain = new Map([...chain, ...fresh]);
        prev = chain.get(c.fields.prevHeight);
      }
      const info = coinbase.value;
      const problem = this.judge(c, info, prev, chain, nodeHeight, poolAddress, flavor);
      if (problem) {
        reject(i, problem.reason, problem.detail, c);
        continue;
      }
      if (c.fields.prevHeight === nodeHeight) verdicts[i] = this.accepted(network, c, now);
      else unbound.push({ i, c, nodeBibleHash: info.biblehash });
    }
    if (unbound.length > 0) {
      // The tip's time goes into the node's bible hash: read it fresh (a reorg may have replaced it).
      const tip = (await this.freshBlocks(network, [nodeHeight])).get(nodeHeight);
      await this.bindOlderShares(network, unbound, tip, reject, now, verdicts);
    }
  }

  /** Each candidate's prev_height and the height after it (when it is stale), up to `top`. */
  private heightsFor(group: [number, Candidate][], top: number): number[] {
    return group.flatMap(([, c]) => {
      const h = c.fields.prevHeight;
      return h > top ? [] : h === top ? [h] : [h, h + 1];
    });
  }

  private async freshBlocks(network: Network, heights: number[]): Promise<Map<number, ChainBlock>> {
    try {
      return await this.chain.blocks(network, heights, true);
    } catch (error) {
      throw new NodeUnavailableError(`node ${network}: ${(error as Error).message}`);
    }
  }

  /**
   * Everything the node's answers and the chain decide about one share, in order; null when the
   * share passes (the binding of an older-tip share to its block is checked after).
   */
  private judge(
    c: Candidate,
    info: CoinbaseInfo,
    prev: ChainBlock | undefined,
    chain: Map<number, ChainBlock>,
    nodeHeight: number,
    poolAddress: string,
    flavor: NodeFlavor,
  ): { reason: RejectReason; detail: string | null } | null {
    const f = c.fields;
    if (!prev) {
      return {
        reason: RejectReason.staleHeight,
        detail: `prev_height ${f.prevHeight} is above the node's tip ${nodeHeight}`,
      };
    }
    if (prev.hash !== c.header.prevHash) {
      return {
        reason: RejectReason.wrongPrevBlock,
        detail: `block builds on ${c.header.prevHash}, the chain has ${prev.hash} at ${f.prevHeight}`,
      };
    }
    if (prev.time !== f.prevBlockTime) {
      return {
        reason: RejectReason.badPrevTime,
        detail: `prev_block_time ${f.prevBlockTime}, block ${f.prevHeight} has ${prev.time}`,
      };
    }
    // The node's bible hash of the block hex is over its own tip: comparable when that is prev_height.
    if (f.prevHeight === nodeHeight && info.biblehash !== f.bibleHash) {
      return {
        reason: RejectReason.blockMismatch,
        detail: `the node's bible hash of the block hex is ${info.biblehash}`,
      };
    }
    if (info.recipient !== poolAddress) {
      return { reason: RejectReason.wrongRecipient, detail: `coinbase pays ${info.recipient}` };
    }
    const guid = extractXml(info.blockmessage ?? '', 'MINERGUID');
    if (guid !== c.work.minerGuid) {
      return {
        reason: RejectReason.foreignBlock,
        detail: guid ? `coinbase names miner ${guid}` : 'coinbase names no miner',
      };
    }
    // Post-PODC classic blocks carry no CPID signature (the node answers cpid_sig_valid false,
    // cpid_legal true) and Evo nodes answer no CPID members: asked for only where the chain did.
    if (cpidRequired(this.config.solutionRequireCpid, flavor, c.message.network, f.prevHeight)) {
      if (info.cpid_sig_valid === undefined || info.cpid_legal === undefined) {
        return { reason: RejectReason.cpidUnknown, detail: 'the node reported no CPID fields' };
      }
      if (!info.cpid_sig_valid) return { reason: RejectReason.cpidSignatureInvalid, detail: null };
      if (!info.cpid_legal)
        return { reason: RejectReason.cpidIllegal, detail: info.cpid_legality_narr ?? null };
    }
    // The node's CheckNonce over the block's own header time (src/pow.cpp:284-296 @1.2.0.1), not
    // the arrival time; a header dated beyond what the node would accept counts as arrival + that.
    const latest = Math.floor(c.receivedAtMs / 1000) + futureBlockSeconds(flavor, prev.height);
    const blockTime = Math.min(c.header.time, latest);
    const nonceLimit = blockNonceLimit(prev.time, blockTime);
    if (f.nonce > nonceLimit) {
      const capped =
        blockTime < c.header.time ? " (capped at arrival + the node's future limit)" : '';
      return {
        reason: RejectReason.nonceTooHigh,
        detail: `nonce ${f.nonce} > ${nonceLimit}: block time ${blockTime - prev.time} s after block ${prev.height}${capped}`,
      };
    }
    if (f.prevHeight < nodeHeight) {
      const next = chain.get(f.prevHeight + 1);
      const staleSince =
        this.chain.appearedAt(c.message.network, f.prevHeight + 1) ?? (next ? next.time * 1000 : 0);
      if (c.receivedAtMs > staleSince + this.config.solution.staleGraceMs) {
        return {
          reason: RejectReason.staleHeight,
          detail: `arrived ${new Date(c.receivedAtMs).toISOString()}, block ${f.prevHeight + 1} came ${new Date(staleSince).toISOString()}`,
        };
      }
    }
    return null;
  }

  /**
   * A share that arrived while its prev_height was the tip, validated after the tip moved on: the
   * node's bible hash of its block hex is over the new tip, so ask the node for the bible hash of
   * the share's own block hash, time and nonce over that same tip — equal only when the block hex
   * is the block the share's hash names.
   */
  private async bindOlderShares(
    network: Network,
    unbound: { i: number; c: Candidate; nodeBibleHash: string }[],
    tip: ChainBlock | undefined,
    reject: Reject,
    now: Date,
    verdicts: (Verdict | undefined)[],
  ): Promise<void> {
    if (!tip) throw new NodeUnavailableError(`node ${network}: its tip block could not be read`);
    let outcomes: BatchOutcome<string>[];
    try {
      outcomes = await this.nodes.of(network).batch(
        unbound.map(({ c }) =>
          rpcCalls.bibleHash({
            blockHash: c.fields.blockHash,
            blockTime: c.fields.blockTime,
            prevBlockTime: tip.time,
            prevHeight: tip.height,
            nonce: c.fields.nonce,
          }),
        ),
      );
    } catch (error) {
      throw new NodeUnavailableError(`node ${network}: ${(error as Error).message}`);
    }
    unbound.forEach(({ i, c, nodeBibleHash }, k) => {
      const outcome = outcomes[k];
      if (!outcome.ok && !(outcome.error instanceof RpcError)) {
        throw new NodeUnavailableError(`node ${network}: ${outcome.error.message}`);
      }
      if (!outcome.ok || outcome.value !== nodeBibleHash) {
        return reject(
          i,
          RejectReason.blockMismatch,
          `the block hex is not block ${c.fields.blockHash}`,
          c,
        );
      }
      verdicts[i] = this.accepted(network, c, now);
    });
  }

  private accepted(network: Network, c: Candidate, now: Date): Verdict {
    return {
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
        receivedAt: new Date(c.receivedAtMs),
        insertedAt: now,
      },
    };
  }
}

function nodeSaid(error: RpcFailure): string {
  return error instanceof RpcError
    ? `node error ${error.code}: ${error.rpcMessage}`
    : error.message;
}

/**
 * The arrival time a share is credited with. `receivedAt` is the frontend's word (the queue server
 * has already capped it at the delivery): it is taken no later than now and no earlier than the
 * work it quotes was handed out, so a frontend cannot date a share into an earlier round either.
 */
export function creditedReceivedAt(
  claimedMs: number,
  workCreatedMs: number,
  nowMs: number,
): number {
  return Math.max(Math.min(claimedMs, nowMs), Math.min(workCreatedMs, nowMs));
}
