import { isLockConflict, retryOnLockConflict } from './lock-retry';

const deadlock = () => Object.assign(new Error('Deadlock found'), { code: 'ER_LOCK_DEADLOCK' });

describe('retryOnLockConflict', () => {
  it('runs the transaction again after a deadlock or lock wait, and gives up after the attempts', async () => {
    let calls = 0;
    const value = await retryOnLockConflict(() => {
      calls++;
      return calls < 3 ? Promise.reject(deadlock()) : Promise.resolve('done');
    });
    expect({ value, calls }).toEqual({ value: 'done', calls: 3 });
    calls = 0;
    await expect(
      retryOnLockConflict(() => {
        calls++;
        return Promise.reject(deadlock());
      }, 2),
    ).rejects.toThrow('Deadlock found');
    expect(calls).toBe(2);
  });

  it('never repeats work that failed for another reason', async () => {
    let calls = 0;
    await expect(
      retryOnLockConflict(() => {
        calls++;
        return Promise.reject(Object.assign(new Error('dup'), { code: 'ER_DUP_ENTRY' }));
      }),
    ).rejects.toThrow('dup');
    expect(calls).toBe(1);
    expect(isLockConflict({ driverError: { code: 'ER_LOCK_WAIT_TIMEOUT' } })).toBe(true);
  });
});
