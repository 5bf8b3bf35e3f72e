import http from 'node:http';
import { AddressInfo } from 'node:net';
import { isValidAddress, randomAddress } from '../../src/biblepay/address';
import { Network } from '../../src/biblepay/network';
import { decodeBlock } from '../chain/block-codec';
import { hashMeetsTarget } from '../chain/hash';
import { rpcCall, SimRpcError } from '../node/rpc-client';
import { SimNodeHandle, startSimNode } from '../node/sim-node';
import { fetchChainTip } from './chain-tip';
import { craftSolution, CraftedSolution, Misbehaviour } from './craft';
import { SOLUTION_FIELD_COUNT } from '../../src/biblepay/solution-string';
import { errorBody, solutionAcceptedBody, workBody } from '../../src/biblepay/pool-protocol';
import { PoolWork } from './protocol';
import { mineOneShare, PoolRefusedError, requestWork, runSimMiner } from './sim-miner';

interface ReceivedRequest {
  at: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A tiny pool speaking docs/PROTOCOL.md §1 with the pool's own answer bodies (terminators
 * included, so both wallet readers stop): work for `readytomine2`, ok for `solution`, and the
 * original's errors for a wrong network, a missing worker or solution, an unknown action.
 */
async function startFakePool(network: Network, address: string, hashTarget: string) {
  const solutions: ReceivedRequest[] = [];
  const getworks: ReceivedRequest[] = [];
  let work = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received = {
        at: Date.now(),
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      const action = String(req.headers.action ?? '');
      const answer = (body: string): void => {
        res.writeHead(200, {
          'Content-Type': 'text/html',
          'Content-Length': String(Buffer.byteLength(body)),
        });
        res.end(body);
      };
      const error = (message: string): void => answer(errorBody(message));
      if (req.headers.networkid !== network) return error('Invalid network');
      if (!req.headers.miner) return error('WorkerID is missing');
      if (!isValidAddress(network, String(req.headers.miner).split('/')[0])) {
        return error(`WorkerID ${String(req.headers.miner)} is invalid`);
      }
      if (action === 'readytomine2') {
        getworks.push(received);
        work++;
        return answer(
          workBody({
            address,
            hashTarget,
            minerGuid: `guid-${String(req.headers.miner).split('/')[0].slice(0, 8)}`,
            workId: `work-${work}`,
          }),
        );
      }
      if (action === 'solution') {
        const solution = String(req.headers.solution ?? '');
        if (solution === '') return error('Solution is missing');
        if (solution.split(',').length !== 16) return error('Invalid Solution');
        solutions.push(received);
        return answer(solutionAcceptedBody(solution.split(',')[6]));
      }
      return error(`UNKNOWN ACTION ${action}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    solutions,
    getworks,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const POOL_TARGET = '00ff' + 'f'.repeat(60);

describe('simulated miner against a pool and the simulated node', () => {
  let node: SimNodeHandle;
  let pool: Awaited<ReturnType<typeof startFakePool>>;

  const startBoth = async (networkTarget: string, network: Network = 'main') => {
    node = await startSimNode({
      port: 0,
      network,
      blockSeconds: 0,
      startHeight: 5,
      networkTarget,
      log: () => undefined,
    });
    pool = await startFakePool(network, node.options.poolAddress, POOL_TARGET);
  };

  afterEach(async () => {
    await pool?.close();
    await node?.close();
  });

  it('sends well-formed 16-field solutions in the wallet headers, bible hash <= target and recomputed by the node', async () => {
    await startBoth('0'.repeat(64)); // no block can be found: shares only
    const summary = await runSimMiner({
      pool: pool.url,
      node: node.url,
      miners: 2,
      workers: 1,
      threads: 2,
      shareSeconds: 0.05,
      maxShares: 6,
    });
    expect(summary).toMatchObject({
      sharesSent: 6,
      accepted: 6,
      refused: 0,
      errors: {},
      blocksFound: 0,
    });
    expect(pool.solutions).toHaveLength(6);
    const workerIds = new Set(summary.workers);
    for (const { headers } of pool.solutions) {
      expect(headers).toMatchObject({
        action: 'solution',
        agent: '1.1.9.3',
        networkid: 'main',
        os: 'LIN',
      });
      expect(workerIds.has(String(headers.miner))).toBe(true);
      expect(['0', '1']).toContain(headers.threadid);
      const fields = String(headers.solution).split(',');
      expect(fields).toHaveLength(SOLUTION_FIELD_COUNT);
      const [blockHash, blockTime, prevTime, prevHeight, bibleHash, minerGuid, workId] = fields;
      expect(hashMeetsTarget(bibleHash, POOL_TARGET)).toBe(true);
      expect(workId).toMatch(/^work-\d+$/);
      expect(minerGuid).toBe(`guid-${String(headers.miner).slice(0, 8)}`);
      expect(prevHeight).toBe(String(node.chain.height));
      const recomputed = await rpcCall<{ BibleHash: string }>(node.url, 'exec', [
        'biblehash',
        blockHash,
        blockTime,
        prevTime,
        prevHeight,
        fields[13],
      ]);
      expect(recomputed.BibleHash).toBe(bibleHash);
      const coinbase = await rpcCall<Record<string, unknown>>(node.url, 'exec', [
        'hexblocktocoinbase',
        fields[14],
        fields[15],
      ]);
      expect(coinbase).toMatchObject({
        recipient: node.options.poolAddress,
        biblehash: bibleHash,
        cpid_sig_valid: true,
        cpid_legal: true,
      });
      expect(coinbase.blockmessage).toContain(`<MINERGUID>${minerGuid}</MINERGUID>`);
      const pinfo = await rpcCall<{ pinfo: number }>(node.url, 'exec', ['pinfo']);
      expect(Number(fields[13])).toBeLessThanOrEqual(pinfo.pinfo);
      // hash counters: per thread <= wallet-wide, timer end after timer start
      expect(Number(fields[8])).toBeLessThanOrEqual(Number(fields[10]));
      expect(Number(fields[12])).toBeGreaterThan(Number(fields[11]));
    }
  });

  it('submits a share that meets the network target to the node: the chain shows the pool recipient and the MINERGUID', async () => {
    await startBoth('f'.repeat(64), 'test');
    const start = node.chain.height;
    const summary = await runSimMiner({
      pool: pool.url,
      node: node.url,
      network: 'test',
      threads: 1,
      shareSeconds: 0.05,
      maxShares: 3,
    });
    expect(summary.blocksFound).toBe(3);
    expect(summary.blocksAccepted).toBe(3);
    expect(node.chain.height).toBe(start + 3);
    const guid = `guid-${summary.workers[0].slice(0, 8)}`;
    for (let height = start + 1; height <= node.chain.height; height++) {
      await expect(rpcCall(node.url, 'exec', ['subsidy', String(height)])).resolves.toMatchObject({
        recipient: node.options.poolAddress,
        minerguid: guid,
      });
      expect(node.chain.at(height)!.origin).toBe('miner');
    }
    // The pool wallet now holds their coinbase, immature.
    expect(node.wallet.balances().immature).toBe(3n * node.chain.subsidy);
  });

  it('paces each thread to at most one share per share-seconds', async () => {
    await startBoth('0'.repeat(64));
    const summary = await runSimMiner({
      pool: pool.url,
      node: node.url,
      threads: 2,
      shareSeconds: 0.3,
      durationSeconds: 1,
    });
    expect(summary.sharesSent).toBeGreaterThanOrEqual(4);
    expect(summary.sharesSent).toBeLessThanOrEqual(8);
    // Paced when sent; seen here on arrival, each over a new connection whose setup time varies.
    for (const thread of ['0', '1']) {
      const times = pool.solutions.filter((s) => s.headers.threadid === thread).map((s) => s.at);
      for (let i = 1; i < times.length; i++)
        expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(250);
    }
  });

  it('counts the pool refusals by message in its summary', async () => {
    await startBoth('0'.repeat(64));
    const summary = await runSimMiner({
      pool: pool.url,
      node: node.url,
      shareSeconds: 0.01,
      maxShares: 5,
      misbehave: ['none', 'unknown-network', 'missing-solution', 'malformed', 'unknown-action'],
    });
    expect(summary).toMatchObject({
      sharesSent: 5,
      accepted: 1,
      refused: 4,
      errors: {
        'Invalid network': 1,
        'Solution is missing': 1,
        'Invalid Solution': 1,
        'UNKNOWN ACTION readytomine3': 1,
      },
    });
  });

  it('mineOneShare runs one share end to end: a duplicate is sent twice, a qualifying block reaches the node', async () => {
    await startBoth('f'.repeat(64));
    const height = node.chain.height;
    const share = await mineOneShare({
      pool: pool.url,
      network: 'main',
      node: node.url,
      misbehaviour: 'duplicate',
    });
    expect(share.outcomes).toEqual([
      { ok: true, workId: share.work.workId },
      { ok: true, workId: share.work.workId },
    ]);
    expect(pool.solutions.map((s) => s.headers.solution)).toEqual([
      share.crafted.solution,
      share.crafted.solution,
    ]);
    expect(share.block).toBeNull();
    expect(node.chain.height).toBe(height + 1);
    await expect(
      requestWork({ pool: pool.url, network: 'test', workerId: `${randomAddress('test')}/w0` }),
    ).rejects.toEqual(new PoolRefusedError('Invalid network'));
  });

  it('reports getwork and transport failures without spinning', async () => {
    const summary = await runSimMiner({
      pool: 'http://127.0.0.1:1',
      shareSeconds: 0.1,
      durationSeconds: 0.35,
    });
    expect(summary.sharesSent).toBe(0);
    expect(summary.getworks).toBeLessThanOrEqual(4);
    expect(Object.keys(summary.errors).join()).toMatch(/ECONNREFUSED/);
  });

  it('times every answer per action and counts one the reader only ended by timeout as an error', async () => {
    // The pool's answers before docs/PROTOCOL.md §1.3: no terminator line, connection kept open.
    const address = randomAddress('main');
    const legacy = http.createServer((req, res) => {
      req.resume();
      const body =
        req.headers.action === 'solution'
          ? '<RESPONSE><STATUS>ok</STATUS><WORKID>w</WORKID></RESPONSE><END></HTML>'
          : `<RESPONSE> <ADDRESS>${address}</ADDRESS><HASHTARGET>${'f'.repeat(64)}</HASHTARGET><MINERGUID>g</MINERGUID><WORKID>w</WORKID></RESPONSE>`;
      res.writeHead(200, { 'Content-Length': String(Buffer.byteLength(body)) });
      res.end(body);
    });
    await new Promise<void>((resolve) => legacy.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(legacy.address() as AddressInfo).port}`;
    try {
      const base = { pool: url, maxShares: 1, shareSeconds: 10, durationSeconds: 0.6 };
      const plain = await runSimMiner({ ...base, timeoutMs: 200 });
      expect(plain.reader).toBe('http');
      expect(plain.errors).toEqual({ 'answer ended by timeout (http reader)': 1 });
      expect(plain.answers.readytomine2).toMatchObject({ answers: 1, prompt: 0 });
      expect(plain.answers.readytomine2.p50Ms).toBeGreaterThanOrEqual(190);

      const https = await runSimMiner({ ...base, timeoutMs: 200, reader: 'https' });
      expect(https.errors).toEqual({});
      expect(https.answers.readytomine2).toMatchObject({ answers: 1, prompt: 1 });
      expect(https.answers.readytomine2.maxMs).toBeLessThan(190);
    } finally {
      legacy.closeAllConnections();
      await new Promise<void>((resolve) => legacy.close(() => resolve()));
    }
  });

  it('reads the pool with both readers, promptly', async () => {
    await startBoth('0'.repeat(64));
    for (const reader of ['http', 'https'] as const) {
      const summary = await runSimMiner({
        pool: pool.url,
        node: node.url,
        reader,
        shareSeconds: 0.05,
        maxShares: 2,
      });
      expect(summary).toMatchObject({ reader, accepted: 2, errors: {} });
      expect(summary.answers.solution).toMatchObject({ answers: 2, prompt: 2 });
    }
  });
});

