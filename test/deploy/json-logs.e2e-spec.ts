import { freePort } from '../support/role-process';
import { roleEnv } from '../support/test-env';
import { runEntry, waitHealthy } from './deploy-process';

describe('structured logs', () => {
  it('LOG_FORMAT=json writes one JSON object per line, request lines carrying the request id', async () => {
    const port = await freePort();
    const proc = runEntry('src/main.ts', {
      ...roleEnv('frontend', { LOG_LEVEL: 'info', LOG_FORMAT: 'json', LOG_REQUESTS: 'true' }),
      HTTP_PORT: String(port),
    });
    try {
      await waitHealthy(proc, `http://127.0.0.1:${port}`);
      const res = await fetch(`http://127.0.0.1:${port}/main/`, {
        headers: { 'x-request-id': 'trace-me-42' },
      });
      expect(res.headers.get('x-request-id')).toBe('trace-me-42');
      await proc.waitForOutput(/trace-me-42/);
      const lines = proc
        .output()
        .split('\n')
        .filter((l) => l.trim() !== '');
      // Node's own runtime warnings go to stderr as text; everything the pool logs is JSON
      expect(
        lines.filter((l) => !l.startsWith('{') && !/^\(node:\d+\)|^\(Use `node/.test(l)),
      ).toEqual([]);
      const parsed = lines
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(
        parsed.some(
          (o) => o.context === 'Purepool' && String(o.msg).includes('frontend listening'),
        ),
      ).toBe(true);
      const request = parsed.filter((o) => o.reqId === 'trace-me-42');
      expect(request.length).toBeGreaterThanOrEqual(1);
      expect(request.every((o) => o.role === 'frontend' && typeof o.time === 'string')).toBe(true);
    } finally {
      proc.kill('SIGTERM');
      await proc.exited;
    }
  });
});
