import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';

const run = promisify(execFile);

/**
 * A MariaDB server of the soak's own (own datadir, own port, own socket): the machine's MariaDB is
 * shared, so the soak crashes and restarts this one, never that.
 */
export class PrivateMariadb {
  pid = 0;
  /** Every pid this instance ever had (the no-process-left check looks at all of them). */
  readonly pids: number[] = [];

  constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get adminUrl(): string {
    return `mysql://root@127.0.0.1:${this.port}`;
  }

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Creates the datadir (system tables, root without password on loopback) and starts it. */
  async init(): Promise<void> {
    const data = path.join(this.dir, 'data');
    if (!existsSync(data)) {
      mkdirSync(this.dir, { recursive: true });
      await run(
        'mariadb-install-db',
        [
          '--no-defaults',
          `--datadir=${data}`,
          '--user=root',
          '--auth-root-authentication-method=normal',
          '--skip-test-db',
        ],
        { timeout: 120_000 },
      );
    }
    await this.start();
  }

  /** Starts mariadbd detached in its own process group and waits until it answers a query. */
  async start(): Promise<void> {
    const fd = openSync(path.join(this.dir, 'mariadbd.log'), 'a');
    const child = spawn(
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${path.join(this.dir, 'data')}`,
        '--user=root',
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${path.join(this.dir, 'mariadbd.sock')}`,
        `--pid-file=${path.join(this.dir, 'mariadbd.pid')}`,
        '--skip-log-bin',
        '--innodb-buffer-pool-size=128M',
        '--max-connections=500',
        '--skip-name-resolve',
      ],
      { stdio: ['ignore', fd, fd], detached: true },
    );
    closeSync(fd);
    child.unref();
    if (child.pid === undefined) throw new Error('mariadbd did not start');
    this.pid = child.pid;
    this.pids.push(child.pid);
    await this.waitReady();
  }

  async waitReady(ms = 60_000): Promise<void> {
    const until = Date.now() + ms;
    for (;;) {
      try {
        const c = await mysql.createConnection({ uri: this.adminUrl, connectTimeout: 2000 });
        await c.query('SELECT 1');
        await c.end();
        return;
      } catch (error) {
        if (Date.now() > until)
          throw new Error(`private mariadbd on ${this.port} did not answer`, { cause: error });
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  kill(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch {
      // already gone
    }
  }

  /** Waits (up to `ms`) for the current pid to exit. */
  async exited(ms = 60_000): Promise<boolean> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      try {
        process.kill(this.pid, 0);
      } catch {
        return true;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }

  /** SIGTERM (InnoDB shuts down cleanly), SIGKILL after 30 s. */
  async stop(): Promise<void> {
    if (!this.pid) return;
    this.kill('SIGTERM');
    if (!(await this.exited(30_000))) {
      this.kill('SIGKILL');
      await this.exited(10_000);
    }
  }
}
