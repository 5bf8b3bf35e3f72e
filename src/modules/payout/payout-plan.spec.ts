import { randomAddress } from '../../biblepay/address';
import { parseCoins } from '../../biblepay/amount';
import type { NodeClients } from '../../biblepay/node-clients';
import { AppConfig } from '../../config/app-config';
import type { LedgerRepository, MinerBalance } from './ledger.repository';
import type { PaymentRepository } from './payment.repository';
import { WalletClaimsService } from './wallet-claims.service';
import { PayoutService } from './payout.service';

const config = (env: Record<string, string> = {}) =>
  new AppConfig({
    ROLE: 'backend',
    DATABASE_URL: 'mysql://be:pw@127.0.0.1:3306/purepool',
    AMQP_URL: 'amqp://be:pw@127.0.0.1:5672/purepool',
    POOL_ADDRESS_MAIN: randomAddress('main'),
    NODE_RPC_URL_MAIN: 'http://u:p@127.0.0.1:9998',
    PAYOUT_MIN_INTERVAL_HOURS: '0',
    ...env,
  });

const balance = (minerId: number, coins: string): MinerBalance => ({
  minerId,
  address: randomAddress('main'),
  balance: parseCoins(coins),
  lastPayoutAt: null,
});

const service = (balances: MinerBalance[], setAside: number[], env: Record<string, string>) =>
  new PayoutService(
    { balances: async () => balances } as unknown as LedgerRepository,
    { setAsideMiners: async () => new Set(setAside) } as unknown as PaymentRepository,
    {} as NodeClients,
    config(env),
    {} as WalletClaimsService,
  );

describe('PayoutService.plan', () => {
  it('sends no dust output, whatever the minimum says', async () => {
    const plan = await service([balance(1, '0.5'), balance(2, '0.0099'), balance(3, '0.01')], [], {
      PAYOUT_MINIMUM_MAIN: '0.00000001',
      PAYOUT_DUST_LIMIT: '0.01',
    }).plan('main');
    expect(plan.recipients.map((r) => r.minerId)).toEqual([1, 3]);
    expect(plan.total).toBe(parseCoins('0.51'));
  });

  it('leaves out recipients set aside after failed payments', async () => {
    const plan = await service([balance(1, '20'), balance(2, '30')], [2], {
      PAYOUT_MINIMUM_MAIN: '10',
    }).plan('main');
    expect(plan.recipients.map((r) => r.minerId)).toEqual([1]);
  });
});
