import { DEFAULT_FAIL_CODE, DEFAULT_FAIL_MESSAGE, FailRule } from './options';
import { RpcError } from './rpc-error';

/**
 * Fault knobs that act on single calls: added latency, injected failures, lost replies.
 * (Node down and wallet faults live with the server and the wallet.) Method "*" matches any
 * method; a rule for the exact method wins over "*".
 */
export class SimFaults {
  latencyMs = 0;
  readonly methodLatencyMs = new Map<string, number>();
  readonly failRates = new Map<string, FailRule>();
  /** Deterministic failures: the next `count` calls of the method fail. */
  readonly failNext = new Map<string, FailRule & { count: number }>();
  /** The next `count` calls of the method run, then their connection is destroyed unanswered. */
  readonly loseReplies = new Map<string, number>();
  /** The next `count` calls of the method run (a send commits), then answer this error anyway. */
  readonly errorsAfter = new Map<string, FailRule & { count: number }>();
  /**
   * The next `count` calls of the method wait `afterMs` before they run, and then run even when
   * the client gave up meanwhile: a node busy (a rescan, a long `listtransactions`) still works
   * through its queued requests, so a send the client timed out on commits late.
   */
  readonly runLate = new Map<string, { afterMs: number; count: number }>();
  /**
   * Reorganisations tied to a call: the chain is reorganised from `height` (its new block paying
   * `recipient`) right before or right after the next call of `method` whose first parameter is
   * `param` (any when unset) — a reorg that falls between two calls of a client's walk. One-shot.
   */
  readonly reorgOnCall: ReorgOnCall[] = [];
  /**
   * The next `count` HTTP requests that call the method ("*": any) find the RPC work queue full:
   * HTTP 500 "Work queue depth exceeded", nothing runs (src/httpserver.cpp:297 @1.2.0.1).
   */
  readonly busy = new Map<string, number>();

  constructor(private readonly random: () => number) {}

  reset(): void {
    this.latencyMs = 0;
    this.methodLatencyMs.clear();
    this.failRates.clear();
    this.failNext.clear();
    this.loseReplies.clear();
    this.errorsAfter.clear();
    this.runLate.clear();
    this.reorgOnCall.length = 0;
    this.busy.clear();
  }

  /** The reorganisation due at this point of this call, if any (and forgets it). */
  takeReorg(
    method: string,
    params: readonly unknown[],
    when: 'before' | 'after',
  ): ReorgOnCall | undefined {
    const i = this.reorgOnCall.findIndex(
      (r) =>
        r.method === method &&
        r.when === when &&
        (r.param === undefined || String(params[0]) === String(r.param)),
    );
    return i < 0 ? undefined : this.reorgOnCall.splice(i, 1)[0];
  }

  /** How long this call must wait before it runs (and counts it down); 0 when it is not late. */
  takeRunLate(method: string): number {
    const rule = this.runLate.get(method);
    if (!rule || rule.count <= 0) return 0;
    rule.count -= 1;
    if (rule.count === 0) this.runLate.delete(method);
    return rule.afterMs;
  }

  /** True (and counts down) when a request calling these methods meets a full work queue. */
  takeBusy(methods: readonly string[]): boolean {
    const key = methods.find((m) => this.busy.has(m)) ?? (this.busy.has('*') ? '*' : undefined);
    if (key === undefined) return false;
    const left = this.busy.get(key) ?? 0;
    if (left <= 1) this.busy.delete(key);
    else this.busy.set(key, left - 1);
    return left > 0;
  }

  /** The error to answer after this call did its work, if one is due (and counts it down). */
  takeErrorAfter(method: string): RpcError | undefined {
    const rule = this.errorsAfter.get(method);
    if (!rule || rule.count <= 0) return undefined;
    rule.count -= 1;
    if (rule.count === 0) this.errorsAfter.delete(method);
    return new RpcError(rule.code, rule.message);
  }

  latencyFor(method: string): number {
    return this.methodLatencyMs.get(method) ?? this.methodLatencyMs.get('*') ?? 0;
  }

  /** The injected error for this call, if one fires. */
  failureFor(method: string): RpcError | undefined {
    const next = this.failNext.get(method) ?? this.failNext.get('*');
    if (next && next.count > 0) {
      next.count -= 1;
      if (next.count === 0) this.failNext.delete(this.failNext.has(method) ? method : '*');
      return new RpcError(next.code, next.message);
    }
    const rule = this.failRates.get(method) ?? this.failRates.get('*');
    if (rule && rule.rate > 0 && this.random() < rule.rate)
      return new RpcError(rule.code, rule.message);
    return undefined;
  }

  /** True (and counts down) when this call's reply must be lost. */
  takeLostReply(method: string): boolean {
    const key = this.loseReplies.has(method) ? method : this.loseReplies.has('*') ? '*' : undefined;
    if (key === undefined) return false;
    const left = this.loseReplies.get(key) ?? 0;
    if (left <= 1) this.loseReplies.delete(key);
    else this.loseReplies.set(key, left - 1);
    return left > 0;
  }

  static rule(rate: number, code?: number, message?: string): FailRule {
    return { rate, code: code ?? DEFAULT_FAIL_CODE, message: message ?? DEFAULT_FAIL_MESSAGE };
  }

  describe(): Record<string, unknown> {
    return {
      latency_ms: this.latencyMs,
      method_latency_ms: Object.fromEntries(this.methodLatencyMs),
      fail_rates: Object.fromEntries(this.failRates),
      fail_next: Object.fromEntries(this.failNext),
      lose_replies: Object.fromEntries(this.loseReplies),
      errors_after: Object.fromEntries(this.errorsAfter),
      run_late: Object.fromEntries(this.runLate),
      reorg_on_call: this.reorgOnCall,
      busy: Object.fromEntries(this.busy),
    };
  }
}

export interface ReorgOnCall {
  method: string;
  /** The call's first parameter (a height for getblockhash); unset: any call of the method. */
  param?: string | number;
  when: 'before' | 'after';
  /** Reorganise from this height (through the tip). */
  height: number;
  recipient?: string;
  minerGuid?: string;
}
