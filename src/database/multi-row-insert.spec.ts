import type { EntityManager } from 'typeorm';
import { insertRowsBounded, MAX_STATEMENT_BYTES } from './multi-row-insert';

describe('insertRowsBounded', () => {
  const runner = () => {
    const statements: { rows: number; bytes: number }[] = [];
    const query = jest.fn(async (sql: string, params: unknown[]) => {
      statements.push({
        rows: (sql.match(/\(\?,\?\)/g) ?? []).length,
        bytes: params.reduce<number>((s, p) => s + String(p).length, 0),
      });
      return { affectedRows: (sql.match(/\(\?,\?\)/g) ?? []).length };
    });
    return { manager: { query } as unknown as EntityManager, statements };
  };

  it('splits rows into statements of at most 4 MiB; a larger row goes alone', async () => {
    const { manager, statements } = runner();
    const mib = 1024 * 1024;
    const rows = [mib, mib, mib, mib, 5 * mib, 10, 10].map((size, i) => ({
      i,
      text: 'x'.repeat(size),
    }));
    const result = await insertRowsBounded(manager, 'INSERT INTO t (a, b)', rows, (r) => [
      r.i,
      r.text,
    ]);
    expect(result.affectedRows).toBe(7);
    expect(statements.map((s) => s.rows)).toEqual([3, 1, 1, 2]);
    for (const s of statements.slice(0, 2))
      expect(s.bytes).toBeLessThanOrEqual(MAX_STATEMENT_BYTES);
  });

  it('sends nothing for no rows', async () => {
    const { manager, statements } = runner();
    await insertRowsBounded(manager, 'INSERT INTO t (a, b)', [], () => []);
    expect(statements).toEqual([]);
  });
});
