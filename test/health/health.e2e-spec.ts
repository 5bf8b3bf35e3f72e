import { eventually, RunningApp, startRole } from '../support/harness';
import { startTestSimNode } from '../support/pool-fixture';

describe('/health', () => {
  it('is 200 with database and broker up on a healthy frontend', async () => {
    const frontend: RunningApp = await startRole('frontend');
    try {
      const res = await fetch(`${frontend.url}/health`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        status: string;
        info: Record<string, { status: string }>;
      };
      expect(body.status).toBe('ok');
      expect(body.info.database.status).toBe('up');
      expect(body.info.broker.status).toBe('up');
    } finally {
      await frontend.close();
    }
  });

  it('is 503 and names the broker when the broker is unreachable', async () => {
    const frontend = await startRole('frontend', {
      AMQP_URL: 'amqp://nobody:nothing@127.0.0.1:1/none',
      BROKER_CONNECT_WAIT_MS: '0',
    });
    try {
      const res = await fetch(`${frontend.url}/health`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { error: Record<string, { status: string }> };
      expect(body.error.broker.status).toBe('down');
    } finally {
      await frontend.close();
    }
  });

  it.each([
    [{ flavor: 'classic', clientVersion: 1_020_001 }, 'auto', 'classic', '1.2.0.1', []],
    [{ flavor: 'evo', clientVersion: 1_040_804 }, 'auto', 'evo', '1.4.8.4', []],
    [
      { flavor: 'evo', clientVersion: 1_040_408, poolLabel: 'pool' },
      'classic',
      'classic',
      '1.4.4.8',
      [
        'NODE_FLAVOR_MAIN=classic but the node is evo 1.4.4.8',
        'the pool address carries the label "pool": its coins are not in the "" account that sendmany spends (docs/RUNBOOK.md)',
      ],
    ],
  ] as const)(
    "shows a backend's node generation: %o with NODE_FLAVOR_MAIN=%s → %s %s",
    async (nodeOptions, setting, flavor, version, warnings) => {
      const node = await startTestSimNode(nodeOptions);
      const backend = await startRole('backend', {
        NETWORKS: 'main',
        NODE_RPC_URL_MAIN: node.url,
        NODE_FLAVOR_MAIN: setting,
      });
      try {
        const nodeMain = await eventually(
          async () => {
            const res = await fetch(`${backend.url}/health`);
            const body = (await res.json()) as { info?: Record<string, Record<string, unknown>> };
            return body.info?.node_main ?? {};
          },
          (n) => n.version !== null && n.version !== undefined,
        );
        expect(nodeMain).toMatchObject({ status: 'up', flavor, version });
        expect(nodeMain.warnings ?? []).toEqual(warnings);
      } finally {
        await backend.close();
        await node.close();
      }
    },
  );
});
