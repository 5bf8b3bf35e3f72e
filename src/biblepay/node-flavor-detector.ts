import { flavorFromVersion, NodeFlavor, NodeFlavorSetting, versionText } from './node-flavor';
import { Network } from './network';
import { BiblepayRpcClient } from './rpc';

/** A detected generation is asked again after this: an operator may upgrade the node under the pool. */
const REDETECT_MS = 10 * 60_000;

export interface NodeFlavorReport {
  setting: NodeFlavorSetting;
  /** The generation the pool uses; null while `auto` and the node has not answered yet. */
  flavor: NodeFlavor | null;
  /** The node's version as getnetworkinfo gave it ("1.2.0.1"); null until it answered. */
  version: string | null;
  /** The pool address's label (its account in the node's wallet); "" = none, null = not asked. */
  poolAddressLabel: string | null;
  /** Things the operator must fix: a setting that contradicts the node, a labelled pool address. */
  warnings: string[];
}

/**
 * Finds out which BiblePay generation one network's node is (node-flavor.ts) and whether the pool
 * address carries a label. A labelled address books its coinbase in that label's account, while
 * `sendmany ""` spends only from the "" account: the node then answers -6 "Account has insufficient
 * funds" although the wallet holds the money (GetAccountAmounts, src/wallet/wallet.cpp:1356-1390
 * @1.2.0.1; `validateaddress` names the label as `account`, src/rpcmisc.cpp:365 @1.2.0.1,
 * src/rpc/misc.cpp:377 @1.4.8.4). docs/RUNBOOK.md "The pool address must carry no label".
 */
export class NodeFlavorDetector {
  private detected: { flavor: NodeFlavor; version: string; at: number } | null = null;
  private label: string | null = null;
  private pending: Promise<NodeFlavorReport> | null = null;

  constructor(
    private readonly network: Network,
    private readonly client: BiblepayRpcClient,
    private readonly setting: NodeFlavorSetting,
    private readonly poolAddress: () => string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The generation to build calls for: the setting when explicit, else the node's own answer. */
  async flavor(): Promise<NodeFlavor> {
    if (this.setting !== 'auto') return this.setting;
    if (this.detected && this.now() - this.detected.at < REDETECT_MS) return this.detected.flavor;
    const report = await this.detect();
    // detect() only resolves with a flavor (it rejects when the node cannot be asked).
    return report.flavor as NodeFlavor;
  }

  /** Asks the node (getnetworkinfo, validateaddress of the pool address); one call at a time. */
  detect(): Promise<NodeFlavorReport> {
    this.pending ??= this.ask().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  report(): NodeFlavorReport {
    const flavor = this.setting !== 'auto' ? this.setting : (this.detected?.flavor ?? null);
    const version = this.detected?.version ?? null;
    const warnings: string[] = [];
    if (this.setting !== 'auto' && this.detected && this.detected.flavor !== this.setting) {
      warnings.push(
        `NODE_FLAVOR_${this.network.toUpperCase()}=${this.setting} but the node is ${this.detected.flavor} ${this.detected.version}`,
      );
    }
    if (this.label) {
      warnings.push(
        `the pool address carries the label "${this.label}": its coins are not in the "" account that sendmany spends (docs/RUNBOOK.md)`,
      );
    }
    return { setting: this.setting, flavor, version, poolAddressLabel: this.label, warnings };
  }

  private async ask(): Promise<NodeFlavorReport> {
    const info = await this.client.getNetworkInfo();
    this.detected = {
      flavor: flavorFromVersion(info.version),
      version: versionText(info.version),
      at: this.now(),
    };
    const address = await this.client.validateAddress(this.poolAddress());
    this.label = address.account ?? '';
    return this.report();
  }
}
