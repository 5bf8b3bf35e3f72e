import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Debian's HAProxy, installed when missing (the script runs as root on our machines). */
export function ensureHaproxy(): string {
  const binary = '/usr/sbin/haproxy';
  if (!existsSync(binary)) {
    console.log('cluster: installing haproxy from Debian');
    execFileSync('apt-get', ['install', '-y', '-q', 'haproxy'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  return binary;
}

/**
 * One port for the wallets: round robin over the frontends, each checked on /health every second
 * (two failures take it out), the client's address in X-Forwarded-For for TRUST_PROXY, and a
 * refused connection retried on the other frontend so a dead one costs the wallets little.
 */
export function haproxyConfig(
  listenPort: number,
  frontendPorts: number[],
  pidFile: string,
): string {
  return [
    'global',
    '  maxconn 4000',
    `  pidfile ${pidFile}`,
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout http-keep-alive 60s',
    '  option forwardfor',
    '  option redispatch',
    '  retries 3',
    'frontend wallets',
    `  bind 127.0.0.1:${listenPort}`,
    '  default_backend frontends',
    'backend frontends',
    '  balance roundrobin',
    '  option httpchk GET /health',
    '  http-check expect status 200',
    ...frontendPorts.map(
      (port, i) => `  server fe${i + 1} 127.0.0.1:${port} check inter 1s fall 2 rise 2`,
    ),
    '',
  ].join('\n');
}

/** Runs HAProxy daemonised on our own config (not the system service); returns its pid. */
export function startHaproxy(dir: string, listenPort: number, frontendPorts: number[]): number {
  const binary = ensureHaproxy();
  const config = path.join(dir, 'haproxy.cfg');
  const pidFile = path.join(dir, 'haproxy.pid');
  writeFileSync(config, haproxyConfig(listenPort, frontendPorts, pidFile));
  execFileSync(binary, ['-c', '-q', '-f', config]);
  execFileSync(binary, ['-D', '-f', config]);
  return Number(readFileSync(pidFile, 'utf8').trim().split('\n')[0]);
}
