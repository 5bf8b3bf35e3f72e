import { randomUUID } from 'node:crypto';
import {
  decodeSolutionMessage,
  encodeSolutionMessage,
  PoisonMessageError,
  SolutionMessage,
} from './solution-message';

const message = (): SolutionMessage => ({
  v: 1,
  id: randomUUID(),
  network: 'main',
  solution: 'a,b',
  miner: 'Bxyz/rig',
  threadId: '0',
  ip: '127.0.0.1',
  agent: '1.1.9.3',
  os: 'LIN',
  receivedAt: Date.now(),
});

describe('SolutionMessage contract', () => {
  it('round-trips a message unchanged', () => {
    const m = message();
    expect(decodeSolutionMessage(encodeSolutionMessage(m))).toEqual(m);
  });

  it.each([
    ['not JSON', Buffer.from('{oops')],
    ['wrong version', Buffer.from(JSON.stringify({ ...message(), v: 2 }))],
    ['unknown network', Buffer.from(JSON.stringify({ ...message(), network: 'regtest' }))],
    ['missing solution', Buffer.from(JSON.stringify({ ...message(), solution: undefined }))],
    ['bad id', Buffer.from(JSON.stringify({ ...message(), id: 'x' }))],
    ['null', Buffer.from('null')],
  ])('rejects a poison message: %s', (_name, content) => {
    expect(() => decodeSolutionMessage(content)).toThrow(PoisonMessageError);
  });
});
