import Fastify from 'fastify';
import net from 'node:net';
import { refuseWhileClosing } from './refuse-while-closing';

/** A second request on the connection of one in flight, sent once the server began to drain. */
async function pipelinedDuringClose(second: string): Promise<string> {
  const app = Fastify({ return503OnClosing: false });
  refuseWhileClosing(app);
  let release: () => void = () => undefined;
  const slowStarted = new Promise<void>((started) => {
    app.get('/slow', () => {
      started();
      return new Promise((resolve) => (release = () => resolve({ done: true })));
    });
  });
  app.all('/Action.aspx', () => 'handled');
  app.get('/page', () => 'handled');
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as net.AddressInfo;
  const socket = net.connect({ port, host: '127.0.0.1' });
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
  await slowStarted;
  const closed = app.close();
  await new Promise((resolve) => setTimeout(resolve, 50));
  socket.write(second);
  await new Promise((resolve) => setTimeout(resolve, 50));
  release();
  await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 3000))]);
  socket.destroy();
  await closed;
  return Buffer.concat(received).toString();
}

describe('requests that arrive while the server drains', () => {
  it('a wallet gets the protocol error with its terminator, 503 and Connection: close', async () => {
    const raw = await pipelinedDuringClose(
      'POST /Action.aspx HTTP/1.1\r\nHost: x\r\nAction: readytomine2\r\nContent-Length: 12\r\n\r\nreadytomine2',
    );
    const second = raw.slice(raw.indexOf('HTTP/1.1', 1));
    expect(second).toMatch(/^HTTP\/1\.1 503 /);
    expect(second).toContain('\r\nConnection: close\r\n');
    expect(second).toContain(
      '<ERROR>Pool is temporarily unavailable, please retry</ERROR><EOF><END></HTML>\r\n',
    );
    expect(raw).not.toContain('handled');
  });

  it('a browser or API client gets a 503 JSON body', async () => {
    const raw = await pipelinedDuringClose('GET /page HTTP/1.1\r\nHost: x\r\n\r\n');
    const second = raw.slice(raw.indexOf('HTTP/1.1', 1));
    expect(second).toMatch(/^HTTP\/1\.1 503 /);
    expect(second).toContain('"error":"Service Unavailable"');
    expect(raw).not.toContain('handled');
  });
});
