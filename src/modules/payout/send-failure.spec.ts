import { RpcError, RpcTransportError } from '../../biblepay/rpc';
import { classifySendFailure } from './send-failure';

describe('classifySendFailure', () => {
  const rpc = (code: number, message: string) => new RpcError('sendmany', code, message);

  it('splits a batch the wallet refuses as too large, whatever the code', () => {
    expect(classifySendFailure(rpc(-6, 'Transaction too large'))).toEqual({
      unsent: true,
      kind: 'too-large',
    });
    expect(classifySendFailure(rpc(-4, 'Transaction too large for fee policy'))).toEqual({
      unsent: true,
      kind: 'too-large',
    });
  });

  it('blames the recipient an invalid-address error names', () => {
    expect(classifySendFailure(rpc(-5, 'Invalid Biblepay address: BAbc123'))).toEqual({
      unsent: true,
      kind: 'recipient',
      address: 'BAbc123',
    });
    expect(classifySendFailure(rpc(-6, 'Transaction amount too small'))).toEqual({
      unsent: true,
      kind: 'recipient',
    });
  });

  it('blames nobody for the wallet state, and trusts nothing after a possible commit', () => {
    expect(classifySendFailure(rpc(-6, 'Account has insufficient funds'))).toEqual({
      unsent: true,
      kind: 'wallet',
    });
    expect(classifySendFailure(rpc(-13, 'Error: Please enter the wallet passphrase'))).toEqual({
      unsent: true,
      kind: 'wallet',
    });
    expect(classifySendFailure(rpc(-4, 'Error: The transaction was rejected!'))).toEqual({
      unsent: false,
    });
    expect(classifySendFailure(new Error('socket hang up'))).toEqual({ unsent: false });
  });

  it("blames the recipient for each of the wallet's verbatim dust refusals (wallet.cpp @1.2.0.1, @1.4.8.4)", () => {
    for (const text of [
      'The transaction amount is too small to send after the fee has been deducted',
      'The transaction amount is too small to pay the fee',
      'Transaction amount too small',
    ]) {
      expect(classifySendFailure(rpc(-6, text))).toEqual({ unsent: true, kind: 'recipient' });
    }
  });

  it('keeps every insufficient-funds text a wallet state (classic and Evo wording)', () => {
    for (const text of [
      'Account has insufficient funds',
      'Insufficient funds.',
      '(Create Transaction) Insufficient funds.',
    ]) {
      expect(classifySendFailure(rpc(-6, text))).toEqual({ unsent: true, kind: 'wallet' });
    }
  });

  it('counts a busy node (HTTP 500 "Work queue depth exceeded") as nothing sent: stop, retry next run', () => {
    const busy = new RpcTransportError('sendmany', 'busy', 'HTTP 500: Work queue depth exceeded');
    expect(classifySendFailure(busy)).toEqual({ unsent: true, kind: 'wallet' });
    const timeout = new RpcTransportError('sendmany', 'timeout', 'no answer');
    expect(classifySendFailure(timeout)).toEqual({ unsent: false });
  });
});
