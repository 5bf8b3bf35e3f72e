import http from 'node:http';
import { AddressInfo } from 'node:net';
import { BiblepayRpcClient, BiblepayRpcClientOptions, RpcCallOutcome } from './biblepay-rpc.client';
import { rpcCalls } from './rpc.calls';
import { RpcAuthError, RpcError, RpcFailure, RpcTransportError } from './rpc.errors';

/*
 * A fake node written for these tests: node:http, basic auth, JSON-RPC 1.0 single and batch,
 * errors the way Bitcoin-family nodes send them (HTTP 500/404 with a JSON body), plus misbehaviour
 * on demand (drop the connection, never answer, answer garbage). It counts requests and TCP
 * connections so tests can prove "sent exactly once" and "one socket reused".
 */

interface RpcRequest {
  id: number;
  method: string;
  params: unknown[];
}

type Answer =
  | { result: unknown }
  /** Result written verbatim into the body: numbers exactly as a node prints them. */
  | { rawResult: string }
  | { error: { code: number; message: string }; status?: number }
  /** Close the TCP connection without answering. */
  | { drop: true }
  /** Never answer. */
  | { hang: true }
  /** Any HTTP status and body, no JSON-RPC envelope. */
  | { status: number; body: string };

type Handler = (request: RpcRequest, index: number) => Answer;

const USER = 'pooluser';
const PASSWORD = 'p@ss:word';
const PASS_ENCODED = encodeURIComponent(PASSWORD);

class FakeNode {
  readonly requests: RpcRequest[] = [];
  readonly rawBodies: string[] = [];
  connections = 0;
  httpRequests = 0;
  handler: Handler = () => ({ result: null });
  /** Reverse batch answers, to prove the client matches by id and not by position. */
  reverseBatches = false;
  private readonly server: http.Server;
  private readonly sockets = new Set<import('node:net').Socket>();

