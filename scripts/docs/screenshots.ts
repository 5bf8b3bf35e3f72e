// `npm run docs:screenshots -- http://127.0.0.1:8000 ADDRESS`: the README's pictures of a running
// pool (start one with `npm run demo`, wait for the first payouts, pass one of the miner addresses
// it prints). Drives Debian's chromium with playwright-core, as the browser tests do
// (scripts/ensure-chromium.sh installs it; CHROMIUM_PATH overrides the path).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function main(): Promise<void> {
  const [base, address] = process.argv.slice(2);
  if (!base || !address) throw new Error('usage: docs:screenshots -- BASE_URL MINER_ADDRESS');
  const out = join(__dirname, '..', '..', 'docs', 'images');
  const profile = mkdtempSync(join(tmpdir(), 'purepool-screenshots-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = await context.newPage();
    const shots: [string, string][] = [
      [`${base}/main/statistics`, 'statistics.png'],
      [`${base}/main/miner/${address}/`, 'miner.png'],
    ];
    for (const [url, file] of shots) {
      await page.goto(url, { waitUntil: 'networkidle' });
      await page.screenshot({ path: join(out, file), fullPage: false });
      console.log(`wrote docs/images/${file} from ${url}`);
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
