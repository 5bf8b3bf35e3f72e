import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface RabbitNode {
  name: string;
  amqpPort: number;
  distPort: number;
  dir: string;
}

/** The environment that points rabbitmq-server and rabbitmqctl at one of our nodes, never at rabbit@localhost. */
export function nodeEnv(node: RabbitNode): NodeJS.ProcessEnv {
  return {
    ...process.env,
    RABBITMQ_NODENAME: node.name,
    RABBITMQ_NODE_PORT: String(node.amqpPort),
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_DIST_PORT: String(node.distPort),
    RABBITMQ_MNESIA_BASE: path.join(node.dir, 'mnesia'),
    RABBITMQ_LOG_BASE: path.join(node.dir, 'log'),
    RABBITMQ_CONFIG_FILE: path.join(node.dir, 'rabbitmq.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(node.dir, 'enabled_plugins'),
    RABBITMQ_PID_FILE: path.join(node.dir, 'rabbitmq.pid'),
  };
}

export function ctl(node: RabbitNode, ...args: string[]): Promise<{ stdout: string }> {
  return run('rabbitmqctl', ['-q', ...args], { env: nodeEnv(node), timeout: 120_000 });
}

/** The Erlang VM's OS pid (what a kill -9 of the node hits). */
export function nodePid(node: RabbitNode): number {
  return Number(readFileSync(path.join(node.dir, 'rabbitmq.pid'), 'utf8').trim());
}

async function awaitStartup(node: RabbitNode, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await ctl(node, 'await_startup', '--timeout', '10');
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`RabbitMQ node ${node.name} did not start: ${String(error)}`, {
          cause: error,
        });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Starts one node detached (it drops to the rabbitmq user), with its own data dir and ports. */
export async function startNode(node: RabbitNode): Promise<void> {
  mkdirSync(node.dir, { recursive: true });
  writeFileSync(
    path.join(node.dir, 'rabbitmq.conf'),
    [
      `listeners.tcp.default = 127.0.0.1:${node.amqpPort}`,
      // A killed node's queues must stay usable on the other two: no pause_minority surprises
      // on loopback, where a partition cannot happen without a node dying.
      'cluster_partition_handling = ignore',
      'vm_memory_high_watermark.relative = 0.2',
      'disk_free_limit.absolute = 50MB',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(node.dir, 'enabled_plugins'), '[].\n');
  await run('chmod', ['-R', 'a+rwX', node.dir]);
  await run('rabbitmq-server', ['-detached'], { env: nodeEnv(node), timeout: 60_000 });
  await awaitStartup(node);
}

/** Three (or more) nodes: the first starts alone, the others join it with `join_cluster`. */
export async function startRabbitCluster(nodes: RabbitNode[]): Promise<void> {
  await Promise.all(nodes.map((node) => startNode(node)));
  for (const node of nodes.slice(1)) {
    await ctl(node, 'stop_app');
    await ctl(node, 'join_cluster', nodes[0].name);
    await ctl(node, 'start_app');
  }
  await awaitStartup(nodes[0]);
}

/** Restarts a node that was killed, on its old data dir: it rejoins and its quorum replicas catch up. */
export async function restartNode(node: RabbitNode): Promise<void> {
  await run('rabbitmq-server', ['-detached'], { env: nodeEnv(node), timeout: 60_000 });
  await awaitStartup(node);
}

export async function stopNode(node: RabbitNode): Promise<void> {
  await ctl(node, 'stop').catch(() => undefined);
}
