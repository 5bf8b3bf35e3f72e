import { RunningApp, startRole } from '../support/harness';

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
});