/**
 * The original pool's checks (docs/PROTOCOL.md §3) against the simulated node, returning the name of
 * the first that fails — so each crafted misbehaviour can be shown to fail exactly its own check.
 */
async function firstFailedCheck(
  nodeUrl: string,
  work: PoolWork,
  crafted: CraftedSolution,
  poolAddress: string,
): Promise<string> {
  const fields = crafted.solution.split(',');
  if (crafted.solution === '') return 'solution missing';
  if (fields.length !== 16) return 'invalid solution';
  if (
    crafted.overrides.network ||
    crafted.overrides.miner !== undefined ||
    crafted.overrides.action
  )
    return 'request headers';
  const [blockHash, blockTime, prevTime, prevHeight, bibleHash, , workId] = fields;
  if (workId !== work.workId) return 'unknown work';
  if (!hashMeetsTarget(bibleHash, work.hashTarget)) return 'above target';
  const node = await rpcCall<{ BibleHash?: string }>(nodeUrl, 'exec', [
    'biblehash',
    blockHash,
    blockTime,
    prevTime,
    prevHeight,
    fields[13],
  ]);
  if (node.BibleHash !== bibleHash) return 'bible hash wrong';
  let coinbase: Record<string, unknown>;
  try {
    coinbase = await rpcCall(nodeUrl, 'exec', ['hexblocktocoinbase', fields[14], fields[15]]);
  } catch (error) {
    if (error instanceof SimRpcError && error.code === -22) return 'transaction invalid';
    throw error;
  }
  if (coinbase.recipient !== poolAddress) return 'wrong recipient';
  if (!('cpid_sig_valid' in coinbase)) return 'node outdated';
  if (!coinbase.cpid_sig_valid) return 'invalid cpid';
  if (!coinbase.cpid_legal) return 'illegal cpid';
  const pinfo = await rpcCall<{ pinfo: number; height: number }>(nodeUrl, 'exec', ['pinfo']);
  if (Number(fields[13]) > pinfo.pinfo) return 'nonce too high';
  if (Number(prevHeight) !== pinfo.height) return 'wrong height';
  return 'valid';
}

