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
  async insertMany(rows: readonly NewWork[]): Promise<void> {
    this.batches.push(rows.map((r) => r.id));
    await new Promise((r) => setTimeout(r, 5));
    if (this.fail) throw new Error('db down');
  }
}

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
