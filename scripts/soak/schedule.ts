/**
 * The soak's fault schedule, drawn from a seed: the same seed (and the same run length and
 * cluster shape) gives the same schedule, so a failing soak can be replayed fault for fault.
 */

/** mulberry32: a small, well-mixed 32-bit PRNG; a float in [0, 1) per call. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FAULT_KINDS = [
  'kill-frontend',
  'kill-backend',
  'kill-rabbit',
  'restart-mariadb',
  'node-outage',
  'reorg-shallow',
  'reorg-deep',
  'send-late',
  'send-lost-reply',
  'send-error-after',
  'wallet-locked',
  'junk-burst',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  /** Seconds after the wallets started. */
  at: number;
  kind: FaultKind;
  /** Which frontend/backend/broker node (0-based), when the fault has a victim. */
  target?: number;
  /** How long it lasts: down time before the restart, outage, lock, burst. 0 = one shot. */
  seconds: number;
  /** Reorgs: blocks replaced below the tip. */
  depth?: number;
  /** restart-mariadb: SIGKILL (a crash) or SIGTERM (a clean restart). */
  signal?: 'SIGKILL' | 'SIGTERM';
}

export interface ScheduleShape {
  /** Length of the wallets' run, seconds. */
  seconds: number;
  frontends: number;
  backends: number;
  brokerNodes: number;
  /** Coinbase maturity of the simulated chain: a deep reorg goes deeper than it. */
  maturity: number;
}

/** [min, max] seconds a fault of this kind lasts (0 = one shot). */
const DURATION: Record<FaultKind, [number, number]> = {
  'kill-frontend': [3, 15],
  'kill-backend': [3, 15],
  'kill-rabbit': [5, 20],
  'restart-mariadb': [2, 8],
  'node-outage': [5, 25],
  'reorg-shallow': [0, 0],
  'reorg-deep': [0, 0],
  'send-late': [0, 0],
  'send-lost-reply': [0, 0],
  'send-error-after': [0, 0],
  'wallet-locked': [15, 45],
  'junk-burst': [8, 20],
};

/**
 * The earliest a kind may come, as a fraction of the run: a deep reorg must find pool blocks that
 * already matured and were shared out (and paid), a send fault a payout to hit.
 */
const EARLIEST: Partial<Record<FaultKind, number>> = {
  'reorg-deep': 0.45,
  'send-late': 0.3,
  'send-lost-reply': 0.3,
  'send-error-after': 0.3,
};

/** Faults that take a piece down: two of one kind never overlap (one victim at a time). */
const EXCLUSIVE: ReadonlySet<FaultKind> = new Set([
  'kill-frontend',
  'kill-backend',
  'kill-rabbit',
  'restart-mariadb',
  'node-outage',
  'wallet-locked',
  'junk-burst',
]);

/**
 * Every kind at least once, one more per ten minutes of run, at random times between a warm-up
 * (a tenth of the run, at most a minute) and a cool-down (a fifth, at most three minutes) so the
 * pool ends healed; kinds overlap freely, two faults of one exclusive kind never do.
 */
export function drawSchedule(seed: number, shape: ScheduleShape): Fault[] {
  const random = seededRandom(seed);
  const between = (min: number, max: number): number => min + random() * (max - min);
  const int = (min: number, max: number): number => Math.floor(between(min, max + 1));
  const warm = Math.min(60, shape.seconds * 0.1);
  const cool = Math.min(180, shape.seconds * 0.2);
  const from = warm;
  const to = Math.max(from + 1, shape.seconds - cool);
  const rounds = Math.max(1, Math.round(shape.seconds / 600));
  const faults: Fault[] = [];
  for (const kind of FAULT_KINDS) {
    const [minSeconds, maxSeconds] = DURATION[kind];
    const ofKind: Fault[] = [];
    for (let r = 0; r < rounds; r++) {
      const seconds = Math.round(between(minSeconds, maxSeconds));
      const earliest = Math.max(from, (EARLIEST[kind] ?? 0) * shape.seconds);
      const fault: Fault = { at: Math.round(between(earliest, to - seconds)), kind, seconds };
      if (kind === 'kill-frontend') fault.target = int(0, shape.frontends - 1);
      if (kind === 'kill-backend') fault.target = int(0, shape.backends - 1);
      if (kind === 'kill-rabbit') fault.target = int(0, shape.brokerNodes - 1);
      if (kind === 'restart-mariadb') fault.signal = random() < 0.5 ? 'SIGKILL' : 'SIGTERM';
      if (kind === 'reorg-shallow') fault.depth = int(1, 2);
      if (kind === 'reorg-deep') fault.depth = int(shape.maturity + 1, shape.maturity + 3);
      ofKind.push(fault);
    }
    ofKind.sort((a, b) => a.at - b.at);
    if (EXCLUSIVE.has(kind)) {
      // A restart takes a while after the down time (a broker node: ~10 s): keep a gap.
      for (let i = 1; i < ofKind.length; i++) {
        const free = ofKind[i - 1].at + ofKind[i - 1].seconds + 20;
        if (ofKind[i].at < free) ofKind[i].at = free;
      }
    }
    faults.push(...ofKind.filter((f, i) => i === 0 || f.at + f.seconds <= to));
  }
  return faults.sort((a, b) => a.at - b.at || a.kind.localeCompare(b.kind));
}

export function describeFault(f: Fault): string {
  const parts: string[] = [f.kind];
  if (f.target !== undefined) parts.push(`#${f.target + 1}`);
  if (f.depth !== undefined) parts.push(`depth ${f.depth}`);
  if (f.signal) parts.push(f.signal);
  if (f.seconds > 0) parts.push(`${f.seconds}s`);
  return parts.join(' ');
}
