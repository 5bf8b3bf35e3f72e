import { RpcError } from '../../biblepay/rpc';
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
});
