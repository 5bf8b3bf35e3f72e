import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDatabaseLink } from '../config/link-tls';
import { mysqlConnectionOptions, mysqlSsl } from './database-link';

const link = (url: string, files = {}) => parseDatabaseLink('DATABASE_URL', url, files, 'DATABASE');

describe('mysqlSsl (DATABASE_URL ?ssl= → the driver’s TLS options)', () => {
  const ca = path.join(mkdtempSync(path.join(os.tmpdir(), 'pp-ca-')), 'ca.crt');
  writeFileSync(ca, 'PEM');

  it('disabled: no TLS, the URL as given', () => {
    expect(mysqlConnectionOptions(link('mysql://u:p@h/db'))).toEqual({ uri: 'mysql://u:p@h/db' });
  });

  it('required encrypts without verifying; verify-ca checks the CA; verify-full also the host', () => {
    expect(mysqlSsl(link('mysql://u:p@h/db?ssl=required'))).toEqual({
      rejectUnauthorized: false,
      verifyIdentity: false,
    });
    expect(mysqlSsl(link('mysql://u:p@h/db?ssl=verify-ca', { caFile: ca }))).toEqual({
      ca: Buffer.from('PEM'),
      rejectUnauthorized: true,
      verifyIdentity: false,
    });
    expect(mysqlSsl(link('mysql://u:p@h/db?ssl=verify-full', { caFile: ca }))).toMatchObject({
      rejectUnauthorized: true,
      verifyIdentity: true,
    });
    // The driver never sees the ssl parameter (mysql2 would read it as an SSL profile name).
    expect(mysqlConnectionOptions(link('mysql://u:p@h/db?ssl=verify-full')).uri).toBe(
      'mysql://u:p@h/db',
    );
  });

  it('names the variable of a CA file it cannot read', () => {
    expect(() =>
      mysqlSsl(link('mysql://u:p@h/db?ssl=verify-ca', { caFile: '/nope/ca.crt' })),
    ).toThrow(/^Invalid environment: DATABASE_CA_FILE cannot be read: ENOENT/);
  });
});
