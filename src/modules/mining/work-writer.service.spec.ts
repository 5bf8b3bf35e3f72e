import { AppConfig } from '../../config/app-config';
import { NewWork, WorkRepository } from './work.repository';
import { WorkWriterService } from './work-writer.service';

const row = (id: string): NewWork => ({
  id,
  network: 'main',
  minerId: 1,
  workerId: 1,
  threadId: 0,
  hashTarget: 'ff'.repeat(32),
  ip: null,
  os: null,
  agent: null,
  sessionId: null,
  createdAt: new Date(),
});

class SlowRepository {
  batches: string[][] = [];
  fail = false;
  inFlight = 0;
  maxInFlight = 0;
  async insertMany(rows: readonly NewWork[]): Promise<void> {
    this.batches.push(rows.map((r) => r.id));
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    await new Promise((r) => setTimeout(r, 5));
    this.inFlight--;
    if (this.fail) throw new Error('db down');
  }
}

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('WorkWriterService (group commit of work rows)', () => {
  const config = { workBatchMax: 100 } as AppConfig;

  it('writes every row and groups rows that arrive while inserts are in flight', async () => {
    const repo = new SlowRepository();
    const writer = new WorkWriterService(repo as unknown as WorkRepository, config);
    await Promise.all(Array.from({ length: 300 }, (_, i) => writer.write(row(String(i)))));
    expect(repo.batches.flat().sort()).toEqual(
      Array.from({ length: 300 }, (_, i) => String(i)).sort(),
    );
    expect(repo.batches.length).toBeLessThan(300);
    expect(Math.max(...repo.batches.map((b) => b.length))).toBeLessThanOrEqual(100);
  });

  it('groups wallets arriving one per event-loop turn: one INSERT in flight, the rest wait and go together', async () => {
    // The INSERT is held open by the test (not by a timer), so the grouping does not depend on how
    // fast this machine turns the event loop.
    const held: (() => void)[] = [];
    const batches: string[][] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const repo = {
      async insertMany(rows: readonly NewWork[]): Promise<void> {
        batches.push(rows.map((r) => r.id));
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise<void>((release) => held.push(release));
        inFlight--;
      },
    };
    const writer = new WorkWriterService(repo as unknown as WorkRepository, config);
    const writes: Promise<void>[] = [];
    // 40 getworks, each in a turn of its own (new connections arrive one by one)
    for (let i = 0; i < 40; i++) {
      writes.push(writer.write(row(String(i))));
      await nextTurn();
    }
    expect(batches).toEqual([['0']]);
    held.shift()?.();
    await nextTurn();
    await nextTurn();
    expect(batches).toHaveLength(2);
    held.shift()?.();
    await Promise.all(writes);
    expect(maxInFlight).toBe(1);
    // the first went alone, the 39 that waited ride together in the next INSERT
    expect(batches[1]).toEqual(Array.from({ length: 39 }, (_, i) => String(i + 1)));
  });

  it('rejects every caller of a failed batch so no getwork is answered without its row', async () => {
    const repo = new SlowRepository();
    repo.fail = true;
    const writer = new WorkWriterService(repo as unknown as WorkRepository, config);
    const results = await Promise.allSettled([writer.write(row('a')), writer.write(row('b'))]);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
  });

  it('waits for in-flight rows on shutdown', async () => {
    const repo = new SlowRepository();
    const writer = new WorkWriterService(repo as unknown as WorkRepository, config);
    const pending = writer.write(row('x'));
    await writer.onModuleDestroy();
    await expect(pending).resolves.toBeUndefined();
  });
});
