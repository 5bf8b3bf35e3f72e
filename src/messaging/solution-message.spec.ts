import { randomUUID } from 'node:crypto';
import {
  clampToDelivery,
  decodeSolutionMessage,
  decodeSolutionMessages,
  encodeSolutionMessage,
  encodeSolutionMessages,
  MAX_GROUP_SOLUTIONS,
  MAX_SOLUTION_MESSAGE_BYTES,
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

describe('what a backend takes in one broker message', () => {
  const one = (n: number, overrides: Partial<SolutionMessage> = {}): SolutionMessage => ({
    v: 1,
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    network: 'main',
    solution: 'x',
    miner: 'addr',
    threadId: null,
    ip: null,
    agent: null,
    os: null,
    receivedAt: 1_700_000_000_000,
    ...overrides,
  });

  it('refuses a group of more solutions than any frontend sends, as poison', () => {
    const group = Array.from({ length: MAX_GROUP_SOLUTIONS + 1 }, (_, i) => one(i + 1));
    expect(() => decodeSolutionMessages(encodeSolutionMessages(group))).toThrow(
      new PoisonMessageError(`group of ${MAX_GROUP_SOLUTIONS + 1} solutions (at most 1000)`),
    );
    expect(
      decodeSolutionMessages(encodeSolutionMessages(group.slice(0, MAX_GROUP_SOLUTIONS))),
    ).toHaveLength(MAX_GROUP_SOLUTIONS);
  });

  it('refuses a message over 16 MiB unread, as poison', () => {
    const huge = one(1, { solution: 'a'.repeat(MAX_SOLUTION_MESSAGE_BYTES) });
    expect(() => decodeSolutionMessages(encodeSolutionMessages([huge, one(2)]))).toThrow(
      PoisonMessageError,
    );
  });

  it('takes a receivedAt no later than the delivery; earlier ones as they are', () => {
    const delivered = 1_700_000_100_000;
    const [future, past] = clampToDelivery(
      [one(1, { receivedAt: delivered + 3_600_000 }), one(2, { receivedAt: delivered - 5000 })],
      delivered,
    );
    expect([future.receivedAt, past.receivedAt]).toEqual([delivered, delivered - 5000]);
  });
});
