import { isIP } from 'node:net';
import { EnvReader } from './env-reader';
import {
  MAX_SOLUTION_QUEUE_SHARDS,
  SOLUTION_QUEUE_TYPES,
  DEFAULT_SOLUTION_QUEUE_MAX_BYTES,
  SolutionQueueOptions,
} from '../messaging/broker-topology';
import { BrokerLink, DatabaseLink } from './link-tls';

export const SETUP_DEFAULTS = {
  DATABASE_ADMIN_URL: 'mysql://root@127.0.0.1:3306',
  FRONTEND_DATABASE_URL: 'mysql://purepool_frontend:frontend-dev-password@127.0.0.1:3306/purepool',
  BACKEND_DATABASE_URL: 'mysql://purepool_backend:backend-dev-password@127.0.0.1:3306/purepool',
  FRONTEND_AMQP_URL: 'amqp://purepool_frontend:frontend-dev-password@127.0.0.1:5672/purepool',
  BACKEND_AMQP_URL: 'amqp://purepool_backend:backend-dev-password@127.0.0.1:5672/purepool',
} as const;

export interface Credentials {
  user: string;
  password: string;
}

/** What `npm run db:setup` provisions, from DATABASE_ADMIN_URL and the four role URLs. */
export class SetupConfig {
  /** DATABASE_ADMIN_URL (`?ssl=` split off) with the DATABASE_CA_FILE / _CERT_FILE / _KEY_FILE. */
  readonly admin: DatabaseLink;
  readonly database: string;
  readonly vhost: string;
  readonly frontendDb: Credentials;
  readonly backendDb: Credentials;
  readonly frontendBroker: Credentials;
  readonly backendBroker: Credentials;
  /** BACKEND_AMQP_URL with AMQP_CA_FILE / _CERT_FILE / _KEY_FILE: declares the queues. */
  readonly backendBrokerLink: BrokerLink;
  /** DB_REQUIRE_TLS: the role users are created REQUIRE SSL (a clear-text login is refused). */
  readonly requireTls: boolean;
  /** MySQL host part of the role users ('%' = any host). */
  readonly dbUserHost: string;
  /**
   * SOLUTION_QUEUE_TYPE (classic|quorum), SOLUTION_DELIVERY_LIMIT (quorum only), SOLUTION_QUEUE_SHARDS,
   * SOLUTION_QUEUE_MAX_BYTES (per queue; full → new solutions refused, the broker's disk spared).
   */
  readonly solutionQueue: SolutionQueueOptions;
  /** When set, the broker is administered over the management HTTP API instead of rabbitmqctl. */
  readonly rabbitmqManagementUrl: string | undefined;

