import { randomUUID } from 'node:crypto';
import {
  shardOfWork,
  SOLUTION_QUEUE,
  SOLUTION_ROUTING_KEY,
  solutionQueueName,
  solutionQueueNames,
  solutionRoutingKey,
} from './broker-topology';

describe('solution queue shards', () => {
  it('keeps the unsharded names for shard 0, numbers the others', () => {
    expect(solutionQueueName(0)).toBe(SOLUTION_QUEUE);
    expect(solutionRoutingKey(0)).toBe(SOLUTION_ROUTING_KEY);
    expect(solutionQueueNames(3)).toEqual([
      'purepool.solutions',
      'purepool.solutions.1',
      'purepool.solutions.2',
    ]);
    expect(solutionRoutingKey(2)).toBe('solution.2');
  });

  it('picks a shard from the work id alone, the same on every frontend, and fills them evenly', () => {
    expect(shardOfWork('7a0f6c1e-3b9d-4f7e-8a21-0c5d9e4b6f33', 1)).toBe(0);
    const id = randomUUID();
    expect(shardOfWork(id, 4)).toBe(shardOfWork(id, 4));
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[shardOfWork(randomUUID(), 4)]++;
    for (const n of counts) expect(n).toBeGreaterThan(800);
  });
});
