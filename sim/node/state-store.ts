import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { Network } from '../../src/biblepay/network';
import { BlockOrigin } from './chain';
import { WalletSnapshot } from './wallet';

export const STATE_FORMAT = 'purepool-sim-node/1';

/** What SIM_STATE holds: the chain as block hex, the orphans, the wallet's own transactions. */
export interface SimStateFile {
  format: typeof STATE_FORMAT;
  network: Network;
  poolAddress: string;
  networkTarget: string;
  blocks: { hex: string; origin: BlockOrigin }[];
  orphans: { hex: string; height: number; origin: BlockOrigin }[];
  wallet: WalletSnapshot;
}

export function loadState(path: string): SimStateFile | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<SimStateFile>;
  if (parsed.format !== STATE_FORMAT) throw new Error(`${path} is not a simulated node state file`);
  return parsed as SimStateFile;
}

/**
 * Writes the whole state to a temporary file beside `path`, flushes it to disk and renames it
 * over `path`: a crash leaves either the old state or the new one, never half a file.
 */
export function saveState(path: string, state: SimStateFile): void {
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, JSON.stringify(state));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}
