import { randomAddress } from '../../biblepay/address';
import { errorBody, ProtocolError, solutionAcceptedBody } from '../../biblepay/pool-protocol';
import { AppConfig } from '../../config/app-config';
import { outcomeOf, PoolMetricsService } from './pool-metrics.service';

describe('outcomeOf', () => {
  it('labels answers without an error as ok', () => {
    expect(outcomeOf(solutionAcceptedBody('w1'))).toBe('ok');
  });

  it.each([
    [ProtocolError.invalidNetwork, 'invalid_network'],
    [ProtocolError.workerIdInvalid('x/y'), 'worker_invalid'],
    [ProtocolError.minerDisabled('Baddr'), 'miner_disabled'],
    [
      ProtocolError.sourceSuspended('1.2.3.4', new Date(0), '6 rejected shares'),
      'source_suspended',
    ],
    [ProtocolError.tooManyWorkers('Baddr', 200), 'too_many_workers'],
    [ProtocolError.unavailable, 'unavailable'],
    [ProtocolError.unknownAction('<script>'), 'unknown_action'],
    ['something new', 'error'],
  ])('labels the error "%s" by its class %s, never by the echoed input', (message, label) => {
    expect(outcomeOf(errorBody(message))).toBe(label);
  });
});

describe('PoolMetricsService', () => {
  it('keeps its series in its own registry, so two apps in one process do not clash', async () => {
    const a = new PoolMetricsService();
    const b = new PoolMetricsService();
    a.actionAnswered('readytomine2', errorBody(ProtocolError.invalidNetwork), 0.001);
    expect(await a.metrics()).toContain(
      'purepool_action_requests_total{action="readytomine2",outcome="invalid_network"} 1',
    );
    expect(await b.metrics()).not.toContain('outcome="invalid_network"');
  });

  it('counts payout amounts in base units only for sent payments', async () => {
    const m = new PoolMetricsService();
    m.payoutFinished('main', 'sent', 1_234_567_890n);
    m.payoutFinished('main', 'failed', 5n);
    const text = await m.metrics();
    expect(text).toContain('purepool_payout_amount_base_units_total{network="main"} 1234567890');
    expect(text).toContain('purepool_payouts_total{network="main",status="failed"} 1');
  });

  it('starts the series the alert rules compare over time at 0, per role', async () => {
    const env = {
      DATABASE_URL: 'mysql://u:p@127.0.0.1:3306/purepool',
      AMQP_URL: 'amqp://u:p@127.0.0.1:5672/purepool',
      POOL_ADDRESS_MAIN: randomAddress('main'),
      NODE_RPC_URL_MAIN: 'http://u:p@127.0.0.1:9998',
    };
    const backend = await new PoolMetricsService(
      new AppConfig({ ...env, ROLE: 'backend' }),
    ).metrics();
    expect(backend).toContain('purepool_payouts_total{network="main",status="failed"} 0');
    expect(backend).toContain(
      'purepool_solutions_total{network="main",result="accepted",reason=""} 0',
    );
    expect(backend).not.toContain('purepool_action_requests_total{');
    const frontend = await new PoolMetricsService(
      new AppConfig({ ...env, ROLE: 'frontend' }),
    ).metrics();
    expect(frontend).toContain(
      'purepool_action_requests_total{action="readytomine2",outcome="ok"} 0',
    );
    expect(frontend).not.toContain('purepool_payouts_total{');
  });
});
