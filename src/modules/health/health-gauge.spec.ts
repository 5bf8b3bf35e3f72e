import { HealthIndicatorFunction, HealthIndicatorResult } from '@nestjs/terminus';
import { HealthGauge } from './health-gauge';

describe('HealthGauge', () => {
  it('reads every indicator as 1 up or 0 down, and a failing one keeps its name', async () => {
    let nodeThrows = false;
    const indicators: HealthIndicatorFunction[] = [
      () => Promise.resolve({ database: { status: 'up' } }),
      () => Promise.resolve({ broker: { status: 'down', message: 'not connected' } }),
      async (): Promise<HealthIndicatorResult> => {
        if (nodeThrows) throw new Error('database gone');
        return { node_main: { status: 'up' } };
      },
    ];
    const gauge = new HealthGauge(indicators);
    expect(await gauge.read()).toEqual(
      new Map([
        ['database', 1],
        ['broker', 0],
        ['node_main', 1],
      ]),
    );
    nodeThrows = true;
    expect((await gauge.read()).get('node_main')).toBe(0);
  });
});
