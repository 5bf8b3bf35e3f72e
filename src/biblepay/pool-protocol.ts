/**
 * The pool side of the wallet's HTTP protocol (PROTOCOL.md §1): answer bodies and error messages,
 * byte for byte as the original pool wrote them.
 */
export const ProtocolError = {
  unknownAction: (action: string) => `UNKNOWN ACTION ${action}`,
  invalidNetwork: 'Invalid network',
  workerIdMissing: 'WorkerID is missing',
  workerIdInvalid: (workerId: string) => `WorkerID ${workerId} is invalid`,
  minerDisabled: (address: string) => `Miner ${address} is disabled`,
  solutionMissing: 'Solution is missing',
  invalidSolution: 'Invalid Solution',
  unavailable: 'Pool is temporarily unavailable, please retry',
  rateLimited: 'Too many requests, slow down',
} as const;

export interface WorkAnswer {
  address: string;
  hashTarget: string;
  minerGuid: string;
  workId: string;
}

export function workBody(work: WorkAnswer): string {
  return (
    `<RESPONSE> <ADDRESS>${work.address}</ADDRESS><HASHTARGET>${work.hashTarget}</HASHTARGET>` +
    `<MINERGUID>${work.minerGuid}</MINERGUID><WORKID>${work.workId}</WORKID></RESPONSE>`
  );
}

export function solutionAcceptedBody(workId: string): string {
  return `<RESPONSE><STATUS>ok</STATUS><WORKID>${workId}</WORKID></RESPONSE><END></HTML>`;
}

/** Error answer; ends with `<EOF>` so the wallet stops reading. Tags in echoed input are defused. */
export function errorBody(message: string): string {
  const safe = message.replace(/[<>\r\n]/g, '');
  return `<RESPONSE>${safe}</RESPONSE><ERROR>${safe}</ERROR><EOF>`;
}
