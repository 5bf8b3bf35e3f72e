import { NodeFlavorDetector } from './node-flavor-detector';
import { NodeFlavorSetting } from './node-flavor';
import { BiblepayRpcClient } from './rpc';

/** A node that answers getnetworkinfo with `version` and validateaddress with `account`. */
function fakeNode(version: number, account?: string) {
  const calls: string[] = [];
  const node = {
    version,
    client: {
      getNetworkInfo: async () => {
        calls.push('getnetworkinfo');
        await Promise.resolve();
        return { version: node.version, subversion: '', protocolversion: 70717 };
      },
      validateAddress: async (address: string) => {
        calls.push(`validateaddress ${address}`);
        return { isvalid: true, address, ismine: true, account };
      },
    } as unknown as BiblepayRpcClient,
    calls,
  };
  return node;
}

const detector = (node: ReturnType<typeof fakeNode>, setting: NodeFlavorSetting, now = () => 0) =>
  new NodeFlavorDetector('main', node.client, setting, () => 'BPoolAddress', now);

describe('NodeFlavorDetector', () => {
  it.each([
    [1_010_308, 'classic', '1.1.3.8'],
    [1_020_001, 'classic', '1.2.0.1'],
    [1_039_999, 'classic', '1.3.99.99'],
    [1_040_000, 'evo', '1.4.0.0'],
    [1_040_408, 'evo', '1.4.4.8'],
    [1_040_804, 'evo', '1.4.8.4'],
  ] as const)('auto: version %d is %s (%s)', async (version, flavor, text) => {
    const node = fakeNode(version);
    const d = detector(node, 'auto');
    expect(d.report()).toMatchObject({ flavor: null, version: null });
    await expect(d.flavor()).resolves.toBe(flavor);
    expect(d.report()).toEqual({
      setting: 'auto',
      flavor,
      version: text,
      poolAddressLabel: '',
      warnings: [],
    });
  });

  it('an explicit setting wins without asking; one the node contradicts is a warning', async () => {
    const node = fakeNode(1_040_408);
    const d = detector(node, 'classic');
    await expect(d.flavor()).resolves.toBe('classic');
    expect(node.calls).toEqual([]);
    await d.detect();
    expect(d.report()).toMatchObject({
      flavor: 'classic',
      version: '1.4.4.8',
      warnings: ['NODE_FLAVOR_MAIN=classic but the node is evo 1.4.4.8'],
    });
  });

  it('warns about a labelled pool address', async () => {
    const d = detector(fakeNode(1_020_001, 'pool'), 'auto');
    await d.detect();
    expect(d.report().poolAddressLabel).toBe('pool');
    expect(d.report().warnings).toEqual([
      'the pool address carries the label "pool": its coins are not in the "" account that sendmany spends (docs/RUNBOOK.md)',
    ]);
  });

  it('asks once for concurrent callers, and again after ten minutes (a node upgraded under the pool)', async () => {
    const node = fakeNode(1_020_001);
    let now = 0;
    const d = detector(node, 'auto', () => now);
    await Promise.all([d.flavor(), d.flavor(), d.flavor()]);
    expect(node.calls.filter((c) => c === 'getnetworkinfo')).toHaveLength(1);
    node.version = 1_040_408;
    now = 10 * 60_000 - 1;
    await expect(d.flavor()).resolves.toBe('classic');
    now = 10 * 60_000;
    await expect(d.flavor()).resolves.toBe('evo');
    expect(node.calls.filter((c) => c === 'getnetworkinfo')).toHaveLength(2);
  });

  it('rejects while the node cannot be asked, and has no flavor yet', async () => {
    const node = fakeNode(1_020_001);
    (node.client as unknown as { getNetworkInfo: () => Promise<never> }).getNetworkInfo = () =>
      Promise.reject(new Error('ECONNREFUSED'));
    const d = detector(node, 'auto');
    await expect(d.flavor()).rejects.toThrow('ECONNREFUSED');
    expect(d.report().flavor).toBeNull();
  });
});
