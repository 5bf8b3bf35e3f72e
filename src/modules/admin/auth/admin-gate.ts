import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestAsyncHookHandler,
  preHandlerHookHandler,
} from 'fastify';
import { allowListOf, type AdminConfig } from '../../../config/admin-config';
import { clientKey, SlidingWindowLimiter } from '../../../server/rate-limiter';
import { Html } from '../../web/views/html';
import { ADMIN_CSP } from '../views/admin-layout';
import { adminMessagePage, loginPage } from '../views/login-page';
import type { SpentTokenKind } from '../entities/admin-spent-token.entity';
import {
  AdminCredentials,
  adminCredentialsFor,
  AdminSession,
  sameSecret,
} from './admin-credentials';

export const ADMIN_PREFIX = '/admin';
export const ADMIN_API_PREFIX = '/admin/api';
export const SESSION_COOKIE = 'pp_admin';

/** Who is asking, set on the request by the gate before any console route runs. */
export interface AdminIdentity {
  actor: string;
  via: 'bearer' | 'session';
  /** The session's form token (session only). */
  csrf?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    admin?: AdminIdentity;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

function isConsolePath(path: string): boolean {
  return path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`);
}

/**
 * The route a request was matched to, as registered (`/admin/api/miners/:network/:address`) —
 * never the URL text, which may spell the same route in many ways (`/%61dmin/…`, absolute form).
 */
function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? '';
}

function isApiRoute(route: string): boolean {
  return route === ADMIN_API_PREFIX || route.startsWith(`${ADMIN_API_PREFIX}/`);
}

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sendConsolePage(reply: FastifyReply, status: number, page: Html): void {
  void reply
    .code(status)
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .header('Content-Security-Policy', ADMIN_CSP)
    .header('X-Content-Type-Options', 'nosniff')
    .header('X-Frame-Options', 'DENY')
    .header('Referrer-Policy', 'same-origin')
    .send(page.text);
}

function refuse(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  message: string,
  page: () => Html,
): void {
  if (isApiRoute(routeOf(request))) {
    if (status === 401) void reply.header('WWW-Authenticate', 'Bearer realm="purepool-admin"');
    void reply
      .code(status)
      .header('Cache-Control', 'no-store')
      .send({ statusCode: status, error: ERROR_NAMES[status] ?? 'Error', message });
    return;
  }
  sendConsolePage(reply, status, page());
}

const ERROR_NAMES: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  429: 'Too Many Requests',
};

/**
 * Every route under `/admin` (pages, API, the OpenAPI document and its assets) gets this gate as
 * its own hooks when it is registered, so whatever reaches a console handler has passed it, however
 * the path was spelled: the router decodes and normalises the URL before it matches a route, so the
 * gate must never read the URL text itself. The allow-list comes first (ADMIN_ALLOW_IPS, against
 * `request.ip`, which honours TRUST_PROXY), then a bearer token or a signed session cookie, both
 * compared in constant time. Only the sign-in page is open. Wrong credentials get 401 — a JSON body
 * on the API, the sign-in page elsewhere — and never data; past ADMIN_LOGIN_FAILURES_PER_MINUTE
 * failures an IP gets 429 even for a right token. A form sent with a session cookie must carry the
 * session's form token (CSRF) and, when the browser says where it comes from, come from this host;
 * the API changes nothing for a cookie (a bearer token is needed, which no other site can send).
 */
export function installAdminGate(fastify: FastifyInstance, config: AdminConfig): AdminGate {
  const gate = adminGateFor(config);
  const admit: onRequestAsyncHookHandler = async (request, reply) => {
    if (!(await gate.admit(request, reply))) return reply;
  };
  const checkForm: preHandlerHookHandler = (request, reply, done) => {
    if (gate.checkForm(request, reply)) done();
  };
  fastify.addHook('onRoute', (route) => {
    if (!isConsolePath(route.url)) return;
    route.onRequest = withFirst(admit, route.onRequest);
    route.preHandler = withFirst(checkForm, route.preHandler);
  });
  return gate;
}

/** `hook` ahead of a route's own hooks, once (a HEAD route is registered from its GET's options). */
function withFirst<T>(hook: T, hooks: T | T[] | undefined): T[] {
  const list = hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];
  return list.includes(hook) ? list : [hook, ...list];
}

/** Console tokens that may not be used again: signed-out sessions, used confirmation forms. */
export interface SpentTokens {
  isSpent(kind: SpentTokenKind, token: string): Promise<boolean>;
  /** True when this call spent it, false when it had been spent before. */
  spend(kind: SpentTokenKind, token: string, expiresAt: Date): Promise<boolean>;
}

export class AdminGate {
  private readonly allowList;
  private readonly failures: SlidingWindowLimiter;
  /** Set by the admin module once the database is there; sessions are refused until then. */
  private spent: SpentTokens | null = null;

  constructor(
    readonly credentials: AdminCredentials,
    config: AdminConfig,
  ) {
    this.allowList = config.allowIps ? allowListOf(config.allowIps) : null;
    this.failures = new SlidingWindowLimiter(config.loginFailuresPerMinute);
  }

  useSpentTokens(spent: SpentTokens): void {
    this.spent = spent;
  }

  /** The session a request's cookie proves, unless it was signed out (on any backend). */
  async sessionOf(request: FastifyRequest): Promise<AdminSession | null> {
    const session = this.credentials.readSession(readCookie(request, SESSION_COOKIE));
    if (!session || !this.spent) return null;
    return (await this.spent.isSpent('session', session.nonce)) ? null : session;
  }

  /** Ends a session for good: its cookie is refused from now on, wherever it was copied. */
  async signOut(session: AdminSession): Promise<void> {
    await this.spent?.spend('session', session.nonce, session.expiresAt);
  }

  /**
   * Spends a confirmation form's one-time nonce: true the first time, false when the same form
   * was sent before (the change is not made twice). Forms live as long as a session could.
   */
  async spendForm(nonce: string): Promise<boolean> {
    if (!this.spent) return false;
    const expiresAt = new Date(Date.now() + this.credentials.sessionMs);
    return this.spent.spend('form', nonce, expiresAt);
  }

  /** Whether this IP may try a credential now (counts nothing). */
  mayTry(request: FastifyRequest): boolean {
    return this.failures.allows(clientKey(request.ip));
  }

  /** Counts a wrong credential from this IP. */
  failed(request: FastifyRequest): void {
    this.failures.take(clientKey(request.ip));
  }

  /** onRequest: allow-list and authentication. False when it has answered already. */
  async admit(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const route = routeOf(request);
    if (this.allowList && !this.allowed(request.ip)) {
      refuse(request, reply, 403, 'the console is not open to this address', () =>
        adminMessagePage('Not allowed', 'The console is not open to this address.'),
      );
      return false;
    }
    if (route === `${ADMIN_PREFIX}/login`) return true;
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!this.mayTry(request)) {
        refuse(
          request,
          reply,
          429,
          'too many failed sign-ins from this address; wait a minute',
          () => loginPage('Too many failed sign-ins from this address; wait a minute.'),
        );
        return false;
      }
      const label = match ? this.credentials.labelOf(match[1]) : null;
      if (!label) {
        this.failed(request);
        refuse(request, reply, 401, 'the admin token is not valid', () =>
          loginPage('That token is not valid.'),
        );
        return false;
      }
      request.admin = { actor: label, via: 'bearer' };
      return true;
    }
    const session = await this.sessionOf(request);
    if (session) {
      if (isApiRoute(route) && !SAFE_METHODS.has(request.method)) {
        refuse(request, reply, 403, 'API changes need Authorization: Bearer <token>', () =>
          adminMessagePage('Not allowed', 'API changes need a bearer token.'),
        );
        return false;
      }
      request.admin = { actor: session.label, via: 'session', csrf: session.csrf };
      return true;
    }
    refuse(
      request,
      reply,
      401,
      'a valid admin token is required (Authorization: Bearer <token>)',
      () => loginPage(),
    );
    return false;
  }

  /** preHandler: a page form sent with a session cookie carries the form token (CSRF). */
  checkForm(request: FastifyRequest, reply: FastifyReply): boolean {
    const identity = request.admin;
    if (SAFE_METHODS.has(request.method) || identity?.via !== 'session') return true;
    const origin = request.headers.origin;
    const host = request.headers.host;
    const fromHere = origin === undefined || (host !== undefined && originHost(origin) === host);
    const sent = formField(request.body, '_csrf');
    if (fromHere && sent !== undefined && identity.csrf && sameSecret(sent, identity.csrf))
      return true;
    refuse(request, reply, 403, 'the form token is missing or wrong', () =>
      adminMessagePage(
        'Form expired',
        'This form is not from your current console session (or came from another site). Reload the page and try again.',
        identity.actor,
      ),
    );
    return false;
  }

  private allowed(ip: string): boolean {
    const list = this.allowList;
    if (!list) return true;
    const mapped = ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
    return list.check(mapped, mapped.includes(':') ? 'ipv6' : 'ipv4');
  }
}

const gates = new WeakMap<AdminConfig, AdminGate>();

/** One gate per configuration: the HTTP hooks and the sign-in page share its failure counts. */
export function adminGateFor(config: AdminConfig): AdminGate {
  let gate = gates.get(config);
  if (!gate) {
    gate = new AdminGate(adminCredentialsFor(config), config);
    gates.set(config, gate);
  }
  return gate;
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/** A field of a form body (the app reads non-JSON bodies as text) or of a JSON object. */
export function formField(body: unknown, name: string): string | undefined {
  if (typeof body === 'string') return new URLSearchParams(body).get(name) ?? undefined;
  if (body && typeof body === 'object') {
    const value = (body as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}
