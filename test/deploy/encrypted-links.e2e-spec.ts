import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import amqplib from 'amqplib';
import mysql from 'mysql2/promise';
import { mineOneShare } from '../../sim/miner/sim-miner';
import type { SimNodeHandle } from '../../sim/node/sim-node';
import { parseBrokerLink, parseDatabaseLink } from '../../src/config/link-tls';
import { mysqlConnectionOptions } from '../../src/database/database-link';
import { amqpSocketOptions } from '../../src/messaging/broker-link';
import { eventually } from '../support/harness';
import { startTestSimNode, TEST_HASH_TARGET } from '../support/pool-fixture';
import { freePort, RoleProcess, startRoleProcess } from '../support/role-process';
import { poolAddresses, roleEnv, runId } from '../support/test-env';
import {
  makeCertificate,
  startTlsMariadb,
  startTlsRabbitmq,
  TlsMariadb,
  TlsRabbitmq,
} from '../support/tls-servers';
import { ROOT, runEntry } from './deploy-process';

const run = promisify(execFile);

/**
 * Issue 17: a frontend and a backend over a MariaDB and a RabbitMQ node that speak TLS only to
 * verified clients — the steps of docs/RUNBOOK.md "Encrypted links": a CA and certificates from
 * scripts/tls-certificates.sh, the servers' TLS settings, db:setup with DB_REQUIRE_TLS=true, the
 * roles with ?ssl=verify-full / amqps:// and the CA files, REQUIRE_TLS=true.
 */
