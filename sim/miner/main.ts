import { isValidAddress } from '../../src/biblepay/address';
import { isNetwork } from '../../src/biblepay/network';
import { isMisbehaviour, Misbehaviour, MISBEHAVIOURS } from './craft';
import { defaultSimMinerOptions, runSimMiner, SimMinerOptions } from './sim-miner';
import { isWalletVersion, WALLET_VERSIONS } from './wallet-profiles';

const USAGE = `usage: npm run sim:miner -- --pool URL [options]
  --pool URL              pool, http(s)://host:port (required)
  --network main|test     network of the wallets (default main)
  --miners N              distinct miner addresses (default 1)
  --workers N             wallets per miner, worker id ADDRESS/wN (default 1)
  --threads N             mining threads per wallet (default 1)
  --share-seconds S       at most one share per thread per S seconds (default 120)
  --duration S            stop after S seconds (default: until Ctrl-C or --max-shares)
  --max-shares N          stop after N solutions were sent
  --node URL              simulated node: tip for new blocks, submitblock for found ones
  --address ADDR          use this miner address (repeat for several; overrides --miners)
  --misbehave M[,M...]    cycled share by share: ${MISBEHAVIOURS.join(', ')}
  --block-bytes N         pad block hex to about N characters
  --wallet-version V      Agent header and <VER> (default 1.1.9.3)
  --timeout-ms N          the wallet's read timeout per answer (default 10000)
  --reader http|https     the wallet's answer reader: classic plain-HTTP line reader or the HTTPS
                          reader (default: the one the pool URL implies; https with --evo)
  --evo                   behave as Evo wallets: TLS (whatever the URL says), SNI, SessionID,
                          WorkerID1, WorkerID2, HTTP_PROTO_VERSION: 2, 45,000-byte read limit
  --wallet V              be this wallet release: ${WALLET_VERSIONS.join('|')} — its request bytes
                          (User-Agent, headers in std::map order, Host, Evo headers, 64-hex
                          SessionID), its reader, whether it sends shares (1.4.8.4 never) and its
                          cadence (work shared by the threads, getwork at most every 3 min per
                          thread, classic 2-min share gate, work dropped after 7 / 15 min);
                          overrides --wallet-version and --evo
  --fast                  with --wallet: today's quick cadence (--share-seconds) instead of the
                          release's; without --wallet the cadence is always the quick one
  --verbose               log found blocks
Prints a JSON summary as its last line.`;

function parseArgs(argv: string[]): Partial<SimMinerOptions> & { pool: string } {
  const options: Partial<SimMinerOptions> = {};
  const addresses: string[] = [];
  let pool = '';
  const number = (flag: string, value: string | undefined, integer = true): number => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
      throw new Error(`${flag} needs a ${integer ? 'whole ' : ''}number >= 0`);
    }
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const take = (): string => {
      if (value === undefined) throw new Error(`${flag} needs a value`);
      i++;
      return value;
    };
    switch (flag) {
      case '--pool':
        pool = take();
        break;
      case '--network': {
        const network = take();
        if (!isNetwork(network)) throw new Error('--network must be main or test');
        options.network = network;
        break;
      }
      case '--miners':
        options.miners = number(flag, take());
        break;
      case '--workers':
        options.workers = number(flag, take());
        break;
      case '--threads':
        options.threads = number(flag, take());
        break;
      case '--share-seconds':
        options.shareSeconds = number(flag, take(), false);
        break;
      case '--duration':
        options.durationSeconds = number(flag, take(), false);
        break;
      case '--max-shares':
        options.maxShares = number(flag, take());
        break;
      case '--node':
        options.node = take();
        break;
      case '--address':
        addresses.push(take());
        break;
      case '--misbehave': {
        const modes = take()
          .split(',')
          .map((m) => m.trim());
        const bad = modes.filter((m) => !isMisbehaviour(m));
        if (bad.length > 0) throw new Error(`unknown --misbehave ${bad.join(', ')}`);
        options.misbehave = modes as Misbehaviour[];
        break;
      }
      case '--block-bytes':
        options.blockBytes = number(flag, take());
        break;
      case '--wallet-version':
        options.walletVersion = take();
        break;
      case '--timeout-ms':
        options.timeoutMs = number(flag, take());
        break;
      case '--reader': {
        const reader = take();
        if (reader !== 'http' && reader !== 'https')
          throw new Error('--reader must be http or https');
        options.reader = reader;
        break;
      }
      case '--evo':
        options.evo = true;
        break;
      case '--wallet': {
        const wallet = take();
        if (!isWalletVersion(wallet)) {
          throw new Error(`--wallet must be one of ${WALLET_VERSIONS.join(', ')}`);
        }
        options.wallet = wallet;
        break;
      }
      case '--fast':
        options.fast = true;
        break;
      case '--verbose':
        options.log = (line) => process.stderr.write(`${line}\n`);
        break;
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  if (!pool) throw new Error('--pool is required');
  if (addresses.length > 0) {
    const network = options.network ?? defaultSimMinerOptions().network;
    const bad = addresses.filter((a) => !isValidAddress(network, a));
    if (bad.length > 0) throw new Error(`not ${network} addresses: ${bad.join(', ')}`);
    options.addresses = addresses;
  }
  return { ...options, pool };
}

async function main(): Promise<void> {
  let options: Partial<SimMinerOptions> & { pool: string };
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  }
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  const summary = await runSimMiner({ ...options, signal: stop.signal });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `sim miner failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
