import http from 'node:http';
import { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomAddress } from '../../src/biblepay/address';
import { CHAIN_PARAMS } from '../../src/biblepay/network';
import { toJsonText } from '../chain/json-text';
import { ChainBlock, MineRequest, SimChain } from './chain';
import { SimFaults } from './faults';
import { defaultClientVersion } from './generation';
import { defaultSimNodeOptions, SimNodeOptions, validateSimNodeOptions } from './options';
import { createRpcMethods, NodeControl, RpcHandler } from './rpc-methods';
import { httpStatusOf, RpcCode, RpcError } from './rpc-error';
import { loadState, saveState, STATE_FORMAT } from './state-store';
import { SimWallet } from './wallet';

export type { SimNodeOptions } from './options';

export interface SimNodeHandle {
  /** `http://user:pass@127.0.0.1:PORT` — what NODE_RPC_URL_<NET> takes. */
  readonly url: string;
  readonly port: number;
  readonly options: SimNodeOptions;
  readonly chain: SimChain;
  readonly wallet: SimWallet;
  readonly faults: SimFaults;
  readonly isDown: boolean;
  /** The rest of the network finds `count` blocks now. */
  mine(count?: number, request?: MineRequest): ChainBlock[];
  reorg(height: number, request?: { recipient?: string; minerGuid?: string }): ChainBlock;
  setTipTime(time: number): ChainBlock;
  /** Stop listening and drop open connections; back after `seconds` (0 = until goUp). */
  goDown(seconds?: number): Promise<void>;
  goUp(): Promise<void>;
  setBlockSeconds(seconds: number): void;
  /** Calls one method in-process, without HTTP or fault knobs. */
  call(method: string, ...params: unknown[]): Promise<unknown>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** The wallet's send methods: their -4 after the commit leaves a stored, unrelayed send. */
const SEND_METHODS = new Set(['sendmany', 'sendtoaddress']);

interface RpcReply {
  result: unknown;
  error: { code: number; message: string } | null;
  id: unknown;
}

/**
 * Starts the simulated BiblePay node: a JSON-RPC 1.0 server (basic auth, batches, the node's error
 * shapes and HTTP statuses) over a chain that grows by itself every `blockSeconds` and by blocks
 * miners submit, with a wallet and fault knobs. Resolves once it listens.
 */
export async function startSimNode(
  overrides: Partial<SimNodeOptions> = {},
): Promise<SimNodeHandle> {
  const options: SimNodeOptions = {
    ...defaultSimNodeOptions(overrides.network ?? 'main'),
    ...overrides,
  };
  // SIM_FLAVOR alone picks that generation's default release.
  options.clientVersion = overrides.clientVersion ?? defaultClientVersion(options.flavor);
  const saved = options.statePath ? loadState(options.statePath) : undefined;
  if (saved && saved.network !== options.network) {
    throw new Error(`${options.statePath} holds a ${saved.network} chain, not ${options.network}`);
  }
  options.poolAddress ||= saved?.poolAddress ?? randomAddress(options.network);
  validateSimNodeOptions(options);

  const chainSettings = {
    network: options.network,
    flavor: options.flavor,
    subsidy: options.subsidy,
    networkTarget: saved?.networkTarget ?? options.networkTarget,
    walletVersion: options.walletVersion,
    now: options.now,
    random: options.random,
  };
  const spacing =
    options.blockSeconds > 0
      ? options.blockSeconds
      : CHAIN_PARAMS[options.network].blockSpacingSeconds;
  const chain = saved
    ? SimChain.restore(chainSettings, saved.blocks, saved.orphans)
    : SimChain.create(chainSettings, options.startHeight, spacing, options.baseHeight);
  const wallet = new SimWallet(chain, {
    poolAddress: options.poolAddress,
    maturity: options.maturity,
    txFee: options.txFee,
    now: options.now,
    flavor: options.flavor,
    poolLabel: options.poolLabel,
  });
  if (saved) wallet.restore(saved.wallet);
  else if (options.walletBalance > 0n) wallet.fund(options.walletBalance, 'initial balance');
  wallet.locked = options.walletLocked;
  wallet.insufficientFunds = options.insufficientFunds;

  const faults = new SimFaults(options.random);
  faults.latencyMs = options.latencyMs;
  for (const [method, rule] of Object.entries(options.failRates))
    faults.failRates.set(method, rule);
  for (const [method, count] of Object.entries(options.loseReplies))
    faults.loseReplies.set(method, count);

  const persist = (): void => {
    if (!options.statePath) return;
    saveState(options.statePath, {
      format: STATE_FORMAT,
      network: options.network,
      poolAddress: options.poolAddress,
      networkTarget: chain.networkTarget,
      blocks: chain.mainChain().map((block) => ({ hex: block.hex, origin: block.origin })),
      orphans: chain
        .orphaned()
        .map((block) => ({ hex: block.hex, height: block.height, origin: block.origin })),
      wallet: wallet.snapshot(),
    });
  };

  let blockSeconds = options.blockSeconds;
  let blockTimer: NodeJS.Timeout | undefined;
  let closed = false;
  const scheduleNetworkBlock = (): void => {
    if (blockTimer) clearTimeout(blockTimer);
    blockTimer = undefined;
    if (closed || blockSeconds <= 0) return;
    blockTimer = setTimeout(() => chain.mine(), blockSeconds * 1000);
    blockTimer.unref();
  };
  chain.onChange(() => {
    persist();
    scheduleNetworkBlock();
  });

  let down = false;
  let upTimer: NodeJS.Timeout | undefined;
  let port = options.port;
  const server = http.createServer({ keepAlive: true });
  server.keepAliveTimeout = 30_000;

  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      server.once('error', onError);
      server.listen(port, options.host, () => {
        server.off('error', onError);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });

  const goUp = async (): Promise<void> => {
    if (upTimer) clearTimeout(upTimer);
    upTimer = undefined;
    if (!down || closed) return;
    await listen();
    down = false;
    options.log(`sim node up again on port ${port}`);
  };

  const goDown = async (seconds = 0): Promise<void> => {
    if (closed) return;
    if (!down) {
      down = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
      options.log(`sim node down${seconds > 0 ? ` for ${seconds} s` : ' until told'}`);
    }
    if (upTimer) clearTimeout(upTimer);
    upTimer = undefined;
    if (seconds > 0) {
      upTimer = setTimeout(
        () =>
          void goUp().catch((error: Error) =>
            options.log(`sim node cannot come back: ${error.message}`),
          ),
        seconds * 1000,
      );
    }
  };

  let pendingDown: number | undefined;
  const control: NodeControl = {
    goDownAfterReply: (seconds) => {
      pendingDown = seconds;
    },
    setBlockSeconds: (seconds) => {
      blockSeconds = seconds;
      scheduleNetworkBlock();
    },
    blockSeconds: () => blockSeconds,
    changed: persist,
    isDown: () => down,
  };
  const methods = createRpcMethods({ options, chain, wallet, faults, control });

  const expectedAuth = `Basic ${Buffer.from(`${options.rpcUser}:${options.rpcPassword}`).toString('base64')}`;

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    void handleRequest(req, res).catch((error: Error) => {
      options.log(`sim node request failed: ${error.message}`);
      if (!res.headersSent)
        sendJson(res, 500, {
          result: null,
          error: { code: RpcCode.MISC_ERROR, message: error.message },
          id: null,
        });
    });
  });

  async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.headers.authorization !== expectedAuth) {
      // Like bitcoind: 401 with an empty body, nothing about why.
      req.resume();
      res.writeHead(401, {
        'WWW-Authenticate': 'Basic realm="jsonrpc"',
        'Content-Length': '0',
        'Content-Type': 'text/html; charset=ISO-8859-1',
      });
      res.end();
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      const text = 'JSONRPC server handles only POST requests';
      res.writeHead(405, {
        'Content-Type': 'text/plain',
        'Content-Length': Buffer.byteLength(text),
      });
      res.end(text);
      return;
    }
    const body = await readBody(req);
    if (body === undefined) {
      res.writeHead(413, { 'Content-Length': '0' });
      res.end();
      return;
    }
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);

    let request: unknown;
    try {
      request = JSON.parse(body);
    } catch {
      sendJson(res, 500, errorReply(new RpcError(RpcCode.PARSE_ERROR, 'Parse error'), null));
      return;
    }
    const called = (Array.isArray(request) ? (request as unknown[]) : [request]).map((item) => {
      const method = (item as { method?: unknown } | null)?.method;
      return typeof method === 'string' ? method : '';
    });
    if (faults.takeBusy(called)) {
      // The whole request (a batch is one work item) is turned away before anything runs, with
      // libevent's plain-text reply (src/httpserver.cpp:297 @1.2.0.1, :294 @1.4.4.8).
      const text = 'Work queue depth exceeded';
      res.writeHead(500, {
        'Content-Type': 'text/html; charset=ISO-8859-1',
        'Content-Length': Buffer.byteLength(text),
      });
      res.end(text);
      return;
    }
    let lose = false;
    pendingDown = undefined;
    if (Array.isArray(request)) {
      const replies: RpcReply[] = [];
      for (const item of request as unknown[]) {
        const outcome = await execute(item);
        lose ||= outcome.lose;
        replies.push(outcome.reply);
      }
      if (lose) return dropConnection(req);
      sendJson(res, 200, replies);
    } else if (typeof request === 'object' && request !== null) {
      const outcome = await execute(request);
      if (outcome.lose) return dropConnection(req);
      sendJson(
        res,
        outcome.reply.error ? httpStatusOf(outcome.reply.error.code) : 200,
        outcome.reply,
      );
    } else {
      sendJson(
        res,
        500,
        errorReply(new RpcError(RpcCode.PARSE_ERROR, 'Top-level object parse error'), null),
      );
    }
    const downFor = pendingDown;
    if (downFor !== undefined) {
      res.once('finish', () => setImmediate(() => void goDown(downFor)));
    }
  }

  async function execute(item: unknown): Promise<{ reply: RpcReply; lose: boolean }> {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return {
        reply: errorReply(new RpcError(RpcCode.INVALID_REQUEST, 'Invalid Request object'), null),
        lose: false,
      };
    }
    const call = item as { method?: unknown; params?: unknown; id?: unknown };
    const id = call.id ?? null;
    if (typeof call.method !== 'string') {
      return {
        reply: errorReply(new RpcError(RpcCode.INVALID_REQUEST, 'Method must be a string'), id),
        lose: false,
      };
    }
    const params = call.params ?? [];
    if (!Array.isArray(params)) {
      return {
        reply: errorReply(new RpcError(RpcCode.INVALID_REQUEST, 'Params must be an array'), id),
        lose: false,
      };
    }
    const method = call.method;
    const extraLatency = faults.latencyFor(method);
    if (extraLatency > 0) await sleep(extraLatency);
    // A late call runs whether or not anyone still waits for its answer.
    const late = faults.takeRunLate(method);
    if (late > 0) await sleep(late);
    const handler: RpcHandler | undefined = methods.get(method);
    if (!handler)
      return {
        reply: errorReply(new RpcError(RpcCode.METHOD_NOT_FOUND, 'Method not found'), id),
        lose: false,
      };
    const injected = faults.failureFor(method);
    if (injected) return { reply: errorReply(injected, id), lose: false };
    const reorg = (when: 'before' | 'after'): void => {
      const rule = faults.takeReorg(method, params as unknown[], when);
      if (rule) chain.reorg(rule.height, { recipient: rule.recipient, minerGuid: rule.minerGuid });
    };
    try {
      reorg('before');
      const result = handler(params as unknown[]);
      reorg('after');
      // The wallet committed, then the node reports a failure (e.g. -4 "transaction commit failed").
      const after = faults.takeErrorAfter(method);
      if (after) {
        // A send's -4 after the commit: the wallet stored it, the mempool refused it (1.2.0.1's
        // CommitTransaction, src/wallet/wallet.cpp:3568,3594-3597): never relayed, never mined.
        if (after.code === RpcCode.WALLET_ERROR && SEND_METHODS.has(method)) {
          const send = wallet.lastSend();
          if (send) send.unrelayed = true;
        }
        return { reply: errorReply(after, id), lose: false };
      }
      // A lost reply only makes sense for a call that did its work.
      return {
        reply: { result: result ?? null, error: null, id },
        lose: faults.takeLostReply(method),
      };
    } catch (error) {
      if (error instanceof RpcError) return { reply: errorReply(error, id), lose: false };
      const message = error instanceof Error ? error.message : String(error);
      return { reply: errorReply(new RpcError(RpcCode.MISC_ERROR, message), id), lose: false };
    }
  }

  function dropConnection(req: http.IncomingMessage): void {
    // The node did the work; the client never hears about it (a timeout, a crash, a cut cable).
    req.socket.destroy();
  }

  await listen();
  if (options.downSeconds > 0) await goDown(options.downSeconds);
  if (!saved) persist();
  scheduleNetworkBlock();

  const auth = `${encodeURIComponent(options.rpcUser)}:${encodeURIComponent(options.rpcPassword)}`;
  const handle: SimNodeHandle = {
    get url() {
      return `http://${auth}@${options.host}:${port}`;
    },
    get port() {
      return port;
    },
    options,
    chain,
    wallet,
    faults,
    get isDown() {
      return down;
    },
    mine: (count = 1, request = {}) => Array.from({ length: count }, () => chain.mine(request)),
    reorg: (height, request) => chain.reorg(height, request),
    setTipTime: (time) => chain.setTipTime(time),
    goDown,
    goUp,
    setBlockSeconds: control.setBlockSeconds,
    call: async (method, ...params) => {
      const handler = methods.get(method);
      if (!handler) throw new RpcError(RpcCode.METHOD_NOT_FOUND, 'Method not found');
      return handler(params);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      if (blockTimer) clearTimeout(blockTimer);
      if (upTimer) clearTimeout(upTimer);
      if (!down) {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await stopped;
      }
    },
  };
  return handle;
}

function errorReply(error: RpcError, id: unknown): RpcReply {
  return { result: null, error: { code: error.code, message: error.message }, id };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = `${toJsonText(body)}\n`;
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
