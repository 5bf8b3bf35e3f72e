import { isClientIp, TrustedProxies } from './client-address';

describe('TrustedProxies', () => {
  const proxies = new TrustedProxies(['127.0.0.1', '10.0.0.0/8', 'fd00::/64']);

  it('judges a peer on its own address, IPv4-mapped IPv6 included; junk is never trusted', () => {
    expect(proxies.trusts('127.0.0.1')).toBe(true);
    expect(proxies.trusts('::ffff:10.1.2.3')).toBe(true);
    expect(proxies.trusts('fd00::5')).toBe(true);
    expect(proxies.trusts('127.0.0.2')).toBe(false);
    expect(proxies.trusts('fd00:0:0:1::5')).toBe(false);
    expect(proxies.trusts('localhost')).toBe(false);
    expect(proxies.trusts(undefined)).toBe(false);
    expect(new TrustedProxies([]).trusts('127.0.0.1')).toBe(false);
    expect(new TrustedProxies([]).fastifyOption()).toBe(false);
  });

  it.each([
    ['a direct client: nothing it wrote', '203.0.113.9', '6.6.6.6', null],
    ['one proxy: the hop before it', '127.0.0.1', '6.6.6.6, 198.51.100.7', '198.51.100.7'],
    ['two proxies', '127.0.0.1', '6.6.6.6, 198.51.100.7, 10.0.0.2', '198.51.100.7, 10.0.0.2'],
    ['junk: the chain ends at the proxy', '127.0.0.1', 'x'.repeat(60), null],
    ['junk inside the chain', '127.0.0.1', '6.6.6.6, junk, 198.51.100.7', '198.51.100.7'],
    ['a port is not an address', '127.0.0.1', '198.51.100.7:4711', null],
    ['brackets are not an address', '127.0.0.1', '[2001:db8::1]', null],
    ['empty entries', '127.0.0.1', ' , ', null],
    ['IPv6 client', '::ffff:127.0.0.1', '2001:db8::1', '2001:db8::1'],
  ])('believedChain, %s', (_case, peer, header, expected) => {
    expect(proxies.believedChain(peer, header)).toBe(expected);
  });

  it('takes only IP addresses that fit work.ip (45 characters)', () => {
    expect(isClientIp('0000:0000:0000:0000:0000:ffff:192.168.100.200')).toBe(true);
    expect(isClientIp(`fe80::1%${'e'.repeat(40)}`)).toBe(false);
    expect(isClientIp('1.2.3')).toBe(false);
  });
});
