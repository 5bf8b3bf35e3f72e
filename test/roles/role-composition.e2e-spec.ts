import { NodeClients } from '../../src/biblepay/node-clients';
import { ActionController } from '../../src/modules/mining/action.controller';
import { SolutionQueueServer } from '../../src/messaging/solution-queue.server';
import { startRole } from '../support/harness';

describe('role composition', () => {
  it('a frontend process constructs neither the node RPC client nor a queue consumer', async () => {
    const frontend = await startRole('frontend');
    try {
      expect(() => frontend.app.get(NodeClients, { strict: false })).toThrow();
      expect(() => frontend.app.get(SolutionQueueServer, { strict: false })).toThrow();
      expect(frontend.app.get(ActionController, { strict: false })).toBeDefined();
    } finally {
      await frontend.close();
    }
  });

  it('a backend process serves no miner API', async () => {
    const backend = await startRole('backend');
    try {
      expect(() => backend.app.get(ActionController, { strict: false })).toThrow();
      expect(backend.app.get(NodeClients, { strict: false })).toBeDefined();
      const res = await fetch(`${backend.url}/Action.aspx`, { method: 'POST' });
      expect(res.status).toBe(404);
    } finally {
      await backend.close();
    }
  });
});
