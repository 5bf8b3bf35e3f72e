import { errorBody, solutionAcceptedBody, workBody } from './pool-protocol';

describe('pool protocol bodies', () => {
  it('writes the work answer exactly as the original pool', () => {
    expect(workBody({ address: 'Baddr', hashTarget: '00ff', minerGuid: 'g', workId: 'w' })).toBe(
      '<RESPONSE> <ADDRESS>Baddr</ADDRESS><HASHTARGET>00ff</HASHTARGET><MINERGUID>g</MINERGUID><WORKID>w</WORKID></RESPONSE>',
    );
  });

  it('writes the accepted-solution answer with its terminators', () => {
    expect(solutionAcceptedBody('w')).toBe(
      '<RESPONSE><STATUS>ok</STATUS><WORKID>w</WORKID></RESPONSE><END></HTML>',
    );
  });

  it('writes errors ending in <EOF> and defuses tags echoed from input', () => {
    expect(errorBody('Invalid network')).toBe(
      '<RESPONSE>Invalid network</RESPONSE><ERROR>Invalid network</ERROR><EOF>',
    );
    expect(errorBody('WorkerID <EOF>x is invalid')).toBe(
      '<RESPONSE>WorkerID EOFx is invalid</RESPONSE><ERROR>WorkerID EOFx is invalid</ERROR><EOF>',
    );
  });
});