  constructor(env: Record<string, string | undefined>) {
    const read = new EnvReader(env);
    this.admin = read.databaseLink(
      'DATABASE_ADMIN_URL',
      'DATABASE',
      false,
      SETUP_DEFAULTS.DATABASE_ADMIN_URL,
    );
    const feDb = new URL(
      read.url('FRONTEND_DATABASE_URL', ['mysql:'], true, SETUP_DEFAULTS.FRONTEND_DATABASE_URL),
    );
    const beDb = new URL(
      read.url('BACKEND_DATABASE_URL', ['mysql:'], true, SETUP_DEFAULTS.BACKEND_DATABASE_URL),
    );
    const feMq = new URL(
      read.brokerLink('FRONTEND_AMQP_URL', 'FRONTEND_AMQP', SETUP_DEFAULTS.FRONTEND_AMQP_URL).url,
    );
    this.backendBrokerLink = read.brokerLink(
      'BACKEND_AMQP_URL',
      'AMQP',
      SETUP_DEFAULTS.BACKEND_AMQP_URL,
    );
    const beMq = new URL(this.backendBrokerLink.url);

    this.database = databaseName(feDb);
    if (databaseName(beDb) !== this.database) {
      throw new Error(
        'Invalid environment: FRONTEND_DATABASE_URL and BACKEND_DATABASE_URL name different databases',
      );
    }
    if (!/^[A-Za-z0-9_]{1,64}$/.test(this.database)) {
      throw new Error(
        `Invalid environment: database name "${this.database}" must be letters, digits and _`,
      );
    }
    this.vhost = vhostName(feMq);
    if (vhostName(beMq) !== this.vhost) {
      throw new Error(
        'Invalid environment: FRONTEND_AMQP_URL and BACKEND_AMQP_URL name different vhosts',
      );
    }
    this.frontendDb = credentials(feDb, 'FRONTEND_DATABASE_URL');
    this.backendDb = credentials(beDb, 'BACKEND_DATABASE_URL');
    this.frontendBroker = credentials(feMq, 'FRONTEND_AMQP_URL');
    this.backendBroker = credentials(beMq, 'BACKEND_AMQP_URL');
    for (const c of [this.frontendDb, this.backendDb, this.frontendBroker, this.backendBroker]) {
      if (!/^[A-Za-z0-9_.-]{1,80}$/.test(c.user))
        throw new Error(`Invalid environment: user name "${c.user}"`);
    }
    refuseDevelopmentPasswords(this.admin.url, {
      FRONTEND_DATABASE_URL: this.frontendDb,
      BACKEND_DATABASE_URL: this.backendDb,
      FRONTEND_AMQP_URL: this.frontendBroker,
      BACKEND_AMQP_URL: this.backendBroker,
    });
    if (this.frontendDb.user === this.backendDb.user) {
      throw new Error('Invalid environment: the frontend and backend need different DB users');
    }
    this.dbUserHost = read.string('DB_USER_HOST', '%');
    this.requireTls = read.bool('DB_REQUIRE_TLS', false);
    this.rabbitmqManagementUrl = read.raw('RABBITMQ_MANAGEMENT_URL');
    this.solutionQueue = {
      type: read.oneOf('SOLUTION_QUEUE_TYPE', SOLUTION_QUEUE_TYPES, 'classic'),
      deliveryLimit: read.int('SOLUTION_DELIVERY_LIMIT', 10, 1, 1000),
      shards: read.int('SOLUTION_QUEUE_SHARDS', 1, 1, MAX_SOLUTION_QUEUE_SHARDS),
      maxBytes: read.int(
        'SOLUTION_QUEUE_MAX_BYTES',
        DEFAULT_SOLUTION_QUEUE_MAX_BYTES,
        1024,
        Number.MAX_SAFE_INTEGER,
      ),
    };
  }

  get adminUrl(): string {
    return this.admin.url;
  }

  /** The admin link pointing into the pool's database (for migrations). */
  get adminDatabase(): DatabaseLink {
    const url = new URL(this.admin.url);
    url.pathname = `/${this.database}`;
    return { ...this.admin, url: url.toString() };
  }
}

/**
 * The role passwords of SETUP_DEFAULTS and the examples' placeholder: published in this
 * repository, fine on a laptop only.
 */
const PUBLISHED_PASSWORDS = new Set([
  ...Object.values(SETUP_DEFAULTS)
    .map((url) => decodeURIComponent(new URL(url).password))
    .filter(Boolean),
  'CHANGE-ME',
]);

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/**
 * db:setup falls back to well-known role passwords so `npm run db:setup` works on a fresh laptop;
 * on a server anyone who reads this repository would know them. When the admin URL leaves this
 * machine, each role URL must carry a password of the operator's own.
 */
function refuseDevelopmentPasswords(adminUrl: string, roles: Record<string, Credentials>): void {
  if (isLoopbackHost(new URL(adminUrl).hostname)) return;
  for (const [variable, credentials] of Object.entries(roles)) {
    if (PUBLISHED_PASSWORDS.has(credentials.password)) {
      throw new Error(
        `Invalid environment: ${variable} uses a published password (db:setup's development default or CHANGE-ME) and DATABASE_ADMIN_URL is not on this machine: give ${variable} a password of your own`,
      );
    }
  }
}

function databaseName(url: URL): string {
  return decodeURIComponent(url.pathname.replace(/^\//, ''));
}

function vhostName(url: URL): string {
  const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return path === '' ? '/' : path;
}

function credentials(url: URL, variable: string): Credentials {
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  if (!user || !password)
    throw new Error(`Invalid environment: ${variable} needs a user and a password`);
  return { user, password };
}
