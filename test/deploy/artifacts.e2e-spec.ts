import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { AppConfig } from '../../src/config/app-config';
import { SetupConfig } from '../../src/config/setup-config';
import { freePort } from '../support/role-process';
import { roleEnv, runId, setupEnv } from '../support/test-env';
import { ROOT, runEntry, waitHealthy } from './deploy-process';

const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  profiles?: string[];
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  ports?: string[];
  stop_grace_period?: string;
}

/** Compose's `${VAR}`, `${VAR:-default}` and `${VAR-default}` with nothing set: the defaults. */
function interpolate(value: unknown): string {
  return String(value).replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_m, _name, fallback?: string) => {
    if (fallback === undefined) throw new Error(`${String(value)} has no default`);
    return fallback;
  });
}

const env = (service: ComposeService): Record<string, string> =>
  Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(v)]),
  );

const userOf = (url: string): string => decodeURIComponent(new URL(url).username);

/** Dockerfile instructions with line continuations joined, of the last stage when `finalStage`. */
function dockerfile(finalStage = false): string[] {
  const lines = read('docker/Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (!finalStage) return lines;
  const lastFrom = lines.map((l) => l.startsWith('FROM ')).lastIndexOf(true);
  return lines.slice(lastFrom);
}

/** The JSON-array command of a Dockerfile instruction (`CMD [...]`, `HEALTHCHECK ... CMD [...]`). */
const execForm = (line: string): string[] => JSON.parse(line.slice(line.indexOf('['))) as string[];

describe('deployment artifacts', () => {
  const compose = parse(read('docker/compose.yaml'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const services = compose.services;
  const out = path.join(ROOT, 'artifacts', `deploy-build-${runId()}`);

  beforeAll(() => {
    // What the image's build stage runs (`npm run build`), into a folder of this run's own.
    const build = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(build.scripts.build).toMatch(/^tsc -p tsconfig\.build\.json$/);
    execFileSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', out],
      { cwd: ROOT, stdio: 'inherit' },
    );
  }, 180_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  /** A command the image runs, mapped onto this run's build output (dist/ → out/). */
  const built = (command: string[]): string => {
    expect(command[0]).toBe('node');
    expect(command[1]).toMatch(/^dist\//);
    return path.join(out, command[1].slice('dist/'.length));
  };

  describe('docker/compose.yaml', () => {
    it('has the data tier, the one-shot db-setup, both roles, and the simulators only in profile demo', () => {
      expect(Object.keys(services).sort()).toEqual(
        ['backend', 'db-setup', 'frontend', 'mariadb', 'rabbitmq', 'sim-miner', 'sim-node'].sort(),
      );
      for (const [name, service] of Object.entries(services)) {
        const demo = name.startsWith('sim-');
        expect([name, service.profiles ?? []]).toEqual([name, demo ? ['demo'] : []]);
      }
      for (const name of ['db-setup', 'frontend', 'backend', 'sim-node', 'sim-miner'])
        expect([name, services[name].image, !!services[name].build]).toEqual([
          name,
          'purepool:latest',
          true,
        ]);
    });

    it('gives each role its own DB and broker user, the very URLs db:setup creates, and a valid environment', () => {
      const frontend = env(services.frontend);
      const backend = env(services.backend);
      const setup = env(services['db-setup']);
      expect(frontend.ROLE).toBe('frontend');
      expect(backend.ROLE).toBe('backend');
      expect([userOf(frontend.DATABASE_URL), userOf(frontend.AMQP_URL)]).toEqual([
        'purepool_frontend',
        'purepool_frontend',
      ]);
      expect([userOf(backend.DATABASE_URL), userOf(backend.AMQP_URL)]).toEqual([
        'purepool_backend',
        'purepool_backend',
      ]);
      expect(setup.FRONTEND_DATABASE_URL).toBe(frontend.DATABASE_URL);
      expect(setup.BACKEND_DATABASE_URL).toBe(backend.DATABASE_URL);
      expect(setup.FRONTEND_AMQP_URL).toBe(frontend.AMQP_URL);
      expect(setup.BACKEND_AMQP_URL).toBe(backend.AMQP_URL);
      // Admin credentials only where the schema and users are made; the node only on the backend.
      for (const role of [frontend, backend]) {
        expect(Object.keys(role).filter((k) => /ADMIN|MANAGEMENT/.test(k))).toEqual([]);
        expect(Object.values(role).join(' ')).not.toContain('root');
      }
      expect(Object.keys(frontend).filter((k) => k.startsWith('NODE_RPC_URL'))).toEqual([]);
      expect(() => new AppConfig(frontend)).not.toThrow();
      expect(() => new AppConfig(backend)).not.toThrow();
      expect(new SetupConfig(setup).rabbitmqManagementUrl).toMatch(
        /^http:\/\/admin:.+@rabbitmq:15672$/,
      );
      expect(env(services['sim-node']).SIM_POOL_ADDRESS).toBe(frontend.POOL_ADDRESS_MAIN);
    });

    it('starts the roles only after db-setup succeeded, and db-setup only once both stores are healthy', () => {
      expect(services['db-setup'].depends_on).toEqual({
        mariadb: { condition: 'service_healthy' },
        rabbitmq: { condition: 'service_healthy' },
      });
      for (const role of ['frontend', 'backend'])
        expect(services[role].depends_on?.['db-setup']).toEqual({
          condition: 'service_completed_successfully',
        });
      expect(services.backend.depends_on?.['sim-node']?.required).toBe(false);
      expect(services['sim-miner'].depends_on?.frontend).toEqual({ condition: 'service_healthy' });
    });

    it('health-checks every long-running service without curl, and lets a role drain before it is killed', () => {
      for (const [name, service] of Object.entries(services)) {
        if (name === 'db-setup' || name === 'sim-miner') {
          expect([name, service.healthcheck]).toEqual([name, { disable: true }]);
          continue;
        }
        const test = service.healthcheck?.test ?? [];
        expect([name, test[0]]).toEqual([name, 'CMD']);
        expect(test.join(' ')).not.toMatch(/curl|wget/);
      }
      for (const role of ['frontend', 'backend']) {
        expect(services[role].healthcheck?.test).toEqual([
          'CMD',
          'node',
          'dist/scripts/healthcheck.js',
        ]);
        const grace = Number(/^(\d+)s$/.exec(services[role].stop_grace_period ?? '')?.[1]) * 1000;
        expect(grace).toBeGreaterThan(Number(env(services[role]).SHUTDOWN_TIMEOUT_MS));
      }
      expect(services.backend.ports).toBeUndefined();
    });

    it('runs only commands that exist in the build output', () => {
      const commands = Object.entries(services)
        .filter(([, s]) => s.build)
        .map(
          ([name, s]) =>
            [
              name,
              s.command ?? execForm(dockerfile(true).find((l) => l.startsWith('CMD'))!),
            ] as const,
        );
      for (const [name, command] of [
        ...commands,
        ...['frontend', 'backend'].map(
          (r) => [r, services[r].healthcheck!.test!.slice(1)] as const,
        ),
      ])
        expect([name, command.join(' '), existsSync(built([...command]))]).toEqual([
          name,
          command.join(' '),
          true,
        ]);
    });
  });

  describe('docker/Dockerfile', () => {
    it('builds in one stage and runs production dependencies as a non-root user in a second', () => {
      const all = dockerfile();
      const final = dockerfile(true);
      expect(all.filter((l) => l.startsWith('FROM ')).length).toBeGreaterThanOrEqual(2);
      expect(all).toContain('RUN npm run build');
      expect(final.some((l) => /^RUN npm ci --omit=dev\b/.test(l))).toBe(true);
      expect(final.some((l) => l.startsWith('COPY --from=build /app/dist'))).toBe(true);
      const user = final.filter((l) => l.startsWith('USER ')).at(-1);
      expect(user).toBeDefined();
      expect(user).not.toMatch(/^USER (root|0)\b/);
      expect(execForm(final.find((l) => l.startsWith('CMD'))!)).toEqual([
        'node',
        'dist/src/main.js',
      ]);
      const health = final.find((l) => l.startsWith('HEALTHCHECK'))!;
      expect(execForm(health)).toEqual(['node', 'dist/scripts/healthcheck.js']);
      expect(existsSync(path.join(out, 'scripts', 'healthcheck.js'))).toBe(true);
    });

    it('keeps the build context small and free of secrets (.dockerignore)', () => {
      const ignored = read('.dockerignore').split('\n');
      for (const entry of ['node_modules', 'dist', '.git', '.env'])
        expect(ignored).toContain(entry);
    });
  });

  describe("the image's commands, run directly from the build output", () => {
    it('node dist/src/main.js serves a frontend, the health probe passes on it, and SIGTERM ends it with 0', async () => {
      const port = await freePort();
      const roleEnvironment = {
        ...roleEnv('frontend'),
        HTTP_PORT: String(port),
        HTTP_HOST: '0.0.0.0',
      };
      const frontend = runEntry(path.join(out, 'src', 'main.js'), roleEnvironment, {
        typescript: false,
      });
      try {
        await waitHealthy(frontend, `http://127.0.0.1:${port}`);
        const probe = runEntry(path.join(out, 'scripts', 'healthcheck.js'), roleEnvironment, {
          typescript: false,
        });
        expect(await probe.exited).toBe(0);
      } finally {
        frontend.kill('SIGTERM');
      }
      expect(await frontend.exited).toBe(0);
    });

    it('the health probe fails when nothing answers', async () => {
      const probe = runEntry(
        path.join(out, 'scripts', 'healthcheck.js'),
        { ...roleEnv('frontend'), HTTP_PORT: String(await freePort()) },
        { typescript: false },
      );
      expect(await probe.exited).toBe(1);
    });

    it('node dist/scripts/db-setup.js provisions (idempotently) as the one-shot service does', async () => {
      const setup = runEntry(
        path.join(out, 'scripts', 'db-setup.js'),
        { ...setupEnv(), SKIP_ENSURE_SERVICES: '1' },
        { typescript: false },
      );
      expect({ exit: await setup.exited, output: setup.output() }).toEqual({
        exit: 0,
        output: expect.stringContaining('db:setup: done'),
      });
    });

    it('node dist/sim/node/main.js starts the simulated node of profile demo', async () => {
      const port = await freePort();
      const node = runEntry(
        path.join(out, 'sim', 'node', 'main.js'),
        { ...env(services['sim-node']), SIM_HOST: '127.0.0.1', SIM_PORT: String(port) },
        { typescript: false },
      );
      try {
        await node.waitForOutput(new RegExp(`sim node \\(main\\) listening on .*:${port}`));
        expect(node.child.exitCode).toBeNull();
      } finally {
        node.kill('SIGTERM');
        await node.exited;
      }
    });
  });
});

describe('systemd units (config/systemd)', () => {
  const unit = (name: string): Map<string, string[]> => {
    const settings = new Map<string, string[]>();
    for (const line of read(`config/systemd/${name}`).split('\n')) {
      const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
      if (m) settings.set(m[1], [...(settings.get(m[1]) ?? []), m[2]]);
    }
    return settings;
  };

  it.each(['frontend', 'backend'])(
    'purepool-%s runs the compiled entry as its own user with its own env file, restarts on failure and is hardened',
    (role) => {
      const s = unit(`purepool-${role}.service`);
      expect(s.get('ExecStart')).toEqual(['/usr/bin/node dist/src/main.js']);
      expect(s.get('EnvironmentFile')).toEqual([`/etc/purepool/${role}.env`]);
      expect(s.get('User')).toEqual(['purepool']);
      expect(s.get('Restart')).toEqual(['on-failure']);
      expect(s.get('RestartPreventExitStatus')).toEqual(['2 3']);
      for (const [option, value] of [
        ['NoNewPrivileges', 'yes'],
        ['ProtectSystem', 'strict'],
        ['ProtectHome', 'yes'],
        ['PrivateTmp', 'yes'],
        ['PrivateDevices', 'yes'],
        ['RestrictSUIDSGID', 'yes'],
      ])
        expect([option, s.get(option)]).toEqual([option, [value]]);
      // systemd waits longer than the process's own drain bound before it kills.
      expect(Number(s.get('TimeoutStopSec')?.[0])).toBeGreaterThan(15);
    },
  );

  it('only the frontend may bind a privileged port (443), and it reloads its certificate on reload', () => {
    expect(unit('purepool-frontend.service').get('AmbientCapabilities')).toEqual([
      'CAP_NET_BIND_SERVICE',
    ]);
    expect(unit('purepool-frontend.service').get('ExecReload')).toEqual([
      '/bin/kill -HUP $MAINPID',
    ]);
    expect(unit('purepool-backend.service').get('AmbientCapabilities')).toBeUndefined();
    expect(unit('purepool-backend.service').get('CapabilityBoundingSet')).toEqual(['']);
  });
});
