import type { SolutionMessage } from '../../messaging/solution-message';
import type { SourceSuspenderService } from './source-suspender.service';
import { SolutionPipelineService } from './solution-pipeline.service';
import type { SolutionRecorderService } from './solution-recorder.service';
import { NodeUnavailableError } from './node-unavailable.error';
import { SolutionValidatorService } from './solution-validator.service';
import type { Verdict } from './verdict';

const message = { id: 'm1' } as SolutionMessage;
const accepted = { kind: 'accepted', row: {} } as Verdict;

function pipeline(overrides: {
  validate?: jest.Mock;
  record?: jest.Mock;
  review?: jest.Mock;
  probe?: jest.Mock;
}): SolutionPipelineService {
  const validator = { validate: overrides.validate ?? jest.fn().mockResolvedValue([accepted]) };
  const recorder = {
    record:
      overrides.record ??
      jest.fn().mockResolvedValue({ accepted: 1, rejected: 0, alreadyRecorded: 0 }),
  };
  const suspender = { review: overrides.review ?? jest.fn().mockResolvedValue([]) };
  return new SolutionPipelineService(
    validator as unknown as SolutionValidatorService,
    recorder as unknown as SolutionRecorderService,
    suspender as unknown as SourceSuspenderService,
    { query: overrides.probe ?? jest.fn().mockResolvedValue([{ 1: 1 }]) },
  );
}

describe('SolutionPipelineService (one batch: validate, record, review)', () => {
  it('validates, records the verdicts and reviews the miners, reporting the counts', async () => {
    const record = jest.fn().mockResolvedValue({ accepted: 1, rejected: 0, alreadyRecorded: 0 });
    const review = jest.fn().mockResolvedValue([]);
    expect(await pipeline({ record, review }).process([message])).toEqual({
      status: 'recorded',
      accepted: 1,
      rejected: 0,
      alreadyRecorded: 0,
    });
    expect(record).toHaveBeenCalledWith([accepted]);
    expect(review).toHaveBeenCalledWith([accepted]);
  });

  it('tells a node outage (wait) from any other failure (bounded retries), and never throws', async () => {
    const down = jest.fn().mockRejectedValue(new NodeUnavailableError('ECONNREFUSED'));
    expect(await pipeline({ validate: down }).process([message])).toEqual({
      status: 'node_unavailable',
      message: 'ECONNREFUSED',
    });
    const broken = jest.fn().mockRejectedValue(new Error('ER_LOCK_DEADLOCK'));
    expect(await pipeline({ record: broken }).process([message])).toEqual({
      status: 'failed',
      message: 'ER_LOCK_DEADLOCK',
      transient: false,
    });
  });

  const sqlError = (code: string, text = code): Error =>
    Object.assign(new Error(text), { driverError: { code } });
  const outcome = async (error: Error, probe?: jest.Mock) =>
    pipeline({ record: jest.fn().mockRejectedValue(error), probe }).process([message]);

  it('waits for a database that is down: the link lost and a probe on a fresh connection unanswered', async () => {
    const probe = jest
      .fn()
      .mockRejectedValue(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }));
    for (const code of ['PROTOCOL_CONNECTION_LOST', 'ECONNREFUSED', 'ER_SERVER_SHUTDOWN']) {
      expect(await outcome(sqlError(code), probe)).toEqual({
        status: 'database_unavailable',
        message: code,
      });
    }
    expect(probe).toHaveBeenCalledTimes(3);
  });

  it('counts a lost link against the batch while the database answers others (transient: retried whole first)', async () => {
    const lost = Object.assign(new Error('Connection lost: The server closed the connection.'), {
      code: 'PROTOCOL_CONNECTION_LOST',
    });
    expect(await outcome(lost)).toMatchObject({ status: 'failed', transient: true });
  });

  it('waits for a database that answers but refuses writes for now: read-only, lock waits, deadlocks', async () => {
    const probe = jest.fn();
    for (const code of [
      'ER_OPTION_PREVENTS_STATEMENT', // 1290, read_only
      'ER_READ_ONLY_MODE',
      'ER_LOCK_WAIT_TIMEOUT', // 1205
      'ER_LOCK_DEADLOCK', // 1213, after the recorder's own retries
    ]) {
      expect(await outcome(sqlError(code), probe)).toEqual({
        status: 'database_unavailable',
        message: code,
      });
    }
    expect(probe).not.toHaveBeenCalled();
  });

  it('fails a batch whose row the database refuses (split at once, never waited for)', async () => {
    const refused = sqlError('ER_DATA_TOO_LONG', "Data too long for column 'work_id'");
    expect(await outcome(refused)).toMatchObject({ status: 'failed', transient: false });
    const signalled = sqlError('ER_SIGNAL_EXCEPTION', 'this row is refused');
    expect(await outcome(signalled)).toMatchObject({ status: 'failed', transient: false });
  });

  it('a failed suspension review does not undo a recorded batch', async () => {
    const review = jest.fn().mockRejectedValue(new Error('timeout'));
    expect((await pipeline({ review }).process([message])).status).toBe('recorded');
  });
});
