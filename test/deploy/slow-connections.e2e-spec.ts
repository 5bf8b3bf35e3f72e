import net from 'node:net';
import { requestWork } from '../../sim/miner/sim-miner';
import { randomAddress } from '../../src/biblepay/address';
import { RunningApp, startRole } from '../support/harness';

/** How the 200 slow sockets of one source hold on (issue 22: slowloris and its kin). */
type Slowness = 'silent' | 'half-headers' | 'body-announced';

interface HeldSocket {
  socket: net.Socket;
  closed: boolean;
}

/** Opens a socket from `localAddress` (all of 127/8 reaches lo) and leaves the request unfinished. */
function holdOpen(port: number, localAddress: string, slowness: Slowness): Promise<HeldSocket> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress });
    const held: HeldSocket = { socket, closed: false };
    socket.on('error', () => undefined);
    socket.resume(); // reads whatever the server answers, so its close is seen
    socket.on('close', () => (held.closed = true));
    socket.once('connect', () => {
      if (slowness === 'half-headers') socket.write('POST /Action.aspx HTTP/1.1\r\nHost: pool\r\n');
      if (slowness === 'body-announced') {
        socket.write(
          'POST /Action.aspx HTTP/1.1\r\nHost: pool\r\nAction: readytomine2\r\nContent-Length: 500\r\n\r\n',
        );
      }
      resolve(held);
    });
    // A refused socket may close before it ever connects.
    socket.once('close', () => resolve(held));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const openCount = (held: HeldSocket[]) => held.filter((h) => !h.closed).length;

describe('connections: a source holding slow sockets crowds out nobody and is cut off', () => {
  let frontend: RunningApp;
  let port: number;
  const held: HeldSocket[] = [];

  beforeAll(async () => {
    frontend = await startRole('frontend', {
      HTTP_REQUEST_TIMEOUT_MS: '3000',
      // Blank is unset: the default cap (64), which the test environment otherwise turns off.
      MAX_CONNECTIONS_PER_SOURCE: '',
    });
    port = Number(new URL(frontend.url).port);
  });
  afterAll(async () => {
    held.forEach((h) => h.socket.destroy());
    await frontend.close();
  });

  it('200 slow sockets from 127.0.0.2: 64 kept, the rest refused, a wallet on 127.0.0.1 gets work promptly, the slow ones are cut by the timeout', async () => {
    const kinds: Slowness[] = ['silent', 'half-headers', 'body-announced'];
    for (let i = 0; i < 200; i++) {
      held.push(await holdOpen(port, '127.0.0.2', kinds[i % kinds.length]));
    }
    await sleep(300);
    // MAX_CONNECTIONS_PER_SOURCE (64 by default): the source's sockets past it are closed at once.
    expect(openCount(held)).toBeLessThanOrEqual(64);

    const started = Date.now();
    const work = await requestWork({
      timeoutMs: 5000,
      pool: frontend.url,
      network: 'main',
      workerId: `${randomAddress('main')}/rig`,
    }).catch(() => null);
    expect(work).not.toBeNull();
    expect(Date.now() - started).toBeLessThan(1000);

    // HTTP_REQUEST_TIMEOUT_MS=3000: none of the slow sockets outlives it by much.
    await sleep(3000 + 2500);
    expect(openCount(held)).toBe(0);
  });

  it('refuses a body on /Action.aspx larger than a wallet ever sends, without waiting for it', async () => {
    const answer = await fetch(`${frontend.url}/Action.aspx`, {
      method: 'POST',
      headers: { Action: 'readytomine2', 'Content-Type': 'text/plain' },
      body: 'x'.repeat(64 * 1024),
    });
    expect(answer.status).toBe(413);
  });

  it('does not cap a peer TRUST_PROXY lists (a proxy carries many clients)', async () => {
    const behindProxy = await startRole('frontend', {
      TRUST_PROXY: '127.0.0.3',
      MAX_CONNECTIONS_PER_SOURCE: '8',
    });
    const proxied: HeldSocket[] = [];
    const direct: HeldSocket[] = [];
    try {
      const proxyPort = Number(new URL(behindProxy.url).port);
      for (let i = 0; i < 20; i++) {
        proxied.push(await holdOpen(proxyPort, '127.0.0.3', 'silent'));
        direct.push(await holdOpen(proxyPort, '127.0.0.4', 'silent'));
      }
      await sleep(300);
      expect({ proxied: openCount(proxied), direct: openCount(direct) }).toEqual({
        proxied: 20,
        direct: 8,
      });
    } finally {
      [...proxied, ...direct].forEach((h) => h.socket.destroy());
      await behindProxy.close();
    }
  });
});
