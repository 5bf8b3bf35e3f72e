/**
 * The pool side of the wallet's HTTP protocol (docs/PROTOCOL.md): answer bodies and error messages,
 * byte for byte as the original pool wrote them, each closed by a terminator that both of the
 * wallet's answer readers stop on.
 */
/** The releases that submit shares, as the refusal of a wallet that does not names them. */
export const SHARE_SUBMITTING_WALLETS = '1.4.4.8 or 1.4.5.x (Evo) or 1.2.0.1 (classic)';

/**
 * The first wallet release that asks for work but never submits a share: from 1.4.8.x on the
 * UpdatePoolProgress call is commented out (src/miner.cpp:922-939 @1.4.8.4; 1.4.5.x still calls it).
 */
export const FIRST_SHARELESS_WALLET = [1, 4, 8, 0] as const;

/** The `Agent` header (FormatFullVersion: "1.4.8.4") as four numbers; null when it is not one. */
export function parseAgentVersion(agent: string | null | undefined): number[] | null {
  const match = /^\s*(\d{1,4})\.(\d{1,4})\.(\d{1,4})\.(\d{1,4})/.exec(agent ?? '');
  return match ? match.slice(1, 5).map(Number) : null;
}

/** The wallet's version when it is one that submits no shares (Evo 1.4.8.0 and later), else null. */
export function sharelessWallet(agent: string | null | undefined): string | null {
  const version = parseAgentVersion(agent);
  if (!version) return null;
  for (let i = 0; i < 4; i++) {
    if (version[i] !== FIRST_SHARELESS_WALLET[i]) {
      return version[i] > FIRST_SHARELESS_WALLET[i] ? version.join('.') : null;
    }
  }
  return version.join('.');
}

export const ProtocolError = {
  unknownAction: (action: string) => `UNKNOWN ACTION ${action}`,
  invalidNetwork: 'Invalid network',
  workerIdMissing: 'WorkerID is missing',
  workerIdInvalid: (workerId: string) => `WorkerID ${workerId} is invalid`,
  minerDisabled: (address: string) => `Miner ${address} is disabled`,
  sourceSuspended: (source: string, until: Date, reason: string) =>
    `Source ${source} is suspended until ${until.toISOString()}: ${reason}`,
  tooManyWorkers: (address: string, limit: number) =>
    `Miner ${address} has too many workers (limit ${limit})`,
  solutionMissing: 'Solution is missing',
  invalidSolution: 'Invalid Solution',
  unavailable: 'Pool is temporarily unavailable, please retry',
  walletSubmitsNoShares: (version: string) =>
    `Wallet ${version} does not submit pool shares; run ${SHARE_SUBMITTING_WALLETS} to mine here`,
  rateLimited: 'Too many requests, slow down',
} as const;

/**
 * What follows each answer. The plain-HTTP reader stops only on a *line* holding `<END>`, `</HTML>`
 * (or `</html>`, lowercase `<eof>`), and an uppercase `<EOF>` ends a line: `<END></HTML>` right
 * after the answer stops it on the answer's own line. The HTTPS reader stops on any of them in its
 * buffer. The reference pool wrote exactly these, each followed by CRLF.
 */
export const Terminator = {
  work: '<END></HTML><EOF></EOF>\r\n',
  solution: '<END></HTML>\r\n',
  /** After the original's `<EOF>`, which ends a plain-HTTP line but not the read. */
  error: '<END></HTML>\r\n',
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
    `<MINERGUID>${work.minerGuid}</MINERGUID><WORKID>${work.workId}</WORKID></RESPONSE>` +
    Terminator.work
  );
}

export function solutionAcceptedBody(workId: string): string {
  return `<RESPONSE><STATUS>ok</STATUS><WORKID>${workId}</WORKID></RESPONSE>${Terminator.solution}`;
}

/** Error answer in the original's shape; tags in echoed input are defused. */
export function errorBody(message: string): string {
  const safe = message.replace(/[<>\r\n]/g, '');
  return `<RESPONSE>${safe}</RESPONSE><ERROR>${safe}</ERROR><EOF>${Terminator.error}`;
}

/**
 * Longest `Solution` header taken (characters): 16 fields with the block and coinbase hex — a pool
 * miner's block is a few kilobytes; the rest of the 128 KiB of headers is the other headers' room.
 */
export const SOLUTION_HEADER_MAX_LENGTH = 120 * 1024;
/** The alphabet of a `Solution` header: hex, decimal, UUIDs, the commas between and spaces. */
export const SOLUTION_HEADER_ALPHABET = /^[0-9A-Za-z, -]*$/;

/** The one URL wallets post to. */
export const ACTION_PATH = '/Action.aspx';
