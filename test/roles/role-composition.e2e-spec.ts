import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NodeClients } from '../../src/biblepay/node-clients';
import type { Role } from '../../src/config/app-config';
import { ActionController } from '../../src/modules/mining/action.controller';
import { SolutionQueueServer } from '../../src/messaging/solution-queue.server';
import { startRole } from '../support/harness';
import { freePort, startRoleProcess } from '../support/role-process';
import { roleEnv } from '../support/test-env';

describe('role composition', () => {
  it('a frontend process constructs neither the node RPC client nor a queue consumer', async () => {
    const frontend = await startRole('frontend');
    try {
      expect(() => frontend.app.get(NodeClients, { strict: false })).toThrow();
      expect(() => frontend.app.get(SolutionQueueServer, { strict: false })).toThrow();
      expect(frontend.app.get(ActionController, { strict: false })).toBeDefined();
    } finally {
      await frontend.close();
    }
  });

  it('a backend process serves no miner API', async () => {
    const backend = await startRole('backend');
    try {
      expect(() => backend.app.get(ActionController, { strict: false })).toThrow();
      expect(backend.app.get(NodeClients, { strict: false })).toBeDefined();
      const res = await fetch(`${backend.url}/Action.aspx`, { method: 'POST' });
      expect(res.status).toBe(404);
    } finally {
      await backend.close();
    }
  });

  /** Every file a role process loads between its start and its exit (test/support/loaded-modules.js). */
  async function filesLoadedBy(
    role: Role,
    overrides: Record<string, string> = {},
  ): Promise<string[]> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'loaded-modules-'));
    const list = path.join(dir, role);
    try {
      const preload = path.join(__dirname, '..', 'support', 'loaded-modules.js');
      const child = await startRoleProcess(
        roleEnv(role, {
          ...overrides,
          NODE_OPTIONS: `--require ${preload}`,
          LOADED_MODULES_FILE: list,
        }),
        await freePort(),
      );
      await child.stop();
      return readFileSync(`${list}.${child.child.pid}`, 'utf8').split('\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('a frontend process loads none of the backend’s code nor its libraries', async () => {
    // The backend's features, the node client, the queue consumer and the console (app.module.ts,
    // bootstrap.ts); the scheduler and the cron parser they bring. ~15 MB of a frontend's RSS.
    const backendOnly = [
      /\/src\/modules\/(solution|block|payout|audit|monitoring|admin)\//,
      /\/src\/biblepay\/(rpc\/|node-clients|biblepay-node\.module)/,
      /\/src\/messaging\/solution-queue\.server/,
      /\/src\/jobs\//,
      /\/node_modules\/(@nestjs\/schedule|cron|luxon)\//,
    ];
    const loaded = await filesLoadedBy('frontend');
    // A preload that recorded nothing would pass: the frontend's own features are there.
    expect(loaded.some((file) => /\/src\/modules\/mining\/action\.controller\./.test(file))).toBe(
      true,
    );
    expect(loaded.filter((file) => backendOnly.some((pattern) => pattern.test(file)))).toEqual([]);
  });

  it('the primary of FRONTEND_PROCESSES workers loads no application, only forks', async () => {
    const loaded = await filesLoadedBy('frontend', { FRONTEND_PROCESSES: '2' });
    expect(loaded.some((file) => /\/src\/server\/frontend-workers\./.test(file))).toBe(true);
    const application = [
      /\/src\/(bootstrap|app\.module|serve-role)\./,
      /\/node_modules\/@nestjs\/core\//,
    ];
    expect(loaded.filter((file) => application.some((pattern) => pattern.test(file)))).toEqual([]);
  });
});
