import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BROKER_PERMISSIONS, SOLUTION_EXCHANGE, SOLUTION_QUEUE } from '../broker-topology';

interface Definitions {
  permissions: { user: string; configure: string; write: string; read: string }[];
  queues: { name: string }[];
  exchanges: { name: string }[];
}

describe('config/rabbitmq-definitions.json (for operators)', () => {
  const defs = JSON.parse(
    readFileSync(path.join(__dirname, '../../../config/rabbitmq-definitions.json'), 'utf8'),
  ) as Definitions;

  it('gives each role the permissions db:setup sets', () => {
    const of = (user: string) => defs.permissions.find((p) => p.user === user);
    expect(of('purepool_frontend')).toMatchObject(BROKER_PERMISSIONS.frontend);
    expect(of('purepool_backend')).toMatchObject(BROKER_PERMISSIONS.backend);
  });

  it('declares the solution exchange and queue', () => {
    expect(defs.exchanges.map((e) => e.name)).toContain(SOLUTION_EXCHANGE);
    expect(defs.queues.map((q) => q.name)).toContain(SOLUTION_QUEUE);
  });
});
