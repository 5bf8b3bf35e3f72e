import { SETUP_DEFAULTS, SetupConfig } from './setup-config';

const own = {
  FRONTEND_DATABASE_URL: 'mysql://purepool_frontend:fe-own-secret@10.0.1.10:3306/purepool',
  BACKEND_DATABASE_URL: 'mysql://purepool_backend:be-own-secret@10.0.1.10:3306/purepool',
  FRONTEND_AMQP_URL: 'amqp://purepool_frontend:fe-own-secret@10.0.1.10:5672/purepool',
  BACKEND_AMQP_URL: 'amqp://purepool_backend:be-own-secret@10.0.1.10:5672/purepool',
};

describe('db:setup and its development role passwords', () => {
  it('uses them on a loopback admin URL (a development machine)', () => {
    expect(new SetupConfig({}).frontendDb.password).toBe('frontend-dev-password');
    expect(
      new SetupConfig({ DATABASE_ADMIN_URL: 'mysql://root@[::1]:3306' }).backendDb.password,
    ).toBe('backend-dev-password');
  });

  it.each([
    ['FRONTEND_DATABASE_URL', {}],
    ['BACKEND_DATABASE_URL', { BACKEND_DATABASE_URL: SETUP_DEFAULTS.BACKEND_DATABASE_URL }],
    ['FRONTEND_AMQP_URL', { FRONTEND_AMQP_URL: SETUP_DEFAULTS.FRONTEND_AMQP_URL }],
    [
      'BACKEND_AMQP_URL',
      {
        BACKEND_AMQP_URL: 'amqp://purepool_backend:CHANGE-ME@10.0.1.10:5672/purepool',
      },
    ],
  ])(
    'refuses them when the admin URL is not loopback: %s, with one line saying what to set',
    (variable, change) => {
      const env = {
        ...own,
        DATABASE_ADMIN_URL: 'mysql://admin:pw@10.0.1.10:3306',
        ...(variable === 'FRONTEND_DATABASE_URL' ? { FRONTEND_DATABASE_URL: undefined } : {}),
        ...change,
      };
      expect(() => new SetupConfig(env)).toThrow(
        new RegExp(
          `^Invalid environment: ${variable} uses a published password \\(db:setup's development default or CHANGE-ME\\) and DATABASE_ADMIN_URL is not on this machine: give ${variable} a password of your own$`,
        ),
      );
    },
  );

  it('accepts passwords of the operator own on a remote admin URL', () => {
    const config = new SetupConfig({ ...own, DATABASE_ADMIN_URL: 'mysql://admin:pw@10.0.1.10' });
    expect(config.frontendDb).toEqual({ user: 'purepool_frontend', password: 'fe-own-secret' });
  });
});
