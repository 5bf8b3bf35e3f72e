import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Each table and the one module whose repositories may name it in SQL. */
const OWNERS: Record<string, string> = {
  miner: 'src/modules/mining',
  worker: 'src/modules/mining',
  work: 'src/modules/mining',
  source_suspension: 'src/modules/mining',
  solution: 'src/modules/solution',
  rejected_solution: 'src/modules/solution',
  block: 'src/modules/block',
  ledger_entry: 'src/modules/payout',
  payment: 'src/modules/payout',
  payment_error: 'src/modules/payout',
  miner_balance: 'src/modules/payout',
  credit_reversal: 'src/modules/payout',
  payout_set_aside: 'src/modules/payout',
  unclaimed_send: 'src/modules/payout',
  job_lease: 'src/jobs',
  admin_action: 'src/modules/admin',
  admin_spent_token: 'src/modules/admin',
};

/**
 * The documented read models: named query classes that read across modules for pages and the
 * console (never writing). Anything else naming another module's table is a violation.
 */
const READ_MODELS = ['src/modules/web/web-read-model.ts', 'src/modules/admin/admin-read-model.ts'];

const ROOT = path.join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(path.join(ROOT, file)).isDirectory()) return sources(file);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [file] : [];
  });
}

describe('each module owns its tables', () => {
  it('no SQL outside a table’s module (or a documented read model) names that table', () => {
    const violations: string[] = [];
    for (const file of sources('src')) {
      if (file.startsWith('src/database/migrations') || READ_MODELS.includes(file)) continue;
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const [table, owner] of Object.entries(OWNERS)) {
        const sql = new RegExp(
          `\\b(FROM|JOIN|INTO|UPDATE|DELETE\\s+FROM|TABLE)\\s+\`?${table}\`?(\\s|\`|,|\\)|$)`,
          'm',
        );
        if (sql.test(text) && !file.startsWith(`${owner}/`)) violations.push(`${file} → ${table}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('the read models only read', () => {
    for (const file of READ_MODELS) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      expect({
        file,
        writes: /\b(INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b/i.test(text),
      }).toEqual({
        file,
        writes: false,
      });
    }
  });
});
