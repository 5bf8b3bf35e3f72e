import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { waitHealthy } from './wait-healthy';

describe('waitHealthy', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"status":"error","error":{"broker":{"status":"down"}}}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('fails at once with the reason when the process is gone', async () => {
    const started = Date.now();
    await expect(
      waitHealthy(url, 'backend2', { ms: 60_000, gone: () => 'it exited: EADDRINUSE' }),
    ).rejects.toThrow(/backend2 did not become healthy at .*: it exited: EADDRINUSE/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('names the last answer when time runs out', async () => {
    await expect(waitHealthy(url, 'backend2', 200)).rejects.toThrow(
      /within 200 ms \(last: 503 .*"broker":\{"status":"down"\}/,
    );
  });
});
