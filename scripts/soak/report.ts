import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeFault } from './schedule';
import { Check } from './verdict';
import { Sample, SoakRun, TimelineEvent } from './runner';

export interface SoakSummary {
  seed: number;
  minutes: number;
  wallets: number;
  passed: boolean;
  checks: Check[];
  schedule: { at: number; fault: string }[];
  events: TimelineEvent[];
  wallets_log: {
    answers: number;
    ok: number;
    refused: Record<string, number>;
    failures: Record<string, number>;
  };
  samples: Sample[];
  replay: string;
}

export function summarise(run: SoakRun, checks: Check[]): SoakSummary {
  const o = run.options;
  return {
    seed: o.seed,
    minutes: o.minutes,
    wallets: o.wallets,
    passed: checks.every((c) => c.pass || !c.binding),
    checks,
    schedule: run.schedule.map((f) => ({ at: f.at, fault: describeFault(f) })),
    events: run.events,
    wallets_log: {
      answers: run.tally.answers,
      ok: run.tally.ok,
      refused: run.tally.refused,
      failures: run.tally.failures,
    },
    samples: run.samples,
    replay: `npm run soak -- --minutes ${o.minutes} --wallets ${o.wallets} --seed ${o.seed}`,
  };
}

const COLOURS = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#393b79',
  '#637939',
];

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The timeline: four panels over one time axis, every fault a shaded band with its label. */
export function timelineSvg(summary: SoakSummary): string {
  const samples = summary.samples;
  const width = 1200;
  const left = 70;
  const right = 190;
  const plotW = width - left - right;
  const faults = faultSpans(summary.events);
  const laneH = 13;
  const tMax = Math.max(1, ...samples.map((s) => s.t), ...summary.events.map((e) => e.t));
  const lanes = assignLanes(faults, tMax / plotW);
  const top = 30 + (Math.max(...lanes, -1) + 1) * laneH;
  const panelH = 130;
  const gap = 28;
  const panels = [
    'solutions answered ok per second',
    'errors per interval, by kind',
    'solution queue depth (and dead letters)',
    'resident memory per process, MiB',
  ];
  const height = top + panels.length * (panelH + gap) + 30;
  const x = (t: number): number => left + (t / tMax) * plotW;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="16" font-size="13" font-weight="bold">soak seed ${summary.seed}: ${summary.minutes} min, ${summary.wallets} wallets — ${summary.passed ? 'PASSED' : 'FAILED'}</text>`,
  ];
  const bottom = height - 30;
  faults.forEach((f, i) => {
    const x0 = x(f.start);
    const x1 = Math.max(x0 + 2, x(f.end ?? tMax));
    const y = 24 + lanes[i] * laneH;
    const colour = f.failed ? '#d62728' : '#888';
    out.push(
      `<rect x="${x0.toFixed(1)}" y="${y}" width="${(x1 - x0).toFixed(1)}" height="${bottom - y}" fill="${colour}" fill-opacity="0.08"/>`,
      `<line x1="${x0.toFixed(1)}" y1="${y}" x2="${x0.toFixed(1)}" y2="${bottom}" stroke="${colour}" stroke-opacity="0.5" stroke-dasharray="2,2"/>`,
      `<text x="${(x0 + 2).toFixed(1)}" y="${y + 10}" fill="${colour}">${esc(f.label)}${f.failed ? ' (failed)' : ''}</text>`,
    );
  });
  panels.forEach((title, p) => {
    const y0 = top + p * (panelH + gap) + gap;
    out.push(
      `<text x="${left}" y="${y0 - 6}" font-weight="bold">${esc(title)}</text>`,
      `<rect x="${left}" y="${y0}" width="${plotW}" height="${panelH}" fill="none" stroke="#ccc"/>`,
    );
    const series: { name: string; points: [number, number][] }[] = [];
    let stacked = false;
    if (p === 0) series.push({ name: 'ok/s', points: samples.map((s) => [s.t, s.okPerSecond]) });
    if (p === 1) {
      stacked = true;
      const totals = new Map<string, number>();
      for (const s of samples)
        for (const [k, n] of Object.entries(s.errors)) totals.set(k, (totals.get(k) ?? 0) + n);
      const kinds = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
      const shown = kinds.slice(0, 7);
      for (const k of shown)
        series.push({ name: k, points: samples.map((s) => [s.t, s.errors[k] ?? 0]) });
      if (kinds.length > shown.length) {
        series.push({
          name: 'other',
          points: samples.map((s) => [
            s.t,
            Object.entries(s.errors)
              .filter(([k]) => !shown.includes(k))
              .reduce((a, [, n]) => a + n, 0),
          ]),
        });
      }
    }
    if (p === 2) {
      series.push({
        name: 'queue',
        points: samples.filter((s) => s.queue !== null).map((s) => [s.t, s.queue ?? 0]),
      });
      series.push({
        name: 'dead letters',
        points: samples.filter((s) => s.deadLetters !== null).map((s) => [s.t, s.deadLetters ?? 0]),
      });
    }
    if (p === 3) {
      const names = [...new Set(samples.flatMap((s) => Object.keys(s.rssMb)))].sort();
      for (const n of names)
        series.push({
          name: n,
          points: samples.filter((s) => s.rssMb[n] !== undefined).map((s) => [s.t, s.rssMb[n]]),
        });
    }
    let yMax = 1;
    if (stacked) {
      for (const s of samples)
        yMax = Math.max(
          yMax,
          Object.values(s.errors).reduce((a, b) => a + b, 0),
        );
    } else {
      for (const s of series) for (const [, v] of s.points) yMax = Math.max(yMax, v);
    }
    yMax *= 1.1;
    const y = (v: number): number => y0 + panelH - (v / yMax) * panelH;
    out.push(
      `<text x="${left - 6}" y="${y0 + 10}" text-anchor="end">${fmt(yMax)}</text>`,
      `<text x="${left - 6}" y="${y0 + panelH}" text-anchor="end">0</text>`,
    );
    if (stacked) {
      const barW = Math.max(1, plotW / Math.max(1, samples.length) - 1);
      samples.forEach((s, i) => {
        let base = 0;
        series.forEach((ser, k) => {
          const v = ser.points[i][1];
          if (v <= 0) return;
          out.push(
            `<rect x="${(x(s.t) - barW).toFixed(1)}" y="${y(base + v).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + v)).toFixed(1)}" fill="${COLOURS[k % COLOURS.length]}"/>`,
          );
          base += v;
        });
      });
    } else {
      series.forEach((ser, k) => {
        if (ser.points.length === 0) return;
        const d = ser.points
          .map(([t, v], i) => `${i ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`)
          .join(' ');
        out.push(
          `<path d="${d}" fill="none" stroke="${COLOURS[k % COLOURS.length]}" stroke-width="1.5"/>`,
        );
      });
    }
    series.slice(0, 12).forEach((ser, k) => {
      const ly = y0 + 10 + k * 12;
      out.push(
        `<rect x="${left + plotW + 8}" y="${ly - 8}" width="10" height="8" fill="${COLOURS[k % COLOURS.length]}"/>`,
        `<text x="${left + plotW + 22}" y="${ly}">${esc(ser.name.slice(0, 28))}</text>`,
      );
    });
  });
  for (let i = 0; i <= 10; i++) {
    const t = (tMax * i) / 10;
    out.push(
      `<text x="${x(t).toFixed(1)}" y="${bottom + 14}" text-anchor="middle">${Math.round(t)} s</text>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}

function fmt(v: number): string {
  return v >= 100 ? String(Math.round(v)) : v.toFixed(1);
}

interface Span {
  label: string;
  start: number;
  end?: number;
  failed: boolean;
}

function faultSpans(events: TimelineEvent[]): Span[] {
  const spans: Span[] = [];
  const open = new Map<string, Span[]>();
  for (const e of events) {
    if (e.phase === 'start') {
      const s: Span = { label: e.fault, start: e.t, failed: false };
      spans.push(s);
      open.set(e.fault, [...(open.get(e.fault) ?? []), s]);
    } else {
      const s = open.get(e.fault)?.shift();
      if (s) {
        s.end = e.t;
        s.failed = e.phase === 'failed';
      }
    }
  }
  return spans;
}

/** Label rows so no two overlapping faults (or their labels, ~6 px a character) share one. */
function assignLanes(spans: Span[], secondsPerPx: number): number[] {
  const laneEnd: number[] = [];
  return spans.map((s) => {
    let lane = laneEnd.findIndex((end) => end <= s.start);
    if (lane < 0) lane = laneEnd.length;
    const labelEnd = s.start + (s.label.length * 6 + 12) * secondsPerPx;
    laneEnd[lane] = Math.max(s.end ?? s.start, labelEnd);
    return lane;
  });
}

export function markdown(summary: SoakSummary, svgName: string): string {
  const lines = [
    `# Soak, seed ${summary.seed}: ${summary.passed ? 'PASSED' : 'FAILED'}`,
    '',
    `${summary.minutes} minutes, ${summary.wallets} wallets. Replay: \`${summary.replay}\``,
    '',
    `![timeline](${svgName})`,
    '',
    '## Verdict',
    '',
    '| check | result | detail |',
    '|---|---|---|',
    ...summary.checks.map(
      (c) =>
        `| ${c.name} | ${c.pass ? 'pass' : 'FAIL'}${c.binding ? '' : ' (not binding)'} | ${c.detail.replace(/\|/g, '\\|')} |`,
    ),
    '',
    '## Faults',
    '',
    '| t (s) | fault | what happened |',
    '|---|---|---|',
    ...summary.events.map(
      (e) => `| ${e.t} | ${e.fault} | ${e.phase}${e.detail ? `: ${e.detail}` : ''} |`,
    ),
    '',
    '## The wallets',
    '',
    `${summary.wallets_log.answers} solution answers, ${summary.wallets_log.ok} ok.`,
    '',
    '| kind | count |',
    '|---|---|',
    ...Object.entries({ ...summary.wallets_log.refused, ...summary.wallets_log.failures })
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `| ${k.replace(/\|/g, '\\|')} | ${n} |`),
    '',
  ];
  return lines.join('\n');
}

/** Writes summary.json, report.md and timeline.svg into `dir`; returns the report's path. */
export function writeReport(dir: string, summary: SoakSummary): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(path.join(dir, 'timeline.svg'), timelineSvg(summary));
  const report = path.join(dir, 'report.md');
  writeFileSync(report, markdown(summary, 'timeline.svg'));
  return report;
}
