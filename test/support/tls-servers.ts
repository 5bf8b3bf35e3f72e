import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { freePort } from './role-process';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');

/** Every server started here, stopped when the test process exits whatever happened. */
const running = new Set<ChildProcess>();
/** RabbitMQ nodes run detached (not our children): stopped by name. */
const rabbitEnvs = new Map<string, NodeJS.ProcessEnv>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
  for (const env of rabbitEnvs.values()) {
    try {
      execFileSync('rabbitmqctl', ['-q', 'stop'], { env, timeout: 30_000, stdio: 'ignore' });
    } catch {
      // already stopped
    }
  }
});

/** `scripts/tls-certificates.sh DIR NAME [SAN…]`, as the runbook has the operator run it. */
export function makeCertificate(
  dir: string,
  name: string,
  sans: string[] = ['localhost', '127.0.0.1'],
  days?: number,
): { cert: string; key: string; ca: string } {
  execFileSync('bash', [path.join(ROOT, 'scripts', 'tls-certificates.sh'), dir, name, ...sans], {
    env: { ...process.env, ...(days === undefined ? {} : { DAYS: String(days) }) },
    stdio: 'ignore',
  });
  return {
    cert: path.join(dir, `${name}.crt`),
    key: path.join(dir, `${name}.key`),
    ca: path.join(dir, 'ca.crt'),
  };
}

async function until(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not come up within ${ms / 1000} s`);
}

export interface TlsMariadb {
  port: number;
  /** Swaps the server's certificate files and reloads them (FLUSH SSL), as a rotation does. */
  useCertificate(cert: { cert: string; key: string }): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A second MariaDB server of our own: its own data dir and port on loopback, TLS from the given
 * files (the RUNBOOK's ssl_cert / ssl_key / ssl_ca), root without a password over TCP.
 */
export async function startTlsMariadb(
  dir: string,
  files: { cert: string; key: string; ca: string },
): Promise<TlsMariadb> {
  const data = path.join(dir, 'data');
  mkdirSync(dir, { recursive: true });
  const cert = path.join(dir, 'server-current.crt');
  const key = path.join(dir, 'server-current.key');
  const install = (source: { cert: string; key: string }) => {
    execFileSync('cp', [source.cert, cert]);
    execFileSync('cp', [source.key, key]);
  };
  install(files);
  await run(
    'mariadb-install-db',
    [
      '--no-defaults',
      `--datadir=${data}`,
      '--user=root',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ],
    { timeout: 60_000 },
  );
  const port = await freePort();
  const child = spawn(
    'mariadbd',
    [
      '--no-defaults',
      `--datadir=${data}`,
      '--user=root',
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${path.join(dir, 'mysqld.sock')}`,
      `--pid-file=${path.join(dir, 'mysqld.pid')}`,
      `--log-error=${path.join(dir, 'error.log')}`,
      '--skip-log-bin',
      '--innodb-buffer-pool-size=16M',
      `--ssl-cert=${cert}`,
      `--ssl-key=${key}`,
      `--ssl-ca=${files.ca}`,
    ],
    { stdio: 'ignore' },
  );
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const admin = () =>
    mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 2000 });
  await until(
    'the TLS MariaDB',
    async () => {
      await (await admin()).end();
      return true;
    },
    60_000,
  );
  return {
    port,
    useCertificate: async (next) => {
      install(next);
      const conn = await admin();
      try {
        await conn.query('FLUSH SSL');
      } finally {
        await conn.end();
      }
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
        child.kill('SIGKILL');
      }
      running.delete(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TlsRabbitmq {
  port: number;
  /** The node name, for rabbitmqctl (`RABBITMQ_NODENAME`, which db:setup's rabbitmqctl reads). */
  nodeName: string;
  useCertificate(cert: { cert: string; key: string }): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A second RabbitMQ node: its own name, data dir and ports, a TLS listener only (no plain AMQP),
 * no plugins. The RUNBOOK's rabbitmq.conf lines are the ones written here.
 */
export async function startTlsRabbitmq(
  dir: string,
  files: { cert: string; key: string; ca: string },
  id: string,
): Promise<TlsRabbitmq> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const distPort = await freePort();
  const nodeName = `purepool-tls-${id}@localhost`;
  const cert = path.join(dir, 'server-current.crt');
  const key = path.join(dir, 'server-current.key');
  const install = (source: { cert: string; key: string }) => {
    execFileSync('cp', [source.cert, cert]);
    execFileSync('cp', [source.key, key]);
    chmodSync(key, 0o644); // the node runs as the rabbitmq user; this key is a throwaway
  };
  install(files);
  execFileSync('cp', [files.ca, path.join(dir, 'ca.crt')]);
  writeFileSync(
    path.join(dir, 'rabbitmq.conf'),
    [
      'listeners.tcp = none',
      `listeners.ssl.default = 127.0.0.1:${port}`,
      `ssl_options.cacertfile = ${path.join(dir, 'ca.crt')}`,
      `ssl_options.certfile = ${cert}`,
      `ssl_options.keyfile = ${key}`,
      'ssl_options.verify = verify_none',
      'ssl_options.fail_if_no_peer_cert = false',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(dir, 'enabled_plugins'), '[].\n');
  execFileSync('chmod', ['-R', 'a+rwX', dir]);
  const env = {
    ...process.env,
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: path.join(dir, 'log'),
    RABBITMQ_CONFIG_FILE: path.join(dir, 'rabbitmq.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
    RABBITMQ_PID_FILE: path.join(dir, 'rabbitmq.pid'),
  };
  const ctl = (...args: string[]) => run('rabbitmqctl', ['-q', ...args], { env, timeout: 60_000 });
  rabbitEnvs.set(nodeName, env);
  const stop = async () => {
    await ctl('stop').catch(() => undefined);
    rabbitEnvs.delete(nodeName);
  };
  await run('rabbitmq-server', ['-detached'], { env, timeout: 60_000 });
  try {
    await until(
      'the TLS RabbitMQ node',
      async () => {
        await ctl('await_startup', '--timeout', '5');
        return true;
      },
      90_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port,
    nodeName,
    useCertificate: async (next) => {
      install(next);
      await ctl('eval', 'ssl:clear_pem_cache().');
    },
    stop: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
