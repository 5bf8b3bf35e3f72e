import { endedPromptly } from './answer-readers';
import type { WalletResponse } from './wallet-http-client';

export interface AnswerTimingSummary {
  answers: number;
  /** Finished by a terminator or the length rule; the rest waited for a close or the timeout. */
  prompt: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Wall-clock time of every answer, per action, as the wallet experienced it. */
export class AnswerTimings {
  private readonly byAction = new Map<string, { ms: number[]; prompt: number }>();

  record(action: string, answer: WalletResponse): void {
    let entry = this.byAction.get(action);
    if (!entry) this.byAction.set(action, (entry = { ms: [], prompt: 0 }));
    entry.ms.push(answer.elapsedMs);
    if (endedPromptly(answer.endedBy)) entry.prompt++;
  }

  summary(): Record<string, AnswerTimingSummary> {
    const out: Record<string, AnswerTimingSummary> = {};
    for (const [action, { ms, prompt }] of this.byAction) {
      const sorted = [...ms].sort((a, b) => a - b);
      const at = (q: number): number =>
        round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
      out[action] = { answers: ms.length, prompt, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
    }
    return out;
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
