import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Network } from '../../biblepay/network';
import { NodeClients } from '../../biblepay/node-clients';
import { BatchOutcome, RpcError, rpcCalls } from '../../biblepay/rpc';
import { AppConfig } from '../../config/app-config';

export interface ChainTip {
  height: number;
  /** Unix ms of the tip's block time, derived from pinfo's `elapsed`. */
  tipTimeMs: number;
}

/** One block of the node's main chain. */
export interface ChainBlock {
  height: number;
  hash: string;
  /** Block time, unix seconds. */
  time: number;
}

/** Blocks this close to the tip may still be replaced by a reorg: re-read after RECENT_TTL_MS. */
const RECENT_DEPTH = 10;
const RECENT_TTL_MS = 10_000;
/** Heights kept below the tip (a share older than this is stale anyway). */
const KEEP_DEPTH = 2000;

interface NetworkState {
  tip?: { tip: ChainTip; fetchedAt: number };
  pending?: Promise<ChainTip>;
  blocks: Map<number, ChainBlock & { fetchedAt: number }>;
  /** Unix ms at which this backend first saw a height as the node's tip (one-block steps only). */
  appeared: Map<number, number>;
  lastPoll?: { height: number; at: number };
}

/**
 * The chain as share validation needs it, judged as of the moment a share arrived: the node's tip
 * (`exec pinfo`, at most once per NODE_TIP_REFRESH_MS), the hash and time of any recent height
 * (`getblockhash` + `getblock`, cached; reorg-prone heights re-read), and when each new tip
 * appeared. The backend polls the tip in the background, so "when height h+1 appeared" — the moment
 * shares built on h went stale — is known to about a poll interval. Across a node outage nothing is
 * observed, and the block's own time stands in.
 */
/** The name of the tip poller's interval in the SchedulerRegistry. */
export const CHAIN_TIP_POLLER = 'chain-tip-poller';

@Injectable()
export class ChainHistoryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ChainHistoryService.name);
  private readonly networks = new Map<Network, NetworkState>();

  constructor(
    private readonly nodes: NodeClients,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  /**
   * The tip poller, on @nestjs/schedule's registry like every other background timer (as
   * `CHAIN_TIP_POLLER`). Not a leased job: every backend validates against its own view of the tip.
   */
  onApplicationBootstrap(): void {
    if (!this.config.runBackgroundWork) return;
    const every = Math.max(500, this.config.solution.tipRefreshMs);
    const poller = setInterval(() => {
      for (const network of this.config.networks) {
        this.tip(network).catch(() => undefined); // the node may be down; shares wait for it
      }
    }, every);
    poller.unref();
    this.scheduler.addInterval(CHAIN_TIP_POLLER, poller);
  }

  onModuleDestroy(): void {
    // deleteInterval clears the timer too.
    if (this.scheduler.doesExist('interval', CHAIN_TIP_POLLER))
      this.scheduler.deleteInterval(CHAIN_TIP_POLLER);
  }

  async tip(network: Network): Promise<ChainTip> {
    const state = this.stateOf(network);
    if (state.tip && Date.now() - state.tip.fetchedAt < this.config.solution.tipRefreshMs) {
      return state.tip.tip;
    }
    state.pending ??= this.fetchTip(network, state).finally(() => (state.pending = undefined));
    return state.pending;
  }

  /**
   * When `height` became the node's tip as this backend saw it; undefined when it was not seen
   * arriving (an outage, a jump of several blocks between two polls, before the backend started).
   */
  appearedAt(network: Network, height: number): number | undefined {
    return this.stateOf(network).appeared.get(height);
  }

  /**
   * The main-chain blocks at `heights` (absent above the tip). `fresh` re-reads them from the node
   * even when cached (a mismatch may be a reorg the cache has not seen).
   */
  async blocks(
    network: Network,
    heights: Iterable<number>,
    fresh = false,
  ): Promise<Map<number, ChainBlock>> {
    const state = this.stateOf(network);
    const tipHeight = state.tip?.tip.height ?? Infinity;
    const now = Date.now();
    const wanted = [...new Set(heights)].filter((h) => Number.isSafeInteger(h) && h >= 0);
    const missing = wanted.filter((h) => {
      const cached = state.blocks.get(h);
      if (!cached || fresh) return true;
      return h > tipHeight - RECENT_DEPTH && now - cached.fetchedAt > RECENT_TTL_MS;
    });
    if (missing.length > 0) await this.fetchBlocks(network, state, missing);
    const found = new Map<number, ChainBlock>();
    for (const h of wanted) {
      const block = state.blocks.get(h);
      if (block) found.set(h, { height: block.height, hash: block.hash, time: block.time });
    }
    return found;
  }

  private async fetchTip(network: Network, state: NetworkState): Promise<ChainTip> {
    const now = Date.now();
    const info = await this.nodes.of(network).pinfo();
    const tip = { height: info.height, tipTimeMs: now - info.elapsed * 1000 };
    const last = state.lastPoll;
    // Only a one-block step seen by polls close together dates the new tip to this poll.
    if (
      last &&
      info.height === last.height + 1 &&
      now - last.at <= 5 * Math.max(500, this.config.solution.tipRefreshMs)
    ) {
      state.appeared.set(info.height, now);
    }
    state.lastPoll = { height: info.height, at: now };
    state.tip = { tip, fetchedAt: now };
    this.prune(state, info.height);
    return tip;
  }

  private async fetchBlocks(network: Network, state: NetworkState, heights: number[]) {
    const client = this.nodes.of(network);
    const hashes = await client.batch(heights.map((h) => rpcCalls.getBlockHash(h)));
    const known: [number, string][] = [];
    hashes.forEach((outcome: BatchOutcome<string>, i) => {
      if (outcome.ok) known.push([heights[i], outcome.value]);
      else if (!(outcome.error instanceof RpcError)) throw outcome.error;
      else state.blocks.delete(heights[i]); // above the tip now (a rewind): forget it
    });
    if (known.length === 0) return;
    const blocks = await client.batch(known.map(([, hash]) => rpcCalls.getBlock(hash)));
    const now = Date.now();
    blocks.forEach((outcome, i) => {
      const [height, hash] = known[i];
      if (outcome.ok)
        state.blocks.set(height, { height, hash, time: outcome.value.time, fetchedAt: now });
      else if (!(outcome.error instanceof RpcError)) throw outcome.error;
      else this.logger.debug(`block ${hash} at ${height} vanished while reading it`);
    });
  }

  private prune(state: NetworkState, tipHeight: number): void {
    const floor = tipHeight - KEEP_DEPTH;
    for (const height of state.blocks.keys()) if (height < floor) state.blocks.delete(height);
    for (const height of state.appeared.keys()) if (height < floor) state.appeared.delete(height);
  }

  private stateOf(network: Network): NetworkState {
    let state = this.networks.get(network);
    if (!state) {
      state = { blocks: new Map(), appeared: new Map() };
      this.networks.set(network, state);
    }
    return state;
  }
}
