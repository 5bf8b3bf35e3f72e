import { Gauge, Registry } from 'prom-client';
import type { LedgerHealth } from './ledger-health';
import type { QueueStats } from './queue-inspector';

/**
 * A gauge is a float64: base units stay exact up to 2^53 (~90 million BBP), far above what a pool
 * owes or holds. The bigint becomes a number here and nowhere earlier.
 */
const gaugeValue = (units: bigint): number => Number(units);

/**
 * The backend's sampled health gauges (monitoring jobs): the ledger and the wallet per network,
 * the node's tip, the solution queue's consumers and the dead-letter queue. Registered by the
 * backend only, so a frontend's /metrics does not list series it would never fill.
 */
export class LedgerGauges {
  private readonly tipTimes = new Map<string, number>();

  private readonly auditOk: Gauge<'network'>;
  private readonly auditProblems: Gauge<'network'>;
  private readonly owed: Gauge<'network'>;
  private readonly spendable: Gauge<'network'>;
  private readonly immature: Gauge<'network'>;
  private readonly shortfall: Gauge<'network'>;
  private readonly oldestOpenPayment: Gauge<'network'>;
  private readonly unclaimedSends: Gauge<'network'>;
  private readonly poolBlocks: Gauge<'network' | 'status'>;
  private readonly sampledAt: Gauge<'network'>;
  private readonly nodeUp: Gauge<'network'>;
  private readonly tipHeight: Gauge<'network'>;
  private readonly consumers: Gauge;
  private readonly deadLettered: Gauge;

  constructor(registry: Registry, reconcileWindowSeconds: number) {
    const gauge = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
      new Gauge<L>({ name, help, labelNames, registers: [registry] });
    const perNetwork = (name: string, help: string) => gauge(name, help, ['network']);
    this.auditOk = perNetwork(
      'purepool_audit_ok',
      'The money audit (npm run cli -- audit) at its last sample: 1 every sum holds, 0 a mismatch.',
    );
    this.auditProblems = perNetwork(
      'purepool_audit_problems',
      'Mismatches the last audit found (0 when it is ok).',
    );
    this.owed = perNetwork(
      'purepool_owed_base_units',
      'What the pool owes: positive miner balances + pool subsidy not yet shared out (base units).',
    );
    this.spendable = perNetwork(
      'purepool_wallet_spendable_base_units',
      "The pool wallet's spendable balance (getwalletinfo balance), base units.",
    );
    this.immature = perNetwork(
      'purepool_wallet_immature_base_units',
      "The pool wallet's immature coinbase balance, base units.",
    );
    this.shortfall = perNetwork(
      'purepool_funding_shortfall_base_units',
      'How much the wallet (spendable + immature) lacks to cover what is owed; 0 when covered.',
    );
    this.oldestOpenPayment = perNetwork(
      'purepool_oldest_open_payment_seconds',
      'Age of the oldest payment not yet proven sent or failed (an open intent); 0 when none.',
    );
    this.unclaimedSends = perNetwork(
      'purepool_unclaimed_wallet_sends',
      'Wallet sends of the pool (purepool: comment, or every output to a miner) that no payment claims; payouts stop while > 0.',
    );
    this.poolBlocks = gauge(
      'purepool_pool_blocks',
      'Pool blocks stored, by status (pending, mature, shared, orphaned).',
      ['network', 'status'],
    );
    this.sampledAt = perNetwork(
      'purepool_ledger_sampled_timestamp_seconds',
      'Unix time of the last complete sample of the ledger gauges.',
    );
    this.nodeUp = perNetwork(
      'purepool_node_up',
      'The node answered the last sample (exec pinfo): 1 yes, 0 no.',
    );
    this.tipHeight = perNetwork('purepool_node_tip_height', "The node's tip height.");
    const tipTimes = this.tipTimes;
    new Gauge({
      name: 'purepool_node_tip_age_seconds',
      help: "Seconds since the node's tip block was made: how long the chain has not moved.",
      labelNames: ['network'],
      registers: [registry],
      collect() {
        for (const [network, tipTimeMs] of tipTimes)
          this.set({ network }, Math.max(0, (Date.now() - tipTimeMs) / 1000));
      },
    });
    this.consumers = gauge(
      'purepool_solution_queue_consumers',
      'Consumers subscribed to the solution queue (every running backend is one).',
    );
    this.deadLettered = gauge(
      'purepool_dead_letter_queue_depth',
      'Messages in the dead-letter queue (purepool.solutions.dead): solutions nobody could read.',
    );
    gauge(
      'purepool_payout_reconcile_window_seconds',
      'PAYOUT_RECONCILE_GRACE_SECONDS: an open payment older than this should have been proven.',
    ).set(reconcileWindowSeconds);
  }

  ledgerSampled(network: string, health: LedgerHealth, at: Date): void {
    this.auditOk.set({ network }, health.auditOk ? 1 : 0);
    this.auditProblems.set({ network }, health.auditProblems);
    this.owed.set({ network }, gaugeValue(health.owed));
    this.spendable.set({ network }, gaugeValue(health.spendable));
    this.immature.set({ network }, gaugeValue(health.immature));
    this.shortfall.set({ network }, gaugeValue(health.shortfall));
    this.oldestOpenPayment.set({ network }, health.oldestOpenPaymentSeconds);
    this.unclaimedSends.set({ network }, health.unclaimedSends);
    for (const [status, n] of health.poolBlocks) this.poolBlocks.set({ network, status }, n);
    this.sampledAt.set({ network }, at.getTime() / 1000);
  }

  nodeAnswered(network: string, tipHeight: number, tipTimeMs: number): void {
    this.nodeUp.set({ network }, 1);
    this.tipHeight.set({ network }, tipHeight);
    this.tipTimes.set(network, tipTimeMs);
  }

  nodeUnreachable(network: string): void {
    this.nodeUp.set({ network }, 0);
  }

  queuesSampled(solutions: QueueStats | null, deadLetters: QueueStats | null): void {
    if (solutions) this.consumers.set(solutions.consumers);
    if (deadLetters) this.deadLettered.set(deadLetters.messages);
  }
}
