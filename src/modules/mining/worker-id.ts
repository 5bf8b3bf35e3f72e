import { isValidAddress } from '../../biblepay/address';
import { Network } from '../../biblepay/network';
import { ProtocolError } from '../../biblepay/pool-protocol';

/** `ADDRESS[/WORKER[/EMAIL]]` as configured in the wallet's `workerid=`. */
export interface WorkerId {
  address: string;
  worker: string;
  email: string | null;
}

export const DEFAULT_WORKER_NAME = 'Default';
const WORKER_NAME = /^[A-Za-z0-9 _.@+-]{1,64}$/;
const EMAIL = /^[^\s@/<>]{1,200}@[^\s@/<>]{1,54}$/;

export type WorkerIdResult = { ok: true; workerId: WorkerId } | { ok: false; error: string };

export function parseWorkerId(raw: string | undefined, network: Network): WorkerIdResult {
  const text = (raw ?? '').trim();
  if (text === '') return { ok: false, error: ProtocolError.workerIdMissing };
  const invalid = { ok: false as const, error: ProtocolError.workerIdInvalid(text.slice(0, 200)) };
  const parts = text.split('/');
  if (parts.length > 3) return invalid;
  const [address, workerPart = '', emailPart = ''] = parts.map((p) => p.trim());
  if (!isValidAddress(network, address)) return invalid;
  const worker = workerPart === '' ? DEFAULT_WORKER_NAME : workerPart;
  if (!WORKER_NAME.test(worker)) return invalid;
  if (emailPart !== '' && !EMAIL.test(emailPart)) return invalid;
  return { ok: true, workerId: { address, worker, email: emailPart === '' ? null : emailPart } };
}
