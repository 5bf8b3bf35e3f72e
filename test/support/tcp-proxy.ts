import net from 'node:net';

export interface TcpProxy {
  /** The port the proxy listens on (the same one again after `resume`). */
  readonly port: number;
  /** `url` with its host and port replaced by the proxy's. */
  via(url: string): string;
  /**
   * The server is "down": every forwarded connection is destroyed and the port stops listening, so
   * a client sees a lost connection, then ECONNREFUSED — what a stopped MariaDB looks like.
   */
  stop(): Promise<void>;
  /** Listening and forwarding again, on the same port. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP forwarder between a role and a real server (the run's MariaDB) that a test can stop and
 * resume: it models the server going away without touching the server every other test uses.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const stop = async (): Promise<void> => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closed;
  };
  return {
    port,
    via: (url) => {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    stop,
    resume: async () => {
      if (!server.listening) await listen(port);
    },
    close: stop,
  };
}
