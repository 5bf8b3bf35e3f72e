import { randomUUID } from 'node:crypto';
import {
  decodeSolutionMessage,
  decodeSolutionMessages,
  encodeSolutionMessage,
  encodeSolutionMessages,
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

  it('carries a group of solutions in one v2 message, and a single one as v1', () => {
    const group = [message(), message(), message()];
    expect(decodeSolutionMessages(encodeSolutionMessages(group))).toEqual(group);
    const one = message();
    expect(JSON.parse(encodeSolutionMessages([one]).toString()).v).toBe(1);
    expect(decodeSolutionMessages(encodeSolutionMessage(one))).toEqual([one]);
  });

  it.each([
    ['empty group', Buffer.from(JSON.stringify({ v: 2, solutions: [] }))],
    ['group without a list', Buffer.from(JSON.stringify({ v: 2, solutions: 'x' }))],
    [
      'group with one bad member',
      Buffer.from(JSON.stringify({ v: 2, solutions: [message(), { ...message(), id: 'x' }] })),
    ],
  ])('rejects a poison group: %s', (_name, content) => {
    expect(() => decodeSolutionMessages(content)).toThrow(PoisonMessageError);
  });
});
