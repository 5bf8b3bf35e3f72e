import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Permissions {
  configure: string;
  write: string;
  read: string;
}

/** The few broker administration steps db:setup needs, over rabbitmqctl or the management API. */
export interface BrokerAdmin {
  ensureVhost(vhost: string): Promise<void>;
  ensureUser(user: string, password: string): Promise<void>;
  setPermissions(vhost: string, user: string, permissions: Permissions): Promise<void>;
  deleteVhost(vhost: string): Promise<void>;
  deleteUser(user: string): Promise<void>;
}

/** Runs `rabbitmqctl` on the broker host (db:setup run there, as root or the rabbitmq user). */
export class RabbitmqctlAdmin implements BrokerAdmin {
  constructor(private readonly command = 'rabbitmqctl') {}

  private async ctl(...args: string[]): Promise<string> {
    const { stdout } = await run(this.command, ['-q', ...args], { timeout: 60_000 });
    return stdout;
  }

  async ensureVhost(vhost: string): Promise<void> {
    const vhosts = (await this.ctl('list_vhosts', 'name')).split('\n').map((l) => l.trim());
    if (!vhosts.includes(vhost)) await this.ctl('add_vhost', vhost);
  }

  async ensureUser(user: string, password: string): Promise<void> {
    const users = (await this.ctl('list_users')).split('\n').map((l) => l.split('\t')[0].trim());
    if (users.includes(user)) await this.ctl('change_password', user, password);
    else await this.ctl('add_user', user, password);
  }

  async setPermissions(vhost: string, user: string, p: Permissions): Promise<void> {
    await this.ctl('set_permissions', '-p', vhost, user, p.configure, p.write, p.read);
  }

  async deleteVhost(vhost: string): Promise<void> {
    await this.ctl('delete_vhost', vhost).catch(ignoreMissing);
  }

  async deleteUser(user: string): Promise<void> {
    await this.ctl('delete_user', user).catch(ignoreMissing);
  }
}

function ignoreMissing(error: unknown): void {
  const text = String((error as { stderr?: string }).stderr ?? error);
  if (!/not found|does not exist|no_such/i.test(text)) throw error;
}

/** Uses the RabbitMQ management HTTP API (`RABBITMQ_MANAGEMENT_URL=http://admin:pass@host:15672`). */
export class ManagementApiAdmin implements BrokerAdmin {
  private readonly base: string;
  private readonly auth: string;

  constructor(url: string) {
    const parsed = new URL(url);
    this.auth = `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`;
    parsed.username = '';
    parsed.password = '';
    this.base = parsed.toString().replace(/\/$/, '');
  }

  private async call(
    method: string,
    path: string,
    body?: unknown,
    okStatuses = [200, 201, 204],
  ): Promise<void> {
    const response = await fetch(`${this.base}/api${path}`, {
      method,
      headers: { authorization: this.auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!okStatuses.includes(response.status)) {
      throw new Error(
        `RabbitMQ management ${method} ${path}: HTTP ${response.status} ${await response.text()}`,
      );
    }
  }

  ensureVhost(vhost: string): Promise<void> {
    return this.call('PUT', `/vhosts/${encodeURIComponent(vhost)}`);
  }

  ensureUser(user: string, password: string): Promise<void> {
    return this.call('PUT', `/users/${encodeURIComponent(user)}`, { password, tags: '' });
  }

  setPermissions(vhost: string, user: string, p: Permissions): Promise<void> {
    return this.call(
      'PUT',
      `/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(user)}`,
      p,
    );
  }

  deleteVhost(vhost: string): Promise<void> {
    return this.call('DELETE', `/vhosts/${encodeURIComponent(vhost)}`, undefined, [204, 404]);
  }

  deleteUser(user: string): Promise<void> {
    return this.call('DELETE', `/users/${encodeURIComponent(user)}`, undefined, [204, 404]);
  }
}

export function brokerAdminFor(managementUrl: string | undefined): BrokerAdmin {
  return managementUrl ? new ManagementApiAdmin(managementUrl) : new RabbitmqctlAdmin();
}
