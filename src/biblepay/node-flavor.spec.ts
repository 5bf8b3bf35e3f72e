import { cpidRequired, flavorFromVersion, podcEnabled, versionText } from './node-flavor';

describe('node generations (docs/FIDELITY.md)', () => {
  it('tells classic from Evo by getnetworkinfo.version (CLIENT_VERSION)', () => {
    expect(flavorFromVersion(1010308)).toBe('classic'); // 1.1.3.8
    expect(flavorFromVersion(1020001)).toBe('classic'); // 1.2.0.1, the last legacy tag
    expect(flavorFromVersion(1040408)).toBe('evo'); // 1.4.4.8
    expect(flavorFromVersion(1040804)).toBe('evo'); // 1.4.8.4
    expect(versionText(1040804)).toBe('1.4.8.4');
    expect(versionText(1020001)).toBe('1.2.0.1');
  });

  it('has PODC strictly between 33,440 and 107,000 on main, 126,150 on test (rpcpog.cpp @1.2.0.1)', () => {
    expect(podcEnabled('main', 33_440)).toBe(false);
    expect(podcEnabled('main', 33_441)).toBe(true);
    expect(podcEnabled('main', 106_999)).toBe(true);
    expect(podcEnabled('main', 107_000)).toBe(false);
    expect(podcEnabled('test', 126_149)).toBe(true);
    expect(podcEnabled('test', 126_150)).toBe(false);
  });

  it('asks for a CPID under auto only on classic inside PODC; true and false are absolute', () => {
    expect(cpidRequired('auto', 'classic', 'main', 80_000)).toBe(true);
    expect(cpidRequired('auto', 'classic', 'main', 110_000)).toBe(false);
    expect(cpidRequired('auto', 'evo', 'main', 80_000)).toBe(false);
    expect(cpidRequired(true, 'evo', 'main', 130_000)).toBe(true);
    expect(cpidRequired(false, 'classic', 'main', 80_000)).toBe(false);
  });
});
