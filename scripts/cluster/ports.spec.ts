import { defaultSoakOptions, SOAK_TEST_PORT_BASE } from '../soak/runner';
import { defaultClusterOptions } from './local-cluster';
import { LINUX_EPHEMERAL_DEFAULT, portBaseClash } from './ports';

describe('cluster port bases', () => {
  it('names a base whose ports reach into the ephemeral range', () => {
    expect(portBaseClash(38000, LINUX_EPHEMERAL_DEFAULT)).toMatch(/38000–38040 overlap/);
    expect(portBaseClash(32750, LINUX_EPHEMERAL_DEFAULT)).toMatch(/overlap/);
    expect(portBaseClash(32727, LINUX_EPHEMERAL_DEFAULT)).toBeNull();
    expect(portBaseClash(61000, LINUX_EPHEMERAL_DEFAULT)).toBeNull();
  });

  // The short soak in `npm test` once failed in CI with "backend2 did not become healthy" on port
  // 39112 (inside 32768–60999, even): its fixed ports must be where no outgoing connection goes.
  it('keeps the soak, its test and the local cluster below the ephemeral range', () => {
    for (const base of [
      defaultSoakOptions('/tmp').portBase,
      SOAK_TEST_PORT_BASE,
      defaultClusterOptions({}).portBase,
    ])
      expect(portBaseClash(base, LINUX_EPHEMERAL_DEFAULT)).toBeNull();
  });
});
