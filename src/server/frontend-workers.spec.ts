import { randomAddress } from '../biblepay/address';
import { AppConfig } from '../config/app-config';

const env = (extra: Record<string, string>) => ({
  ROLE: 'frontend',
  DATABASE_URL: 'mysql://fe:pw@127.0.0.1:3306/purepool',
  AMQP_URL: 'amqp://fe:pw@127.0.0.1:5672/purepool',
  POOL_ADDRESS_MAIN: randomAddress('main'),
  ...extra,
});

describe('FRONTEND_PROCESSES', () => {
  it('is one process by default and N workers when set', () => {
    expect(new AppConfig(env({})).frontendProcesses).toBe(1);
    expect(new AppConfig(env({ FRONTEND_PROCESSES: '2' })).frontendProcesses).toBe(2);
  });

  it('is refused on a backend, which scales as processes of its own', () => {
    expect(
      () =>
        new AppConfig(
          env({
            ROLE: 'backend',
            NODE_RPC_URL_MAIN: 'http://u:p@127.0.0.1:9998',
            FRONTEND_PROCESSES: '2',
          }),
        ),
    ).toThrow(/FRONTEND_PROCESSES needs ROLE=frontend/);
  });
});
