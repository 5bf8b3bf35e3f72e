import { ServiceUnavailableException } from '@nestjs/common';
import type { HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { HEALTH_REUSE_MS, HealthController } from './health.controller';

describe('HealthController', () => {
  const up: HealthCheckResult = { status: 'ok', info: {}, error: {}, details: {} };
  let now: number;
  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('answers a flood of hits with one check a second, shared by concurrent hits', async () => {
    const check = jest.fn(() => Promise.resolve(up));
    const controller = new HealthController({ check } as unknown as HealthCheckService, []);
    await Promise.all(Array.from({ length: 200 }, () => controller.check()));
    now += HEALTH_REUSE_MS - 1;
    await controller.check();
    expect(check).toHaveBeenCalledTimes(1);
    now += 1;
    await controller.check();
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('shares a failing check (503) the same way, and checks again after a second', async () => {
    const check = jest
      .fn()
      .mockRejectedValueOnce(new ServiceUnavailableException({ status: 'error' }))
      .mockResolvedValue(up);
    const controller = new HealthController({ check } as unknown as HealthCheckService, []);
    await expect(controller.check()).rejects.toBeInstanceOf(ServiceUnavailableException);
    await expect(controller.check()).rejects.toBeInstanceOf(ServiceUnavailableException);
    now += HEALTH_REUSE_MS;
    await expect(controller.check()).resolves.toBe(up);
    expect(check).toHaveBeenCalledTimes(2);
  });
});
