/**
 * The four BiblePay wallet releases the simulated miner can be (`--wallet`), each as its own source
 * writes the pool request, reads the answer and paces its mining threads (docs/FIDELITY.md,
 * docs/fidelity-notes.md §3). C++ paths are under `src/` of the tag: biblepay/biblepay_legacy for
 * 1.1.3.8 and 1.2.0.1, biblepay/biblepay for 1.4.4.8 and 1.4.8.4.
 */
export const WALLET_VERSIONS = ['1.1.3.8', '1.2.0.1', '1.4.4.8', '1.4.8.4'] as const;
export type WalletVersion = (typeof WALLET_VERSIONS)[number];

export function isWalletVersion(value: string): value is WalletVersion {
  return (WALLET_VERSIONS as readonly string[]).includes(value);
}

export interface WalletProfile {
  version: WalletVersion;
  generation: 'classic' | 'evo';
  /**
   * The whole `User-Agent` value: PrepareHTTPPost writes `<agent>/<FormatFullVersion()>`
   * (net.cpp:2917-2929 @1.1.3.8, :2909-2921 @1.2.0.1; rpcpog.cpp:1889-1905 @1.4.4.8,
   * :1997-2013 @1.4.8.4).
   */
  userAgent: string;
  /**
   * Evo: TLS to port 443 whatever the URL says (the plain-HTTP branch is commented out,
   * miner.cpp:694-715 @1.4.4.8, :602-623 @1.4.8.4) and the headers SessionID, WorkerID1, WorkerID2,
   * HTTP_PROTO_VERSION (rpcpog.cpp:1918-1932 @1.4.4.8, :2033-2047 @1.4.8.4).
   */
  evo: boolean;
  /** TLS server name: only 1.4.8.4 sets one (SSL_set_tlsext_host_name, rpcpog.cpp:2066 @1.4.8.4). */
  sni: boolean;
  /**
   * The plain-HTTP reader also stops after a line holding lowercase `<eof>` (GetHTTPContent,
   * net.cpp:2871-2874 @1.2.0.1; absent at net.cpp:2882-2884 @1.1.3.8). Classic only.
   */
  plainStopsOnLowerEof: boolean;
  /** BiblepayHTTPSPost's initial size limit: 50,000 classic (miner.cpp:507-521 @1.2.0.1), 45,000 Evo. */
  httpsByteLimit: number;
  /**
   * Whether a found share is sent: 1.4.8.4 has the UpdatePoolProgress call inside a comment
   * (miner.cpp:922-939 @1.4.8.4) — it asks for work and never submits.
   */
  submitsShares: boolean;
  /**
   * Classic: a share only when more than 2 minutes passed since this thread's last one
   * (miner.cpp:951-955 @1.1.3.8, :955-963 @1.2.0.1); Evo: none (miner.cpp:1196-1209 @1.4.4.8).
   */
  shareGateSeconds: number;
  /** getwork at most once per thread per more than 3 minutes (miner.cpp:796-798 @1.2.0.1, :1072-1085 @1.4.4.8). */
  getworkGateSeconds: number;
  /** Work dropped after 7 minutes (miner.cpp:1037-1041 @1.2.0.1), 15 in Evo (POOL_MAX_MINUTES, :1291-1304 @1.4.4.8). */
  refreshSeconds: number;
  /** Each thread clears the wallet-wide work cache every 3 minutes (miner.cpp:1044-1051 @1.2.0.1, :1308-1314 @1.4.4.8). */
  cacheClearSeconds: number;
}

const CLASSIC_CADENCE = {
  getworkGateSeconds: 180,
  refreshSeconds: 7 * 60,
  cacheClearSeconds: 180,
  shareGateSeconds: 120,
} as const;
const EVO_CADENCE = {
  getworkGateSeconds: 180,
  refreshSeconds: 15 * 60,
  cacheClearSeconds: 180,
  shareGateSeconds: 0,
} as const;

/** The 1.4.8.4 browser string (rpcpog.cpp:2000-2004 @1.4.8.4). */
const CHROME_47 =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/47.0.2526.80 Safari/537.36';

export const WALLET_PROFILES: Record<WalletVersion, WalletProfile> = {
  '1.1.3.8': {
    version: '1.1.3.8',
    generation: 'classic',
    userAgent: 'BiblePay-QT/1.1.3.8', // net.cpp:2922 @1.1.3.8
    evo: false,
    sni: false,
    plainStopsOnLowerEof: false,
    httpsByteLimit: 50_000,
    submitsShares: true,
    ...CLASSIC_CADENCE,
  },
  '1.2.0.1': {
    version: '1.2.0.1',
    generation: 'classic',
    userAgent: 'Mozilla/5.0/1.2.0.1', // net.cpp:2912-2915 @1.2.0.1
    evo: false,
    sni: false,
    plainStopsOnLowerEof: true,
    httpsByteLimit: 50_000,
    submitsShares: true,
    ...CLASSIC_CADENCE,
  },
  '1.4.4.8': {
    version: '1.4.4.8',
    generation: 'evo',
    userAgent: 'Mozilla/5.0/1.4.4.8', // rpcpog.cpp:1892-1896 @1.4.4.8
    evo: true,
    sni: false,
    plainStopsOnLowerEof: true,
    httpsByteLimit: 45_000,
    submitsShares: true,
    ...EVO_CADENCE,
  },
  '1.4.8.4': {
    version: '1.4.8.4',
    generation: 'evo',
    userAgent: `${CHROME_47}/1.4.8.4`,
    evo: true,
    sni: true,
    plainStopsOnLowerEof: true,
    httpsByteLimit: 45_000,
    submitsShares: false,
    ...EVO_CADENCE,
  },
};

/**
 * The `Host` value as GetDomainFromURL leaves it: the URL after `http://` / `https://`, nothing
 * stripped (net.cpp:2890-2906 @1.2.0.1). The simulated miner is given a URL with the port its pool
 * listens on; that port stands for the classic wallet's `-poolport` (default 80) or the Evo
 * wallet's fixed 443, so it is not part of what the wallet wrote in `pool=`.
 */
export function walletHostHeader(pool: string): string {
  return new URL(pool).hostname;
}

/**
 * The extra headers in the order std::map<std::string, std::string> iterates them: byte-wise
 * ascending names (classic `Action, Agent, Miner, NetworkID, OS, Solution, ThreadID`; Evo adds
 * `HTTP_PROTO_VERSION` after `Agent`, `SessionID` before `Solution`, `WorkerID1`, `WorkerID2` last).
 */
export function mapOrder(headers: Record<string, string>): [string, string][] {
  const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');
  return Object.entries(headers).sort(([a], [b]) => Buffer.compare(bytes(a), bytes(b)));
}
