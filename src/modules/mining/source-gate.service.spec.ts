import { randomAddress } from '../../biblepay/address';
import { AppConfig } from '../../config/app-config';
import { SourceGateService } from './source-gate.service';
import { SourceSuspensionRepository } from './source-suspension.repository';

function gate(cacheSeconds: number) {
  const active = jest.fn();
  const config = new AppConfig({
    ROLE: 'frontend',
    DATABASE_URL: 'mysql://u:p@127.0.0.1:3306/db',
    AMQP_URL: 'amqp://u:p@127.0.0.1:5672/v',
    POOL_ADDRESS_MAIN: randomAddress('main'),
    MINER_CACHE_SECONDS: String(cacheSeconds),
    LOG_LEVEL: 'silent',
  });
  const repository = { active } as unknown as SourceSuspensionRepository;
  return { sut: new SourceGateService(repository, config), active };
}

const until = new Date(Date.now() + 3_600_000);

describe('SourceGateService', () => {
  it('refuses a suspended IPv4 address and every address of a suspended IPv6 /64, nobody else', async () => {
    const { sut, active } = gate(60);
    active.mockResolvedValue([
      { source: '203.0.113.7', until, reason: 'r' },
      { source: '2001:db8:1:2::/64', until, reason: 'r' },
    ]);
    expect(await sut.suspensionOf('203.0.113.7')).toMatchObject({ source: '203.0.113.7' });
    expect(await sut.suspensionOf('::ffff:203.0.113.7')).toMatchObject({ source: '203.0.113.7' });
    expect(await sut.suspensionOf('2001:db8:1:2:aaaa::9')).toMatchObject({
      source: '2001:db8:1:2::/64',
    });
    expect(await sut.suspensionOf('203.0.113.8')).toBeNull();
    expect(await sut.suspensionOf('2001:db8:1:3::1')).toBeNull();
    expect(await sut.suspensionOf(null)).toBeNull();
    expect(active).toHaveBeenCalledTimes(1); // one read for all requests within MINER_CACHE_SECONDS
  });

  it('keeps the last list when the database does not answer', async () => {
    const { sut, active } = gate(0);
    active.mockResolvedValueOnce([{ source: '203.0.113.7', until, reason: 'r' }]);
    expect(await sut.suspensionOf('203.0.113.7')).not.toBeNull();
    active.mockRejectedValueOnce(new Error('ECONNREFUSED'));
    expect(await sut.suspensionOf('203.0.113.7')).not.toBeNull();
    expect(await sut.suspensionOf('198.51.100.1')).toBeNull();
  });
});
