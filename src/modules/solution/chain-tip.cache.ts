import { Injectable } from '@nestjs/common';
import { Network } from '../../biblepay/network';
import { NodeClients } from '../../biblepay/node-clients';
import { AppConfig } from '../../config/app-config';

export interface ChainTip {
  height: number;
  /** Unix ms of the tip's block time, derived from pinfo's `elapsed`. */
  tipTimeMs: number;
}

/** The node's max nonce rule (docs/PROTOCOL.md §2): max(512, elapsed*256), 999999999 after 30 min. */
export function maxNonce(tip: ChainTip, nowMs: number): number {
  const elapsed = Math.max(0, Math.floor((nowMs - tip.tipTimeMs) / 1000));
  if (elapsed > 30 * 60) return 999_999_999;
  return Math.max(512, elapsed * 256);
}

/**
 * `exec pinfo` at most once per NODE_TIP_REFRESH_MS per network; between calls the max nonce is
 * derived from the tip time, so validating thousands of shares costs one pinfo, not thousands.
 */
@Injectable()
export class ChainTipCache {
  private readonly tips = new Map<Network, { tip: ChainTip; fetchedAt: number }>();
  private readonly pending = new Map<Network, Promise<ChainTip>>();

  constructor(
    private readonly nodes: NodeClients,
    private readonly config: AppConfig,
  ) {}

  async get(network: Network): Promise<ChainTip> {
    const cached = this.tips.get(network);
    if (cached && Date.now() - cached.fetchedAt < this.config.solution.tipRefreshMs)
      return cached.tip;
    let inFlight = this.pending.get(network);
    if (!inFlight) {
      inFlight = this.fetch(network).finally(() => this.pending.delete(network));
      this.pending.set(network, inFlight);
    }
    return inFlight;
  }

  private async fetch(network: Network): Promise<ChainTip> {
    const now = Date.now();
    const info = await this.nodes.of(network).pinfo();
    const tip = { height: info.height, tipTimeMs: now - info.elapsed * 1000 };
    this.tips.set(network, { tip, fetchedAt: now });
    return tip;
  }
}