describe('encrypted links: MySQL over TLS, AMQPS, verified certificates', () => {
  const id = runId();
  const database = `purepool_tls_${id}`;
  const vhost = `purepool_tls_${id}`;
  const fe = { user: `pptlsfe_${id}`, password: `fe_${id}` };
  const be = { user: `pptlsbe_${id}`, password: `be_${id}` };
  let dir: string;
  let pki: ReturnType<typeof makeCertificate>;
  let otherCa: string;
  let expired: ReturnType<typeof makeCertificate>;
  let elsewhere: ReturnType<typeof makeCertificate>;
  let mariadb: TlsMariadb;
  let rabbit: TlsRabbitmq;
  let node: SimNodeHandle;
  let frontend: RoleProcess;
  let backend: RoleProcess;

  const dbUrl = (who: { user: string; password: string }, ssl: string | null, host = '127.0.0.1') =>
    `mysql://${who.user}:${who.password}@${host}:${mariadb.port}/${database}${ssl ? `?ssl=${ssl}` : ''}`;
  const mqUrl = (who: { user: string; password: string }, host = 'localhost') =>
    `amqps://${who.user}:${who.password}@${host}:${rabbit.port}/${vhost}`;
  const adminUrl = (ssl = 'verify-full') => `mysql://root@127.0.0.1:${mariadb.port}?ssl=${ssl}`;
  /** A connection as the env would make it: URL with ?ssl= and the CA file. */
  const connectDb = (url: string, caFile = pki.ca) =>
    mysql.createConnection(
      mysqlConnectionOptions(parseDatabaseLink('DATABASE_URL', url, { caFile }, 'DATABASE')),
    );
  const connectMq = (url: string, caFile = pki.ca) =>
    amqplib.connect(url, amqpSocketOptions(parseBrokerLink('AMQP_URL', url, { caFile }, 'AMQP')));
  const roleTlsEnv = (role: 'frontend' | 'backend'): Record<string, string> => {
    const who = role === 'frontend' ? fe : be;
    return roleEnv(role, {
      DATABASE_URL: dbUrl(who, 'verify-full'),
      DATABASE_CA_FILE: pki.ca,
      AMQP_URL: mqUrl(who),
      AMQP_CA_FILE: pki.ca,
      REQUIRE_TLS: 'true',
      NETWORKS: 'main',
      POOL_ADDRESS_MAIN: poolAddresses().main,
      POOL_HASH_TARGET: TEST_HASH_TARGET,
      NODE_RPC_URL_MAIN: node.url,
      NODE_TIP_REFRESH_MS: '0',
      SOLUTION_BATCH_WAIT_MS: '5',
      LOG_LEVEL: 'warn',
    });
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'purepool-tls-'));
    chmodSync(dir, 0o755); // the RabbitMQ node runs as the rabbitmq user
    pki = makeCertificate(path.join(dir, 'pki'), 'server');
    expired = makeCertificate(path.join(dir, 'pki'), 'expired', undefined, -1);
    elsewhere = makeCertificate(path.join(dir, 'pki'), 'elsewhere', ['db.example.org']);
    otherCa = makeCertificate(path.join(dir, 'other-pki'), 'server').ca;
    [mariadb, rabbit] = await Promise.all([
      startTlsMariadb(path.join(dir, 'mariadb'), pki),
      startTlsRabbitmq(path.join(dir, 'rabbitmq'), pki, id),
    ]);
    // db:setup as the operator runs it against TLS servers (RUNBOOK), users REQUIRE SSL.
    await run(process.execPath, ['-r', '@swc-node/register', 'scripts/db-setup.ts'], {
      cwd: ROOT,
      timeout: 120_000,
      env: {
        ...process.env,
        DATABASE_ADMIN_URL: adminUrl(),
        DATABASE_CA_FILE: pki.ca,
        FRONTEND_DATABASE_URL: dbUrl(fe, 'verify-full'),
        BACKEND_DATABASE_URL: dbUrl(be, 'verify-full'),
        FRONTEND_AMQP_URL: mqUrl(fe),
        BACKEND_AMQP_URL: mqUrl(be),
        AMQP_CA_FILE: pki.ca,
        DB_REQUIRE_TLS: 'true',
        RABBITMQ_NODENAME: rabbit.nodeName,
        SKIP_ENSURE_SERVICES: '1',
      },
    });
    node = await startTestSimNode();
    [frontend, backend] = await Promise.all([
      startRoleProcess(roleTlsEnv('frontend'), await freePort()),
      startRoleProcess(roleTlsEnv('backend'), await freePort()),
    ]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([frontend?.stop(), backend?.stop()]);
    await node?.close();
    await Promise.all([mariadb?.stop(), rabbit?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('serves getwork and validates and records a share over verified TLS links; /health says both links are encrypted', async () => {
    const share = await mineOneShare({ pool: frontend.url, network: 'main', node: node.url });
    expect(share.outcomes).toEqual([{ ok: true, workId: share.work.workId }]);

    const admin = await connectDb(`${adminUrl()}`.replace('?', `/${database}?`));
    try {
      // A fresh database: the one solution is this share, validated against the node.
      const recorded = await eventually(
        async () => {
          const [r] = await admin.query<mysql.RowDataPacket[]>('SELECT COUNT(*) n FROM solution');
          return Number(r[0].n);
        },
        (n) => n === 1,
        30_000,
      );
      expect(recorded).toBe(1);
    } finally {
      await admin.end();
    }

    for (const role of [frontend, backend]) {
      const health = (await (await fetch(`${role.url}/health`)).json()) as {
        info: Record<string, { status: string; encrypted?: boolean; cipher?: string }>;
      };
      expect(health.info.database).toMatchObject({ status: 'up', encrypted: true });
      expect(health.info.database.cipher).toMatch(/^TLS|AES|CHACHA/);
      expect(health.info.broker).toEqual({ status: 'up', encrypted: true });
    }
  });

  it('db:setup made the role users REQUIRE SSL: a clear-text login is refused by the server', async () => {
    for (const who of [fe, be]) {
      await expect(mysql.createConnection({ uri: dbUrl(who, null) })).rejects.toMatchObject({
        code: 'ER_ACCESS_DENIED_ERROR',
      });
      const conn = await connectDb(dbUrl(who, 'verify-full'));
      const [[row]] = await conn.query<mysql.RowDataPacket[]>(
        "SHOW SESSION STATUS LIKE 'Ssl_cipher'",
      );
      expect(String(row.Value)).not.toBe('');
      await conn.end();
    }
  });

  it('refuses a server certificate from another CA, on both links, and the role says why', async () => {
    // (mysql2 reports every TLS failure as HANDSHAKE_SSL_ERROR, with Node's reason as the message)
    await expect(connectDb(dbUrl(be, 'verify-ca'), otherCa)).rejects.toMatchObject({
      code: 'HANDSHAKE_SSL_ERROR',
      message: 'self-signed certificate in certificate chain',
    });
    await expect(connectMq(mqUrl(be), otherCa)).rejects.toMatchObject({
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    // A backend given the wrong CA does not start on the link; its log names the cause.
    const wrong = runEntry('src/main.ts', {
      ...roleTlsEnv('backend'),
      DATABASE_CA_FILE: otherCa,
      HTTP_PORT: String(await freePort()),
    });
    try {
      await wrong.waitForOutput(
        /self-signed certificate in certificate chain.*certificate is refused/,
        30_000,
      );
      expect(wrong.child.exitCode).toBeNull(); // it waits for the operator, it does not connect
    } finally {
      wrong.kill('SIGKILL');
      await wrong.exited;
    }
  });

  it('refuses an expired certificate and, with verify-full, one for another host; a rotated certificate is used without a restart', async () => {
    await mariadb.useCertificate(expired);
    await rabbit.useCertificate(expired);
    await expect(connectDb(dbUrl(be, 'verify-ca'))).rejects.toMatchObject({
      code: 'HANDSHAKE_SSL_ERROR',
      message: 'certificate has expired',
    });
    await expect(connectMq(mqUrl(be))).rejects.toMatchObject({ code: 'CERT_HAS_EXPIRED' });

    await mariadb.useCertificate(elsewhere);
    await rabbit.useCertificate(elsewhere);
    await expect(connectDb(dbUrl(be, 'verify-full'))).rejects.toMatchObject({
      code: 'HANDSHAKE_SSL_ERROR',
      message: expect.stringContaining("Hostname/IP does not match certificate's altnames"),
    });
    await expect(connectMq(mqUrl(be))).rejects.toMatchObject({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    // verify-ca checks the CA only (the certificate is ours, for another name): accepted.
    await (await connectDb(dbUrl(be, 'verify-ca'))).end();

    await mariadb.useCertificate(pki);
    await rabbit.useCertificate(pki);
    await (await connectDb(dbUrl(be, 'verify-full'))).end();
    await (await connectMq(mqUrl(be, '127.0.0.1'))).close();
    // The running roles kept working across the rotations.
    const share = await mineOneShare({ pool: frontend.url, network: 'main', node: node.url });
    expect(share.outcomes).toEqual([{ ok: true, workId: share.work.workId }]);
  });

  it('REQUIRE_TLS=true refuses to start on a clear-text or unverified database or broker link: one line, exit 2', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [
        { DATABASE_URL: dbUrl(be, null), DATABASE_CA_FILE: '' },
        /^Invalid environment: DATABASE_URL is clear text/,
      ],
      [
        { DATABASE_URL: dbUrl(be, 'required') },
        /^Invalid environment: DATABASE_URL has \?ssl=required, which checks no certificate/,
      ],
      [
        { NODE_TLS_REJECT_UNAUTHORIZED: '0' },
        /^Invalid environment: NODE_TLS_REJECT_UNAUTHORIZED is 0, which turns certificate checks off/,
      ],
      [
        { AMQP_URL: mqUrl(be).replace('amqps:', 'amqp:'), AMQP_CA_FILE: '' },
        /^Invalid environment: AMQP_URL is clear text/,
      ],
    ];
    for (const [overrides, line] of cases) {
      const refused = runEntry('src/main.ts', {
        ...roleTlsEnv('backend'),
        ...overrides,
        HTTP_PORT: String(await freePort()),
      });
      const exit = await refused.exited;
      const output = refused.output().trim();
      expect({ exit, lines: output.split('\n').length }).toEqual({ exit: 2, lines: 1 });
      expect(output).toMatch(line);
    }
  });
});
