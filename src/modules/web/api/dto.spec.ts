import { LedgerRow } from '../web-read-model';
import { shareWeightText, toPaymentDto } from './dto';

const payout = (o: Partial<LedgerRow>): LedgerRow => ({
  id: 1,
  amount: -150_000_000n,
  category: 'payout',
  blockHeight: null,
  note: null,
  txid: null,
  paymentStatus: null,
  paymentConfirmed: false,
  createdAt: new Date('2026-11-28T12:00:00Z'),
  ...o,
});

describe('API DTO mapping', () => {
  it('writes share weights (integer millionths) as exact decimals', () => {
    expect(shareWeightText(30_000_000n)).toBe('30');
    expect(shareWeightText(1_500_000n)).toBe('1.5');
    expect(shareWeightText(1n)).toBe('0.000001');
  });

  it('reports a payout as sent once a txid is known, whichever row holds it', () => {
    expect(toPaymentDto(payout({ txid: 'ab', paymentStatus: 'intent' }))).toMatchObject({
      amount: '1.5',
      status: 'sent',
      txid: 'ab',
    });
    expect(toPaymentDto(payout({ paymentStatus: 'intent' })).status).toBe('intent');
    expect(toPaymentDto(payout({ paymentStatus: 'failed' })).status).toBe('failed');
    expect(toPaymentDto(payout({})).status).toBe('intent');
  });
});
