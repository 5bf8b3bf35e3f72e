// `npm run soak -- --minutes M --wallets N --seed S`: the local cluster on a private MariaDB, N
// simulated wallets, and a fault schedule drawn from the seed; then the verdict and a report in
// artifacts/soak/ (docs/SOAK.md). Exits 0 only when every binding check passed.
import 'reflect-metadata';
import { randomInt } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { runSoakToReport } from './soak/soak';

const ROOT = path.join(__dirname, '..');
const USAGE = `usage: npm run soak -- [--minutes M] [--wallets N] [--seed S] [--share-seconds X]
  --minutes M        length of the wallets' run (default 30)
  --wallets N        simulated wallets, one miner address each (default 100)
  --seed S           the fault schedule's seed, 0..4294967295 (default: random, printed)
  --share-seconds X  one share per wallet per X seconds (default 10)`;

function parse(argv: string[]): {
  minutes: number;
  wallets: number;
  seed: number;
  shareSeconds: number;
} {
  const out = { minutes: 30, wallets: 100, seed: randomInt(0, 2 ** 32 - 1), shareSeconds: 10 };
  for (let i = 0; i < argv.length; i += 2) {
    const value = Number(argv[i + 1]);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${argv[i]} needs a number`);
    if (argv[i] === '--minutes' && value > 0) out.minutes = value;
    else if (argv[i] === '--wallets' && Number.isInteger(value) && value > 0) out.wallets = value;
    else if (argv[i] === '--seed' && Number.isInteger(value) && value < 2 ** 32) out.seed = value;
    else if (argv[i] === '--share-seconds' && value > 0) out.shareSeconds = value;
    else throw new Error(`unknown or bad option ${argv[i]} ${argv[i + 1] ?? ''}`);
  }
  return out;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  execFileSync('bash', [path.join(__dirname, 'ensure-services.sh')], { stdio: 'inherit' });
  console.log(`soak: seed ${args.seed} (replay with --seed ${args.seed})`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const result = await runSoakToReport({
    ...args,
    root: ROOT,
    outDir: path.join(ROOT, 'artifacts', 'soak', `${stamp}-seed-${args.seed}`),
  });
  for (const c of result.summary.checks)
    console.log(
      `soak: ${c.pass ? 'PASS' : 'FAIL'}${c.binding ? '' : ' (not binding)'} ${c.name}: ${c.detail}`,
    );
  console.log(`soak: ${result.summary.passed ? 'PASSED' : 'FAILED'}; report ${result.report}`);
  process.exit(result.summary.passed ? 0 : 1);
}

void main();