describe('crafting one solution per misbehaviour', () => {
  let node: SimNodeHandle;
  beforeAll(async () => {
    // A 1.1.3.8 node judges every fresh block's CPID; 1.2.0.1 only inside the PODC window.
    node = await startSimNode({
      port: 0,
      blockSeconds: 0,
      startHeight: 5,
      clientVersion: 1_010_308,
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await node.close();
  });

  const cases: [Misbehaviour, string][] = [
    ['none', 'valid'],
    ['duplicate', 'valid'],
    ['stale-work', 'unknown work'],
    ['above-target', 'above target'],
    ['malformed', 'invalid solution'],
    ['missing-solution', 'solution missing'],
    ['bad-biblehash', 'bible hash wrong'],
    ['tampered-block', 'transaction invalid'],
    ['wrong-recipient', 'wrong recipient'],
    // A classic node reports a block without a CPID signature as an invalid signature.
    ['old-node', 'invalid cpid'],
    ['bad-cpid', 'invalid cpid'],
    ['illegal-cpid', 'illegal cpid'],
    ['nonce-too-high', 'nonce too high'],
    ['wrong-height', 'wrong height'],
    ['wrong-network', 'request headers'],
    ['unknown-network', 'request headers'],
    ['invalid-address', 'request headers'],
    ['missing-worker', 'request headers'],
    ['unknown-action', 'request headers'],
  ];

  it.each(cases)('%s fails the pool check "%s"', async (misbehaviour, expected) => {
    const work: PoolWork = {
      address: node.options.poolAddress,
      hashTarget: POOL_TARGET,
      minerGuid: 'guid-1',
      workId: 'work-1',
    };
    const tip = await fetchChainTip(node.url);
    const workerId = `${randomAddress('main')}/w0`;
    const crafted = await craftSolution({ work, tip, network: 'main', workerId, misbehaviour });
    await expect(firstFailedCheck(node.url, work, crafted, node.options.poolAddress)).resolves.toBe(
      expected,
    );
    expect(crafted.sends).toBe(misbehaviour === 'duplicate' ? 2 : 1);
  });

  it('request-level modes change exactly the header they are about', async () => {
    const work: PoolWork = {
      address: node.options.poolAddress,
      hashTarget: POOL_TARGET,
      minerGuid: 'g',
      workId: 'w',
    };
    const tip = await fetchChainTip(node.url);
    const workerId = `${randomAddress('main')}/w0`;
    const craft = (misbehaviour: Misbehaviour) =>
      craftSolution({ work, tip, network: 'main', workerId, misbehaviour });
    expect((await craft('wrong-network')).overrides).toEqual({ network: 'test' });
    expect((await craft('unknown-network')).overrides).toEqual({ network: 'regtest' });
    expect((await craft('missing-worker')).overrides).toEqual({ miner: '' });
    expect((await craft('unknown-action')).overrides).toEqual({ action: 'readytomine3' });
    const invalid = (await craft('invalid-address')).overrides.miner!;
    expect(invalid).not.toBe(workerId);
    expect(invalid.endsWith('/w0')).toBe(true);
    expect(isValidAddress('main', invalid.split('/')[0])).toBe(false);
  });

  it('pads the block hex to about the requested size, and the block still decodes', async () => {
    const work: PoolWork = {
      address: node.options.poolAddress,
      hashTarget: POOL_TARGET,
      minerGuid: 'g',
      workId: 'w',
    };
    const crafted = await craftSolution({
      work,
      tip: await fetchChainTip(node.url),
      network: 'main',
      workerId: 'x',
      blockBytes: 40_000,
    });
    expect(crafted.blockHex.length).toBeGreaterThan(36_000);
    expect(crafted.blockHex.length).toBeLessThan(44_000);
    expect(decodeBlock(crafted.blockHex).hash).toBe(crafted.fields.blockHash);
  });
});
