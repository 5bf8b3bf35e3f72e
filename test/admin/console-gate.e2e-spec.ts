import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { randomAddress } from '../../src/biblepay/address';
import { DEAD_LETTER_EXCHANGE, DEAD_LETTER_QUEUE } from '../../src/messaging/broker-topology';
import { encodeSolutionMessages } from '../../src/messaging/solution-message';
import type { SimNodeHandle } from '../../sim/node/sim-node';
import { backendBroker, eventually, queueDepth, RunningApp, startRole } from '../support/harness';
import { IsolatedDatabase, isolatedDatabase } from '../support/isolated-database';
import { startTestSimNode } from '../support/pool-fixture';
import { solutionMessage } from '../support/solutions';

const TOKEN = 'gate-test-token-0123456789abcdefghij';

interface RawAnswer {
  status: number;
  body: string;
}

/**
 * One request written byte for byte on a socket: fetch() would normalise the very spellings this
 * test is about (dot segments, double slashes, absolute-form targets).
 */
function rawRequest(
  port: number,
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body = '',
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const lines = [
      `${method} ${target} HTTP/1.1`,
      'Host: 127.0.0.1',
      'Connection: close',
      ...(body ? [`Content-Length: ${Buffer.byteLength(body)}`] : []),
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.on('connect', () => socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${target}`)));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (!status) return reject(new Error(`no HTTP answer to ${method} ${target}: ${text}`));
      resolve({ status: Number(status[1]), body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}

/** Every path Fastify routes, read from its own route tree (printRoutes), with its methods. */
function registeredRoutes(fastify: FastifyInstance): { path: string; methods: string[] }[] {
  const routes: { path: string; methods: string[] }[] = [];
  const stack: string[] = [];
  for (const line of fastify.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ├└─]*)(\S.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1].length / 4;
    stack.length = depth;
    stack.push(match[2]);
    if (match[3]) routes.push({ path: stack.join(''), methods: match[3].split(', ') });
  }
  return routes;
}

/** Every spelling of a console path that a router might decode or normalise back to it. */
function spellingsOf(path: string): string[] {
  const spellings = new Set<string>();
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    if (/[a-z]/i.test(c)) {
      const hex = `%${c.charCodeAt(0).toString(16)}`;
      spellings.add(path.slice(0, i) + hex + path.slice(i + 1));
      spellings.add(path.slice(0, i) + hex.toUpperCase() + path.slice(i + 1));
    }
  }
  const rest = path.slice('/admin'.length);
  for (const spelling of [
    `/%2561dmin${rest}`,
    `/admin${rest.replace('/', '%2F')}`,
    `/admin${rest.replace('/', '%2f')}`,
    `//admin${rest}`,
    `/admin/${rest}`,
    `/./admin${rest}`,
    `/admin/.${rest}`,
    `/x/../admin${rest}`,
    `/admin/x/..${rest}`,
    `/%2e/admin${rest}`,
    `/x/%2e%2e/admin${rest}`,
    `/ADMIN${rest}`,
    `/Admin${rest}`,
    `/aDmin${rest.toUpperCase()}`,
    `http://x/admin${rest}`,
    `http://127.0.0.1/admin${rest}`,
    `HTTP://X/admin${rest}`,
    `/admin;x=1${rest}`,
    `/admin${rest};jsessionid=1`,
    `/admin\\${rest.slice(1)}`,
    `/admin${rest}/`,
    `/admin${rest}?`,
    `/admin${rest}%00`,
    `/%20/admin${rest}`,
    `/admin%20${rest}`,
  ]) {
    spellings.add(spelling);
  }
  spellings.add(path);
  return [...spellings];
}

/**
 * Issue 22, item 1: the console's gate sits on its routes, not on the text of the URL. An
 * in-process backend with ADMIN_TOKEN set: every route Fastify has under /admin answers a request
 * without credentials with 401 (the sign-in page itself excepted), and no spelling of a console
 * path — percent-encoded letters, %2F, double slashes, dot segments, case, absolute-form targets,
 * `;` parameters — reaches a console handler.
 */
