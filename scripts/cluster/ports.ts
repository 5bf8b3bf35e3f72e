import { readFileSync } from 'node:fs';

/** A cluster listens on port base … base+40: balancer, roles, node, AMQP, Erlang dist, the soak's MariaDB. */
export const CLUSTER_PORT_SPAN = 41;

/** Linux's default `net.ipv4.ip_local_port_range`. */
export const LINUX_EPHEMERAL_DEFAULT: readonly [number, number] = [32768, 60999];

/** The machine's ephemeral port range (outgoing connections take their local port from it). */
export function ephemeralPortRange(): readonly [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (low > 0 && high >= low) return [low, high];
  } catch {
    // not Linux, or no /proc: assume the default
  }
  return LINUX_EPHEMERAL_DEFAULT;
}

/**
 * Why a port base is unsafe, or null. Inside the ephemeral range any outgoing connection (a role's
 * to MariaDB, a wallet's to the balancer, Erlang's between broker nodes) may hold one of the
 * cluster's fixed ports as its local port just when a role starts or restarts there: the role then
 * fails to listen (EADDRINUSE) and never becomes healthy — a failure that comes and goes. Linux
 * hands out even ports to outgoing connections first, so a role on an even port is the usual victim.
 */
export function portBaseClash(
  base: number,
  range: readonly [number, number] = ephemeralPortRange(),
): string | null {
  const top = base + CLUSTER_PORT_SPAN - 1;
  if (top < range[0] || base > range[1]) return null;
  return (
    `ports ${base}–${top} overlap the ephemeral port range ${range[0]}–${range[1]}: an outgoing ` +
    `connection can hold one of them when a role starts (EADDRINUSE); choose a base below ${range[0] - CLUSTER_PORT_SPAN + 1}`
  );
}
