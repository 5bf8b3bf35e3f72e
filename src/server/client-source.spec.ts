import { sourceOf } from './client-source';

describe('sourceOf: the unit abuse limits count by', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['2001:db8:1:2::10.0.0.1', '2001:db8:1:2::/64'],
  ])('%s → %s', (ip, source) => {
    expect(sourceOf(ip)).toBe(source);
  });

  it.each([null, undefined, '', 'unknown', '1.2.3', '999.1.1.1', 'x'.repeat(60)])(
    '%s is no source',
    (ip) => {
      expect(sourceOf(ip)).toBeNull();
    },
  );

  it('every address of one /64 is one source, the next /64 another', () => {
    expect(sourceOf('2001:db8:a:b:1::')).toBe(sourceOf('2001:db8:a:b:ffff:ffff:ffff:ffff'));
    expect(sourceOf('2001:db8:a:c::1')).not.toBe(sourceOf('2001:db8:a:b::1'));
  });
});
