import { readFileSync } from 'node:fs';
import path from 'node:path';
import { grantStatements } from './grants';

describe('config/grants.sql (for operators)', () => {
  it('carries exactly the grants db:setup applies', () => {
    const sql = readFileSync(path.join(__dirname, '../../../config/grants.sql'), 'utf8');
    for (const statement of grantStatements(
      'purepool',
      'purepool_frontend',
      'purepool_backend',
      '%',
    )) {
      expect(sql).toContain(`${statement};`);
    }
    expect(sql.match(/^GRANT/gm)).toHaveLength(grantStatements('d', 'f', 'b', '%').length);
  });
});
