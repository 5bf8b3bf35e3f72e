import { randomAddress } from '../../biblepay/address';
import { parseWorkerId } from './worker-id';

describe('worker id (ADDRESS[/WORKER[/EMAIL]])', () => {
  const address = randomAddress('main');

  it('takes the address alone with worker Default', () => {
    expect(parseWorkerId(address, 'main')).toEqual({
      ok: true,
      workerId: { address, worker: 'Default', email: null },
    });
  });

  it('takes worker and e-mail', () => {
    expect(parseWorkerId(` ${address}/rig-7/me@example.org `, 'main')).toEqual({
      ok: true,
      workerId: { address, worker: 'rig-7', email: 'me@example.org' },
    });
  });

  it('says the worker id is missing when empty', () => {
    expect(parseWorkerId(undefined, 'main')).toEqual({ ok: false, error: 'WorkerID is missing' });
    expect(parseWorkerId('   ', 'main')).toEqual({ ok: false, error: 'WorkerID is missing' });
  });

  it.each([
    ['an address of the other network', randomAddress('test')],
    ['four parts', `${address}/a/b@c.d/e`],
    ['a worker name with markup', `${address}/<b>`],
    ['a worker name longer than 64', `${address}/${'w'.repeat(65)}`],
    ['a malformed e-mail', `${address}/rig/not-an-email`],
  ])('calls %s invalid', (_name, raw) => {
    expect(parseWorkerId(raw, 'main')).toEqual({ ok: false, error: `WorkerID ${raw} is invalid` });
  });
});
