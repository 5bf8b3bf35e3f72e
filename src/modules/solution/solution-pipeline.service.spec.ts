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

  it('marks failures of the database link transient, and a row the database refuses not', async () => {
    const lost = Object.assign(new Error('Connection lost: The server closed the connection.'), {
      code: 'PROTOCOL_CONNECTION_LOST',
    });
    const refused = Object.assign(new Error("Data too long for column 'work_id'"), {
      driverError: { code: 'ER_DATA_TOO_LONG' },
    });
    const outcome = async (error: Error) =>
      pipeline({ record: jest.fn().mockRejectedValue(error) }).process([message]);
    expect(await outcome(lost)).toMatchObject({ status: 'failed', transient: true });
    expect(await outcome(refused)).toMatchObject({ status: 'failed', transient: false });
  });

  it('a failed suspension review does not undo a recorded batch', async () => {
    const review = jest.fn().mockRejectedValue(new Error('timeout'));
    expect((await pipeline({ review }).process([message])).status).toBe('recorded');
  });
});
