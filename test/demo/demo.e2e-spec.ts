import { spawn } from 'node:child_process';
import path from 'node:path';
import { SetupConfig } from '../../src/config/setup-config';
import { dropDatabase } from '../../src/database/setup/database-provisioner';
import { brokerAdminFor } from '../../src/messaging/setup/broker-admin';
import { dropBroker } from '../../src/messaging/setup/broker-provisioner';
import { freePort } from '../support/role-process';
import { runId } from '../support/test-env';

describe('npm run demo', () => {
  it('brings up a pool whose API shows a payout within minutes, and Ctrl-C stops it cleanly', async () => {
    const database = `ppdemo_${runId()}`;
    const [web, backend, node] = [await freePort(), await freePort(), await freePort()];
    // What `npm run demo` runs, started directly so the test can send it the Ctrl-C.
    const demo = spawn(process.execPath, ['-r', '@swc-node/register', 'scripts/demo.ts'], {
      cwd: path.join(__dirname, '..', '..'),
      env: {
        ...process.env,
        DEMO_DATABASE: database,
        DEMO_HTTP_PORT: String(web),
        DEMO_BACKEND_PORT: String(backend),
        DEMO_NODE_PORT: String(node),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    demo.stdout.on('data', (c: Buffer) => (output += c.toString()));
    demo.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) =>
      demo.once('exit', (code) => resolve(code)),
    );
    try {
      const addresses = await new Promise<string[]>((resolve, reject) => {
        const timer = setInterval(() => {
          const found = [...output.matchAll(/demo: miner (\w{34}):/g)].map((m) => m[1]);
          if (output.includes('Ctrl-C stops everything') && found.length > 0) {
            clearInterval(timer);
            resolve(found);
          }
          if (output.includes('demo failed')) {
            clearInterval(timer);
            reject(new Error(output));
          }
        }, 200);
      });
      let payouts = 0;
      const until = Date.now() + 150_000;
      while (payouts === 0 && Date.now() < until) {
        for (const address of addresses) {
          const res = await fetch(
            `http://127.0.0.1:${web}/api/v1/pools/main/miners/${address}/payments`,
          );
          if (res.status === 200) payouts += ((await res.json()) as { total: number }).total;
        }
        if (payouts === 0) await new Promise((r) => setTimeout(r, 2000));
      }
      expect(payouts).toBeGreaterThan(0);
      const page = await fetch(`http://127.0.0.1:${web}/main/statistics`);
      expect(page.status).toBe(200);
    } finally {
      demo.kill('SIGINT');
      const code = await exited;
      expect(code).toBe(0);
      expect(output).toContain('demo: stopped');
      const setup = new SetupConfig({
        FRONTEND_DATABASE_URL: `mysql://${database}_fe:x@127.0.0.1:3306/${database}`,
        BACKEND_DATABASE_URL: `mysql://${database}_be:x@127.0.0.1:3306/${database}`,
        FRONTEND_AMQP_URL: `amqp://${database}_fe:x@127.0.0.1:5672/${database}`,
        BACKEND_AMQP_URL: `amqp://${database}_be:x@127.0.0.1:5672/${database}`,
      });
      await dropDatabase(setup);
      await dropBroker(setup, brokerAdminFor(process.env.RABBITMQ_MANAGEMENT_URL));
    }
  }, 240_000);
});