  constructor() {
    this.server = http.createServer((req, res) => this.serve(req, res));
    this.server.on('connection', (socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(password = PASS_ENCODED): string {
    return `http://${USER}:${password}@127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.httpRequests++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const expected = 'Basic ' + Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="jsonrpc"' });
        res.end();
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      this.rawBodies.push(raw);
      const parsed = JSON.parse(raw) as RpcRequest | RpcRequest[];
      if (Array.isArray(parsed)) {
        const parts: string[] = [];
        for (const request of parsed) {
          const answer = this.answer(request);
          if ('drop' in answer) return void req.socket.destroy();
          if ('hang' in answer) return;
          parts.push(envelope(request.id, answer));
        }
        if (this.reverseBatches) parts.reverse();
        send(res, 200, `[${parts.join(',')}]`);
        return;
      }
      const answer = this.answer(parsed);
      if ('drop' in answer) return void req.socket.destroy();
      if ('hang' in answer) return;
      if ('body' in answer) return send(res, answer.status, answer.body);
      const status =
        'error' in answer ? (answer.status ?? (answer.error.code === -32601 ? 404 : 500)) : 200;
      send(res, status, envelope(parsed.id, answer));
    });
  }

  private answer(request: RpcRequest): Answer {
    this.requests.push(request);
    return this.handler(request, this.requests.length - 1);
  }
}

function envelope(id: number, answer: Answer): string {
  if ('rawResult' in answer) return `{"result":${answer.rawResult},"error":null,"id":${id}}`;
  if ('error' in answer) return JSON.stringify({ result: null, error: answer.error, id });
  if ('result' in answer) return JSON.stringify({ result: answer.result, error: null, id });
  throw new Error('answer has no envelope');
}

function send(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function caught(promise: Promise<unknown>): Promise<RpcFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RpcFailure) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
const TXID = 'c'.repeat(64);
const ADDR_1 = 'BAddressOne111111111111111111111';
const ADDR_2 = 'BAddressTwo222222222222222222222';

describe('BiblepayRpcClient against a fake node', () => {
  let node: FakeNode;
  let client: BiblepayRpcClient;
  const events: { method: string; outcome: RpcCallOutcome }[] = [];

  const makeClient = (options: Partial<BiblepayRpcClientOptions> = {}): BiblepayRpcClient => {
    client?.close();
    client = new BiblepayRpcClient({
      retryBaseDelayMs: 5,
      onCall: (method, _ms, outcome) => events.push({ method, outcome }),
      ...options,
      url: options.url ?? node.url(),
    });
    return client;
  };

  beforeEach(async () => {
    events.length = 0;
    node = await new FakeNode().start();
    makeClient();
  });

  afterEach(async () => {
    client.close();
    await node.stop();
  });

  it('throws RpcAuthError on HTTP 401 and does not retry it', async () => {
    makeClient({ url: node.url('wrong') });
    const error = await caught(client.getBlockCount());
    expect(error).toBeInstanceOf(RpcAuthError);
    expect((error as RpcAuthError).status).toBe(401);
    expect(error.message).not.toContain('wrong');
    expect(node.httpRequests).toBe(1);
  });

  it('sends basic auth from the URL, JSON-RPC 1.0, and every exec biblehash param as a string', async () => {
    node.handler = () => ({ result: { Command: 'biblehash', BibleHash: HASH_A } });
    await expect(client.bibleHash(HASH_B, 1545000000, 1544999000, 31369, 4242)).resolves.toBe(
      HASH_A,
    );
    expect(node.requests[0]).toMatchObject({
      method: 'exec',
      params: ['biblehash', HASH_B, '1545000000', '1544999000', '31369', '4242'],
    });
    expect(JSON.parse(node.rawBodies[0])).toMatchObject({ jsonrpc: '1.0' });
  });

  it('returns batch results and errors per call, in request order, matched by id', async () => {
    node.reverseBatches = true;
    node.handler = (request) => {
      const [command, blockHash] = request.params as string[];
      if (command === 'biblehash' && blockHash === 'bad') {
        return { error: { code: -8, message: 'Invalid parameter' } };
      }
      if (command === 'biblehash')
        return { result: { Command: 'biblehash', BibleHash: blockHash } };
      if (request.method === 'getblockcount') return { result: 31370 };
      return { error: { code: -32601, message: 'Method not found' } };
    };
    const inputs = [HASH_A, 'bad', HASH_B].map((blockHash) => ({
      blockHash,
      blockTime: 1,
      prevBlockTime: 0,
      prevHeight: 5,
      nonce: 7,
    }));
    const outcomes = await client.bibleHashMany(inputs);
    expect(node.httpRequests).toBe(1);
    expect(outcomes[0]).toEqual({ ok: true, value: HASH_A });
    expect(outcomes[1].ok).toBe(false);
    const error = !outcomes[1].ok ? outcomes[1].error : undefined;
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({
      code: -8,
      rpcMessage: 'Invalid parameter',
      method: 'exec biblehash',
    });
    expect(outcomes[2]).toEqual({ ok: true, value: HASH_B });

    // A mixed, typed batch: each element typed by its call.
    const [count, unknown] = await client.batch([
      rpcCalls.getBlockCount(),
      rpcCalls.raw('nosuchmethod', [], true),
    ]);
    expect(count).toEqual({ ok: true, value: 31370 });
    expect(unknown.ok ? null : unknown.error).toMatchObject({ code: -32601 });
    expect(events.filter((e) => e.method === 'batch').map((e) => e.outcome)).toEqual([
      'rpc_error',
      'rpc_error',
    ]);
  });

  it('gives a batch call the node left out its own bad_response error', async () => {
    node.handler = (request) =>
      request.method === 'getblockcount' ? { result: 12 } : { result: 'not a hash' };
    const [count, hash] = await client.batch([rpcCalls.getBlockCount(), rpcCalls.getBlockHash(3)]);
    expect(count).toEqual({ ok: true, value: 12 });
    expect(hash.ok ? null : hash.error).toMatchObject({
      kind: 'bad_response',
      method: 'getblockhash',
    });
  });

  it('sends an empty batch as no request at all', async () => {
    await expect(client.batch([])).resolves.toEqual([]);
    expect(node.httpRequests).toBe(0);
  });

  it('aborts a call with no answer after about timeoutMs and throws RpcTransportError timeout', async () => {
    makeClient({ timeoutMs: 150, readRetries: 0 });
    node.handler = () => ({ hang: true });
    const started = Date.now();
    const error = await caught(client.getBlockCount());
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(RpcTransportError);
    expect((error as RpcTransportError).kind).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1000);
    expect(events).toEqual([{ method: 'getblockcount', outcome: 'transport_error' }]);
  });

  it('retries a read-only call after a dropped connection and succeeds', async () => {
    node.handler = (_request, index) => (index === 0 ? { drop: true } : { result: 31369 });
    await expect(client.getBlockCount()).resolves.toBe(31369);
    expect(node.requests).toHaveLength(2);
    expect(events.map((e) => e.outcome)).toEqual(['transport_error', 'ok']);
  });

  it('retries reads on HTTP 503 and while the node warms up (-28), up to readRetries', async () => {
    node.handler = (_request, index) =>
      index === 0
        ? { status: 503, body: 'Work queue depth exceeded' }
        : index === 1
          ? { error: { code: -28, message: 'Loading block index...' } }
          : { result: { Command: 'pinfo', height: 10, pinfo: 512, elapsed: 1 } };
    await expect(client.pinfo()).resolves.toEqual({
      Command: 'pinfo',
      height: 10,
      pinfo: 512,
      elapsed: 1,
    });
    expect(node.requests).toHaveLength(3);

    makeClient({ readRetries: 2 });
    node.requests.length = 0;
    node.handler = () => ({ drop: true });
    const error = await caught(client.getBlockCount());
    expect(error).toBeInstanceOf(RpcTransportError);
    expect(node.requests).toHaveLength(3);
  });

  it('sends sendmany exactly once when the connection drops, and says so with a transport error', async () => {
    node.handler = () => ({ drop: true });
    const error = await caught(
      client.sendMany(new Map([[ADDR_1, 150_000_000n]]), { comment: 'payout 7' }),
    );
    expect(error).toBeInstanceOf(RpcTransportError);
    expect((error as RpcTransportError).kind).toBe('reset');
    expect((error as RpcTransportError).mayHaveReachedNode).toBe(true);
    expect(node.requests).toHaveLength(1);
  });

  it('sends sendtoaddress exactly once when the node times out', async () => {
    makeClient({ timeoutMs: 100 });
    node.handler = () => ({ hang: true });
    const error = await caught(client.sendToAddress(ADDR_1, 1n));
    expect((error as RpcTransportError).kind).toBe('timeout');
    expect(node.requests).toHaveLength(1);
  });

  it('does not retry a batch that contains a send', async () => {
    node.handler = () => ({ drop: true });
    await caught(client.batch([rpcCalls.getBlockCount(), rpcCalls.sendToAddress(ADDR_1, 5n)]));
    expect(node.httpRequests).toBe(1);
  });

  it('maps node errors to RpcError with code and message, without retrying', async () => {
    node.handler = () => ({ error: { code: -22, message: 'Block decode failed' } });
    const error = await caught(client.hexBlockToCoinbase('zz'));
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({
      code: -22,
      rpcMessage: 'Block decode failed',
      method: 'exec hexblocktocoinbase',
    });
    expect(node.requests).toHaveLength(1);

    node.handler = () => ({ error: { code: -6, message: 'Insufficient funds' } });
    const send = await caught(client.sendToAddress(ADDR_1, 100n));
    expect(send).toMatchObject({ code: -6, method: 'sendtoaddress' });
    expect(events.at(-1)).toEqual({ method: 'sendtoaddress', outcome: 'rpc_error' });
  });

  it('returns "block not found" from exec subsidy as its own result', async () => {
    node.handler = (request) =>
      (request.params as string[])[1] === '99'
        ? { result: { Command: 'subsidy', error: 'block not found' } }
        : {
            result: {
              Command: 'subsidy',
              subsidy: 5492,
              recipient: ADDR_1,
              blockversion: 1193,
              minerguid: 'guid-1',
            },
          };
    await expect(client.subsidy(99)).resolves.toEqual({ found: false, height: 99 });
    await expect(client.subsidy(98)).resolves.toEqual({
      found: true,
      height: 98,
      subsidy: 549_200_000_000n,
      recipient: ADDR_1,
      blockversion: 1193,
      minerguid: 'guid-1',
    });
    expect(node.requests[0].params).toEqual(['subsidy', '99']);
  });

  it('reuses one keep-alive socket for sequential reads', async () => {
    node.handler = () => ({ result: 5 });
    for (let i = 0; i < 5; i++) await expect(client.getBlockCount()).resolves.toBe(5);
    expect(node.connections).toBe(1);
  });

  it('sends money on a fresh connection, never a kept-alive one', async () => {
    node.handler = (request) => ({ result: request.method === 'sendtoaddress' ? TXID : 5 });
    await client.getBlockCount();
    await client.sendToAddress(ADDR_1, 1n);
    await client.getBlockCount();
    expect(node.connections).toBe(2);
  });

  it('keeps amounts exact both ways, including ones a double cannot hold', async () => {
    node.handler = (request) =>
      request.method === 'getwalletinfo'
        ? {
            rawResult:
              '{"walletversion":61000,"balance":100000000.00000002,' +
              '"unconfirmed_balance":0.00000000,"immature_balance":5492.12345678,"txcount":3}',
          }
        : { result: TXID };
    await expect(client.getWalletInfo()).resolves.toEqual({
      walletversion: 61000,
      balance: 10_000_000_000_000_002n,
      unconfirmed_balance: 0n,
      immature_balance: 549_212_345_678n,
      txcount: 3,
    });

    await expect(
      client.sendMany(
        { [ADDR_1]: 10_000_000_000_000_002n, [ADDR_2]: 30_000_000n },
        {
          minconf: 2,
          comment: 'round 12',
          subtractFeeFrom: [ADDR_2],
        },
      ),
    ).resolves.toBe(TXID);
    expect(node.rawBodies[1]).toContain(
      `"params":["",{"${ADDR_1}":100000000.00000002,"${ADDR_2}":0.3},2,"round 12",["${ADDR_2}"]]`,
    );

    await client.sendToAddress(ADDR_1, 12_345_678_901n, 'c', 'to', true);
    expect(node.rawBodies[2]).toContain(`"params":["${ADDR_1}",123.45678901,"c","to",true]`);
  });

  it('decodes gettransaction and listtransactions amounts to base units', async () => {
    node.handler = (request) =>
      request.method === 'gettransaction'
        ? {
            rawResult: `{"amount":-0.3,"fee":-0.0000226,"confirmations":0,"txid":"${TXID}",
              "time":1,"timereceived":2,"comment":"payout 7","details":[
              {"account":"","address":"${ADDR_1}","category":"send","amount":-0.1,"vout":0,"fee":-0.0000226,"abandoned":false},
              {"account":"","address":"${ADDR_2}","category":"send","amount":-0.2,"vout":1,"fee":-0.0000226,"abandoned":false}],
              "hex":"00"}`,
          }
        : {
            rawResult: `[{"account":"","category":"move","amount":1.5,"time":3,"comment":""},
              {"address":"${ADDR_1}","category":"generate","amount":5492,"vout":0,"confirmations":101,
              "generated":true,"blockhash":"${HASH_A}","blockindex":0,"blocktime":4,"txid":"${TXID}","time":4,"timereceived":4}]`,
          };
    const tx = await client.getTransaction(TXID);
    expect(tx).toMatchObject({
      amount: -30_000_000n,
      fee: -2_260n,
      confirmations: 0,
      comment: 'payout 7',
    });
    expect(tx.details.map((d) => d.amount)).toEqual([-10_000_000n, -20_000_000n]);
    const list = await client.listTransactions(2, 0);
    expect(node.requests[1].params).toEqual(['*', 2, 0]);
    expect(list[0]).toEqual({
      account: '',
      category: 'move',
      amount: 150_000_000n,
      time: 3,
      comment: '',
    });
    expect(list[1]).toMatchObject({
      category: 'generate',
      amount: 549_200_000_000n,
      confirmations: 101,
    });
  });

  it('refuses sends that cannot be right before they reach the node', async () => {
    expect(() => rpcCalls.sendToAddress(ADDR_1, 0n)).toThrow(RangeError);
    expect(() => rpcCalls.sendMany(new Map())).toThrow(RangeError);
    expect(() => rpcCalls.sendMany({ [ADDR_1]: -1n })).toThrow(RangeError);
    expect(() => rpcCalls.sendMany({ [ADDR_1]: 1n }, { subtractFeeFrom: [ADDR_2] })).toThrow(
      /not a recipient/,
    );
    await expect(client.sendToAddress(ADDR_1, -5n)).rejects.toThrow(RangeError);
    expect(node.httpRequests).toBe(0);
  });

  it('calls an exec biblehash answer without BibleHash a node error, not a glitch to retry', async () => {
    node.handler = () => ({ result: { Command: 'biblehash' } });
    const error = await caught(client.bibleHash(HASH_A, 0, 0, 0, 0));
    expect(error).toBeInstanceOf(RpcError);
    expect(node.requests).toHaveLength(1);
  });

  it.each([
    // A node without the item answers a plain result, no JSON-RPC error: classic
    // {"Command":item,"Error":"Unknown command: <item>"} (src/rpcblockchain.cpp:1392,3443 @1.2.0.1),
    // Evo {"Command":item,"Error":"Command not found"} (src/rpc/blockchain.cpp:1752,2998 @1.4.4.8).
    ['classic', (item: string) => `Unknown command: ${item}`],
    ['evo', () => 'Command not found'],
  ])(
    'calls a %s node that does not know the exec item bad_response naming the node text, never a verdict',
    async (_flavor, text) => {
      makeClient({ readRetries: 3 });
      node.handler = (request) => {
        const item = (request.params as string[])[0];
        return { result: { Command: item, Error: text(item) } };
      };
      const calls: [string, () => Promise<unknown>][] = [
        ['biblehash', () => client.bibleHash(HASH_A, 1, 0, 0, 0)],
        ['hexblocktocoinbase', () => client.hexBlockToCoinbase('00')],
        ['pinfo', () => client.pinfo()],
        ['subsidy', () => client.subsidy(5)],
      ];
      for (const [item, call] of calls) {
        node.requests.length = 0;
        const error = await caught(call());
        expect(error).toBeInstanceOf(RpcTransportError);
        expect(error).toMatchObject({ kind: 'bad_response', method: `exec ${item}` });
        expect(error.message).toContain(`the node does not know exec ${item}: ${text(item)}`);
        expect(node.requests).toHaveLength(1); // not retried: it would answer the same
      }
    },
  );

  it('reads submitblock null as accepted and a string as the reason it was not', async () => {
    node.handler = (_request, index) => ({ result: index === 0 ? null : 'duplicate' });
    await expect(client.submitBlock('00')).resolves.toEqual({ accepted: true });
    await expect(client.submitBlock('00')).resolves.toEqual({
      accepted: false,
      reason: 'duplicate',
    });
  });

  it('reads an old node hexblocktocoinbase answer without cpid or blockmessage members', async () => {
    node.handler = () => ({
      result: {
        txid: TXID,
        subsidy: 5492,
        blockversion: '1.0.8.9',
        biblehash: HASH_A,
        Command: 'hexblocktocoinbase',
        recipient: ADDR_1,
      },
    });
    await expect(client.hexBlockToCoinbase('00')).resolves.toEqual({
      Command: 'hexblocktocoinbase',
      txid: TXID,
      recipient: ADDR_1,
      biblehash: HASH_A,
      subsidy: 549_200_000_000n,
      blockversion: '1.0.8.9',
    });
  });

  it('calls a refused port a transport error of kind refused, after retrying reads', async () => {
    const port = node.port;
    await node.stop();
    makeClient({ url: `http://${USER}:${PASS_ENCODED}@127.0.0.1:${port}`, readRetries: 1 });
    const error = await caught(client.getBlockCount());
    expect(error).toMatchObject({ kind: 'refused', method: 'getblockcount' });
    expect((error as RpcTransportError).mayHaveReachedNode).toBe(false);
    expect(events.map((e) => e.outcome)).toEqual(['transport_error', 'transport_error']);
    node = await new FakeNode().start(); // for afterEach
  });

  it('calls a non-JSON or mismatched answer bad_response', async () => {
    makeClient({ readRetries: 0 });
    node.handler = () => ({ status: 200, body: '<html>proxy error</html>' });
    expect(await caught(client.getBlockCount())).toMatchObject({ kind: 'bad_response' });
    node.handler = () => ({ status: 200, body: '{"result":1,"error":null,"id":999}' });
    expect(await caught(client.getBlockCount())).toMatchObject({ kind: 'bad_response' });
    makeClient({ readRetries: 3 });
    node.requests.length = 0;
    node.handler = () => ({ result: { Command: 'pinfo', height: 'ten' } });
    expect(await caught(client.pinfo())).toMatchObject({ kind: 'bad_response' });
    // A wrong shape comes back the same way: not retried.
    expect(node.requests).toHaveLength(1);
    node.handler = () => ({ status: 502, body: 'Bad Gateway' });
    expect(await caught(client.getBlockCount())).toMatchObject({ kind: 'http_status' });
  });

  describe('calls built for the node generation (docs/FIDELITY.md)', () => {
    it('lays sendmany out as classic reads it: comment at [3], subtract-fee array at [4]', async () => {
      node.handler = () => ({ result: TXID });
      await client.sendMany(new Map([[ADDR_1, 150_000_000n]]), {
        comment: 'purepool:7',
        subtractFeeFrom: [ADDR_1],
        flavor: 'classic',
      });
      expect(JSON.parse(node.rawBodies[0]).params).toEqual([
        '',
        { [ADDR_1]: 1.5 },
        1,
        'purepool:7',
        [ADDR_1],
      ]);
    });

    it('lays sendmany out as Evo reads it: addlocked false at [3], comment at [4], array at [5]', async () => {
      node.handler = () => ({ result: TXID });
      await client.sendMany(new Map([[ADDR_1, 150_000_000n]]), {
        comment: 'purepool:7',
        subtractFeeFrom: [ADDR_1],
        flavor: 'evo',
      });
      expect(JSON.parse(node.rawBodies[0]).params).toEqual([
        '',
        { [ADDR_1]: 1.5 },
        1,
        false,
        'purepool:7',
        [ADDR_1],
      ]);
    });

    it('sends exec hexblocktocoinbase with exactly the block hex and reads an Evo 1.4.8 answer without Command', async () => {
      node.handler = () => ({
        result: {
          txid: TXID,
          recipient: ADDR_1,
          biblehash: HASH_A,
          blockhash: HASH_B,
          nonce: 17,
          subsidy: 5492,
          blockversion: 1484,
          requiredabnweight: 0,
          block_abn_weight: 0,
          abn_passed: true,
          blockmessage: '<VER>1.4.8.4</VER><MINERGUID>g</MINERGUID>',
          height: 130_001,
        },
      });
      const info = await client.hexBlockToCoinbase('00');
      expect(node.requests[0].params).toEqual(['hexblocktocoinbase', '00']);
      expect(info).toEqual({
        txid: TXID,
        recipient: ADDR_1,
        biblehash: HASH_A,
        subsidy: 549_200_000_000n,
        blockversion: 1484,
        blockmessage: '<VER>1.4.8.4</VER><MINERGUID>g</MINERGUID>',
        abn_passed: true,
        height: 130_001,
      });
    });

    it('reads getnetworkinfo version and getbalance as exact base units', async () => {
      node.handler = (request) =>
        request.method === 'getnetworkinfo'
          ? {
              result: {
                version: 1040408,
                subversion: '/BiblePay Core:1.4.4.8/',
                protocolversion: 70737,
              },
            }
          : { rawResult: '12.34567891' };
      await expect(client.getNetworkInfo()).resolves.toEqual({
        version: 1040408,
        subversion: '/BiblePay Core:1.4.4.8/',
        protocolversion: 70737,
      });
      await expect(client.getBalance('', 1)).resolves.toBe(1_234_567_891n);
      expect(node.requests[1]).toMatchObject({ method: 'getbalance', params: ['', 1] });
    });

    it('calls the busy node\'s plain-text HTTP 500 "busy": never ran, reads retried, a send not', async () => {
      makeClient({ readRetries: 2 });
      node.handler = (_request, i) =>
        i === 0 ? { status: 500, body: 'Work queue depth exceeded' } : { result: 7 };
      await expect(client.getBlockCount()).resolves.toBe(7);

      node.requests.length = 0;
      node.handler = () => ({ status: 500, body: 'Work queue depth exceeded' });
      const error = await caught(client.sendMany(new Map([[ADDR_1, 1n]]), { comment: 'x' }));
      expect(error).toMatchObject({ kind: 'busy' });
      expect((error as RpcTransportError).mayHaveReachedNode).toBe(false);
      expect(node.requests).toHaveLength(1);
    });
  });
});
