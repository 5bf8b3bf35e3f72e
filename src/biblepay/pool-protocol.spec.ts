import { errorBody, solutionAcceptedBody, workBody } from './pool-protocol';

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
