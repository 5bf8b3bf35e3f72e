import { parseNodeRpcUrl } from './rpc-url';

describe('parseNodeRpcUrl', () => {
  it('splits credentials from the endpoint and redacts them', () => {
    const endpoint = parseNodeRpcUrl('http://pool:s3cr%40t@127.0.0.1:9998');
    expect(endpoint).toEqual({
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 9998,
      path: '/',
      username: 'pool',
      password: 's3cr@t',
      redacted: 'http://127.0.0.1:9998/',
    });
  });

  it('keeps a wallet path, defaults the https port and unbrackets IPv6 hosts', () => {
    expect(parseNodeRpcUrl('https://u:p@node.example/wallet/pool')).toMatchObject({
      port: 443,
      path: '/wallet/pool',
      redacted: 'https://node.example/wallet/pool',
    });
    expect(parseNodeRpcUrl('http://u:p@[::1]:19998').hostname).toBe('::1');
  });

  it('rejects bad URLs without ever putting the password in the message', () => {
    const bad = [
      'not a url with hunter2',
      'ftp://u:hunter2@host:21',
      'http://u:hunter2@host:9998/?x=1',
      'http://u:hunter2@host:9998/#frag',
      'http://host:9998',
      'http://u@host:9998',
      'http://:hunter2@host:9998',
    ];
    for (const url of bad) {
      let message = '';
      try {
        parseNodeRpcUrl(url);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe('');
      expect(message).not.toContain('hunter2');
    }
  });
});
