import { startSimNode, SimNodeHandle } from '../../../sim/node/sim-node';
import { isValidAddress, randomAddress } from '../address';
import { parseCoins } from '../amount';
import { BiblepayRpcClient } from './biblepay-rpc.client';
import { rpcCalls } from './rpc.calls';
import { RpcAuthError, RpcError, RpcTransportError } from './rpc.errors';

/** The client against the project's simulated node (sim/node): the same code the backend runs. */
describe('BiblepayRpcClient against the simulated node', () => {
  // Above 2^26 coins with a last-unit fraction: only exact if nothing passes through a double.
  const walletBalance = parseCoins('100000000.00000002');
  let sim: SimNodeHandle;
  let client: BiblepayRpcClient;

  beforeEach(async () => {
    sim = await startSimNode({
      port: 0,
      blockSeconds: 0,
      startHeight: 20,
      walletBalance,
      log: () => undefined,
    });
    client = new BiblepayRpcClient({ url: sim.url, retryBaseDelayMs: 5, timeoutMs: 5000 });
  });

  afterEach(async () => {
    client.close();
    await sim.close();
  });

  it('refuses wrong credentials with RpcAuthError', async () => {
    const wrong = new BiblepayRpcClient({ url: sim.url.replace(/:[^:@/]+@/, ':nope@') });
    try {
      await expect(wrong.getBlockCount()).rejects.toBeInstanceOf(RpcAuthError);
    } finally {
      wrong.close();
    }
  });

  it('reads the chain and the wallet, amounts exact', async () => {
    const height = await client.getBlockCount();
    expect(height).toBe(sim.chain.height);
    const hash = await client.getBlockHash(height);
    const block = await client.getBlock(hash);
    expect(block).toMatchObject({ hash, height, confirmations: 1 });

    const subsidy = await client.subsidy(height);
    expect(subsidy.found).toBe(true);
    if (subsidy.found) {
      expect(isValidAddress('main', subsidy.recipient)).toBe(true);
      expect(subsidy.subsidy % 100_000_000n).toBe(0n); // the node reports whole coins
    }
    await expect(client.subsidy(height + 1)).resolves.toEqual({ found: false, height: height + 1 });
    await expect(client.pinfo()).resolves.toMatchObject({ Command: 'pinfo', height });

    const wallet = await client.getWalletInfo();
    expect(wallet.balance).toBe(walletBalance);
    expect(wallet.immature_balance).toBe(0n);
  });

  it('answers a batch of bible hashes and failing calls per call, in order', async () => {
    const tip = sim.chain.tip;
    const input = (nonce: number) => ({
      blockHash: 'ab'.repeat(32),
      blockTime: tip.header.time + 60,
      prevBlockTime: tip.header.time,
      prevHeight: tip.height,
      nonce,
    });
    const unusable = { ...input(3), blockTime: 0 };
    const outcomes = await client.bibleHashMany([input(1), unusable, input(2)]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    for (const [i, nonce] of [
      [0, 1],
      [2, 2],
    ]) {
      const single = await client.bibleHash(
        input(nonce).blockHash,
        input(nonce).blockTime,
        input(nonce).prevBlockTime,
        input(nonce).prevHeight,
        nonce,
      );
      expect(outcomes[i]).toEqual({ ok: true, value: single });
    }
    expect(outcomes[0]).not.toEqual(outcomes[2]);
    expect(outcomes[1].ok ? null : outcomes[1].error).toBeInstanceOf(RpcError);

    const [count, missing, badHex] = await client.batch([
      rpcCalls.getBlockCount(),
      rpcCalls.raw('nosuchmethod', [], true),
      rpcCalls.hexBlockToCoinbase({ blockHex: 'zz' }),
    ]);
    expect(count).toEqual({ ok: true, value: sim.chain.height });
    expect(missing.ok ? null : missing.error).toMatchObject({ code: -32601 });
    expect(badHex.ok ? null : badHex.error).toMatchObject({
      code: -22,
      rpcMessage: 'Block decode failed',
    });
  });

  it('sends a sendmany whose reply is lost exactly once; the payment is in the wallet to reconcile', async () => {
    const to = randomAddress('main');
    sim.faults.loseReplies.set('sendmany', 1);
    const error = await client
      .sendMany(new Map([[to, parseCoins('12.34567891')]]), { comment: 'payout 42' })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(RpcTransportError);
    expect((error as RpcTransportError).mayHaveReachedNode).toBe(true);

    const listed = await client.listTransactions(10, 0);
    const sends = listed.filter((t) => t.category === 'send' && t.address === to);
    expect(sends).toHaveLength(1);
    expect(sends[0]).toMatchObject({ amount: -parseCoins('12.34567891'), comment: 'payout 42' });
    const tx = await client.getTransaction(sends[0].txid!);
    expect(tx.details.find((d) => d.address === to)?.amount).toBe(-parseCoins('12.34567891'));
  });
});
