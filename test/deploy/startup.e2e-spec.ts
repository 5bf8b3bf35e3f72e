import mysql from 'mysql2/promise';
import net from 'node:net';
import { migrationNames } from '../../src/database/database-readiness';
import { isolatedDatabase } from '../support/isolated-database';
import { freePort } from '../support/role-process';
import { roleEnv, roleUrls } from '../support/test-env';
import { runEntry, WatchedProcess, waitHealthy } from './deploy-process';

describe('startup checks', () => {
  it('refuses to start a backend whose schema lacks the latest migration, telling the operator to run db:setup (exit 3), and starts once it is current', async () => {
    const own = await isolatedDatabase('schema');
    try {
      const latest = migrationNames().at(-1)!;
      const [[row]] = await own.db.query<mysql.RowDataPacket[]>(
        'SELECT * FROM migrations WHERE name = ?',
        [latest],
      );
      await own.db.query('DELETE FROM migrations WHERE name = ?', [latest]);
      const env = { ...roleEnv('backend'), DATABASE_URL: own.backendUrl };
      const refused = runEntry('src/main.ts', { ...env, HTTP_PORT: String(await freePort()) });
      // (exit code and output in one object, so a failure shows what the process said)
      expect({ exit: await refused.exited, output: refused.output() }).toEqual({
        exit: 3,
        output: expect.stringContaining(`migration(s) ${latest} not applied`),
      });
      expect(refused.output()).toMatch(/run `npm run db:setup`/);

      // What db:setup records after running the migration.
      await own.db.query('INSERT INTO migrations (id, timestamp, name) VALUES (?, ?, ?)', [
        row.id,
        row.timestamp,
        row.name,
      ]);
      const port = await freePort();
      const started = runEntry('src/main.ts', { ...env, HTTP_PORT: String(port) });
      try {
        // Its /health also asks for a node this test has not: listening is what counts here.
        await eventuallyListening(started, port);
        expect(started.child.exitCode).toBeNull();
      } finally {
        started.kill();
        expect({ exit: await started.exited, output: started.output() }).toMatchObject({ exit: 0 });
      }
    } finally {
      await own.drop();
    }
  });

  it('waits for MySQL with a log line naming the server but not the password, and starts when it comes up', async () => {
    const port = await freePort();
    const real = new URL(roleUrls().frontendDatabaseUrl);
    const viaProxy = new URL(real);
    viaProxy.host = `127.0.0.1:${port}`;
    const httpPort = await freePort();
    const frontend = runEntry('src/main.ts', {
      ...roleEnv('frontend'),
      DATABASE_URL: viaProxy.toString(),
      HTTP_PORT: String(httpPort),
      LOG_LEVEL: 'warn',
    });
    // Nothing listens on `port` yet: MySQL is "down".
    let proxy: net.Server | undefined;
    try {
      await frontend.waitForOutput(
        new RegExp(`waiting for MySQL at 127\\.0\\.0\\.1:${port}${real.pathname}: ECONNREFUSED`),
      );
      expect(frontend.output()).not.toContain(decodeURIComponent(real.password));
      // MySQL "comes up": a TCP relay to the real server on that port.
      proxy = net.createServer((client) => {
        const upstream = net.connect(Number(real.port || 3306), real.hostname);
        client.pipe(upstream).pipe(client);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
      });
      await new Promise<void>((resolve) => proxy!.listen(port, '127.0.0.1', resolve));
      await waitHealthy(frontend, `http://127.0.0.1:${httpPort}`, 60_000);
    } finally {
      frontend.kill();
      await frontend.exited;
      await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
    }
  }, 90_000);
});

/** Waits until the process answers HTTP at all (any status); fails with its output if it exits. */
async function eventuallyListening(proc: WatchedProcess, port: number, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.status,
      () => 0,
    );
    if (status !== 0) return;
    if (proc.child.exitCode !== null || Date.now() > until)
      throw new Error(`not listening on ${port} (exit ${proc.child.exitCode}):\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
