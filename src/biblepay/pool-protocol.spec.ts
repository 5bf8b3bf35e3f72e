import {
  errorBody,
  parseAgentVersion,
  ProtocolError,
  sharelessWallet,
  solutionAcceptedBody,
  workBody,
} from './pool-protocol';

describe('pool protocol bodies', () => {
  it('writes the work answer as the original pool, then the reference pool terminators', () => {
    expect(workBody({ address: 'Baddr', hashTarget: '00ff', minerGuid: 'g', workId: 'w' })).toBe(
      '<RESPONSE> <ADDRESS>Baddr</ADDRESS><HASHTARGET>00ff</HASHTARGET><MINERGUID>g</MINERGUID><WORKID>w</WORKID></RESPONSE>' +
        '<END></HTML><EOF></EOF>\r\n',
    );
  });

  it('writes the accepted-solution answer with its terminators', () => {
    expect(solutionAcceptedBody('w')).toBe(
      '<RESPONSE><STATUS>ok</STATUS><WORKID>w</WORKID></RESPONSE><END></HTML>\r\n',
    );
  });

  it('writes errors as the original (ending in <EOF>), then a terminator; defuses echoed tags', () => {
    expect(errorBody('Invalid network')).toBe(
      '<RESPONSE>Invalid network</RESPONSE><ERROR>Invalid network</ERROR><EOF><END></HTML>\r\n',
    );
    expect(errorBody('WorkerID <END>x is invalid')).toBe(
      '<RESPONSE>WorkerID ENDx is invalid</RESPONSE><ERROR>WorkerID ENDx is invalid</ERROR><EOF><END></HTML>\r\n',
    );
  });
});

describe('wallets that submit no shares', () => {
  it.each([
    ['1.4.8.4', '1.4.8.4'],
    ['1.4.8.0', '1.4.8.0'],
    ['1.4.8.7', '1.4.8.7'],
    ['1.5.0.0', '1.5.0.0'],
    ['2.0.0.1', '2.0.0.1'],
    [' 1.4.8.6-rc', '1.4.8.6'],
  ])('Agent %s is refused as %s', (agent, version) => {
    expect(sharelessWallet(agent)).toBe(version);
  });

  it.each([
    '1.4.4.8',
    '1.4.5.1',
    '1.4.7.9',
    '1.2.0.1',
    '1.1.3.8',
    '',
    'x',
    null,
    undefined,
    '1.4.8',
  ])('Agent %s is served', (agent) => {
    expect(sharelessWallet(agent)).toBeNull();
  });

  it('the refusal names the releases to run', () => {
    expect(ProtocolError.walletSubmitsNoShares('1.4.8.4')).toBe(
      'Wallet 1.4.8.4 does not submit pool shares; run 1.4.4.8 or 1.4.5.x (Evo) or 1.2.0.1 (classic) to mine here',
    );
    expect(parseAgentVersion('1.2.0.1')).toEqual([1, 2, 0, 1]);
  });
});