describe('the console gate holds for every route and every spelling of a path', () => {
  let store: IsolatedDatabase;
  let node: SimNodeHandle;
  let backend: RunningApp;
  let port: number;
  const address = randomAddress('main');

  beforeAll(async () => {
    node = await startTestSimNode();
    store = await isolatedDatabase('gate');
    backend = await startRole('backend', {
      NETWORKS: 'main',
      NODE_RPC_URL_MAIN: node.url,
      NODE_TIP_REFRESH_MS: '0',
      DATABASE_URL: store.backendUrl,
      ADMIN_TOKEN: TOKEN,
      ADMIN_TOKEN_LABEL: 'gatekeeper',
      BLOCK_POLL_SECONDS: '3600',
      SHAREOUT_INTERVAL_SECONDS: '3600',
      PAYOUT_INTERVAL_SECONDS: '3600',
      RATING_INTERVAL_SECONDS: '3600',
    });
    port = Number(new URL(backend.url).port);
    await store.factories.miner({ network: 'main', address });
  });
  afterAll(async () => {
    await backend?.close();
    await node?.close();
    await store?.drop();
  });

  it('every registered route under /admin answers 401 without credentials (the sign-in page excepted)', async () => {
    const fastify = backend.app.getHttpAdapter().getInstance();
    const routes = registeredRoutes(fastify).filter(
      (r) => r.path === '/admin' || r.path.startsWith('/admin/'),
    );
    // the pages, the API, the API's OpenAPI document and its assets
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/admin', '/admin/api/miners', '/admin/api/docs-json']),
    );
    const open: string[] = [];
    for (const route of routes) {
      const target = route.path
        .replace(/:network/g, 'main')
        .replace(/:address/g, address)
        .replace(/:[A-Za-z]+/g, 'x')
        .replace(/\/?\*$/, '/swagger-ui.css');
      for (const method of route.methods.filter((m) => m !== 'HEAD' && m !== 'OPTIONS')) {
        const answer = await rawRequest(port, method, target, {}, method === 'GET' ? '' : 'a=b');
        const signIn = route.path === '/admin/login';
        if (answer.status !== 401 && !(signIn && [200, 401, 403].includes(answer.status))) {
          open.push(`${method} ${target} → ${answer.status}`);
        }
      }
    }
    expect(open).toEqual([]);
  });

  it.each([
    ['GET', '/admin/api/miners?q=B'],
    ['GET', '/admin/api/actions'],
    ['GET', '/admin/api/docs-json'],
    ['GET', '/admin/problems'],
    ['GET', '/admin/payments'],
    ['POST', '/admin/reports/audit'],
  ])('no spelling of %s %s reaches its handler', async (method, path) => {
    const [pathOnly, query] = path.split('?');
    const reached: string[] = [];
    for (const spelling of spellingsOf(pathOnly)) {
      const target = query === undefined ? spelling : `${spelling}?${query}`;
      const answer = await rawRequest(port, method, target, {}, method === 'POST' ? 'a=b' : '');
      if (![400, 401, 404].includes(answer.status)) reached.push(`${target} → ${answer.status}`);
    }
    expect(reached).toEqual([]);
  });

  it('a dead letter survives a discard sent to a percent-encoded path, and no action is written', async () => {
    const { connection, channel } = await backendBroker();
    try {
      const key = `gate-${randomUUID()}`;
      const before = await queueDepth(channel, DEAD_LETTER_QUEUE);
      channel.publish(
        DEAD_LETTER_EXCHANGE,
        '',
        encodeSolutionMessages([solutionMessage(1, { miner: `${address}/dl` })]),
        { persistent: true, messageId: key },
      );
      await eventually(
        () => queueDepth(channel, DEAD_LETTER_QUEUE),
        (n) => n === before + 1,
      );
      for (const target of [
        `/%61dmin/api/dead-letters/${key}/discard`,
        `http://x/admin/api/dead-letters/${key}/discard`,
        `/admin/api/dead-letters/${key}/%64iscard`,
        `/admin/dead-letters/discard`,
      ]) {
        const answer = await rawRequest(
          port,
          'POST',
          target,
          { 'Content-Type': 'application/x-www-form-urlencoded' },
          `key=${key}&confirm=yes`,
        );
        expect({ target, refused: [401, 404].includes(answer.status) }).toEqual({
          target,
          refused: true,
        });
      }
      // The gate answered before any handler could take the message off the queue.
      expect(await queueDepth(channel, DEAD_LETTER_QUEUE)).toBe(before + 1);
      const [rows] = await store.db.query<import('mysql2').RowDataPacket[]>(
        'SELECT COUNT(*) AS n FROM admin_action',
      );
      expect(Number(rows[0].n)).toBe(0);
      // With the token, the real path discards it.
      const done = await rawRequest(
        port,
        'POST',
        `/admin/api/dead-letters/${key}/discard`,
        { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        '{}',
      );
      expect(done.status).toBe(200);
      expect(await queueDepth(channel, DEAD_LETTER_QUEUE)).toBe(before);
    } finally {
      await connection.close();
    }
  });
});
