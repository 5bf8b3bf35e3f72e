import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { BaseUnits } from '../amount';
import {
  DecodedJson,
  JsonNumberText,
  LosslessJson,
  decodeJson,
  parseLosslessJson,
  stringifyRpcJson,
} from './rpc-json';
import { RpcCall, RpcCallResult, rpcCalls } from './rpc.calls';
import {
  RpcAuthError,
  RpcError,
  RpcErrorCode,
  RpcFailure,
  RpcTransportError,
  RpcTransportErrorKind,
} from './rpc.errors';
import {
  BatchOutcome,
  BibleHashInput,
  BlockInfo,
  CoinbaseInfo,
  CoinbaseQuery,
  ListedTransaction,
  NetworkInfo,
  PinfoResult,
  SendManyOptions,
  SubmitBlockResult,
  SubsidyResult,
  ValidateAddressResult,
  WalletInfo,
  WalletTransaction,
} from './rpc.types';
import { NodeRpcEndpoint, parseNodeRpcUrl } from './rpc-url';
import { backoffMs } from '../../server/backoff';

export type RpcCallOutcome = 'ok' | 'rpc_error' | 'transport_error';

export interface BiblepayRpcClientOptions {
  /** `http://rpcuser:rpcpassword@host:port` (https too), e.g. `NODE_RPC_URL_MAIN`. */
  url: string;
  /** Per attempt: the request is aborted when no complete answer came within this. Default 10000. */
  timeoutMs?: number;
  /**
   * Per send (`sendmany`, `sendtoaddress`): a busy wallet (a rescan, long `listtransactions`
   * paging) may take longer to answer a send than a read, and a send the client gave up on may
   * still commit. Default: timeoutMs.
   */
  sendTimeoutMs?: number;
  /** Extra attempts for read-only calls after a transport failure. Default 3. Sends: never. */
  readRetries?: number;
  /** First retry waits about this long, doubling each time (with jitter). Default 200. */
  retryBaseDelayMs?: number;
  /**
   * Connections kept to the node. Default 8: a node serves RPC with a few threads and a short
   * work queue (rpcthreads=4, rpcworkqueue=16) and answers HTTP 503 beyond it.
   */
  maxSockets?: number;
  /** Called once per HTTP exchange (each retry attempt and each batch count once). */
  onCall?: (method: string, durationMs: number, outcome: RpcCallOutcome) => void;
}

export interface CallOptions {
  /** Overrides the client's timeout for this call or batch (e.g. a large batch). */
  timeoutMs?: number;
}

export type BatchResults<C extends readonly RpcCall<unknown>[]> = {
  -readonly [K in keyof C]: BatchOutcome<RpcCallResult<C[K]>>;
};

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_READ_RETRIES = 3;
const DEFAULT_RETRY_BASE_DELAY_MS = 200;
const DEFAULT_MAX_SOCKETS = 8;
const MAX_RETRY_DELAY_MS = 10_000;
/**
 * Idle keep-alive sockets are closed after this, before the node's own idle timeout
 * (rpcservertimeout, 30 s by default) can close one under a request we are about to send.
 */
const IDLE_SOCKET_TIMEOUT_MS = 15_000;
/** The body of a busy node's HTTP 500 (libevent work queue full). */
const WORK_QUEUE_FULL = 'Work queue depth exceeded';
/** A node answer this large is not one of ours; stop reading instead of filling memory. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

interface HttpAnswer {
  status: number;
  text: string;
}

/**
 * JSON-RPC 1.0 client for a BiblePay node (docs/PROTOCOL.md §2), for real and simulated nodes alike.
 *
 * - Keep-alive connections for reads; each money-moving call (sendtoaddress, sendmany,
 *   submitblock) goes on a fresh connection, so it can never be written into a kept-alive socket
 *   the node has just closed.
 * - Read-only calls are retried with exponential backoff after a transport failure other than
 *   a malformed answer (and while the node is warming up, -28). Nothing else is ever retried: a failed send surfaces at once as
 *   {@link RpcTransportError} and the caller reconciles against the wallet.
 * - Amounts in and out are exact base units; answers are parsed without passing amounts through
 *   a double.
 */
export class BiblepayRpcClient {
  /** The node URL without credentials, for logs. */
  readonly endpoint: string;

  private readonly target: NodeRpcEndpoint;
  private readonly transport: typeof http | typeof https;
  private readonly agent: http.Agent;
  private readonly authorization: string;
  private readonly timeoutMs: number;
  private readonly sendTimeoutMs: number;
  private readonly readRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly onCall?: BiblepayRpcClientOptions['onCall'];
  private nextId = 1;

  constructor(options: BiblepayRpcClientOptions) {
    this.target = parseNodeRpcUrl(options.url);
    this.endpoint = this.target.redacted;
    this.timeoutMs = positive(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'timeoutMs');
    this.sendTimeoutMs = positive(options.sendTimeoutMs ?? this.timeoutMs, 'sendTimeoutMs');
    this.readRetries = nonNegativeInteger(
      options.readRetries ?? DEFAULT_READ_RETRIES,
      'readRetries',
    );
    this.retryBaseDelayMs = nonNegativeInteger(
      options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS,
      'retryBaseDelayMs',
    );
    this.onCall = options.onCall;
    const agentOptions = {
      keepAlive: true,
      maxSockets: positive(options.maxSockets ?? DEFAULT_MAX_SOCKETS, 'maxSockets'),
      timeout: IDLE_SOCKET_TIMEOUT_MS,
    };
    const secure = this.target.protocol === 'https:';
    this.transport = secure ? https : http;
    this.agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    this.authorization =
      'Basic ' +
      Buffer.from(`${this.target.username}:${this.target.password}`, 'utf8').toString('base64');
  }

  /** Closes kept-alive connections. Calls after this still work, on new connections. */
  close(): void {
    this.agent.destroy();
  }

  // ---- typed calls (docs/PROTOCOL.md §2) ----
  // async: a bad argument (e.g. a zero amount) rejects the promise instead of throwing.

  /** `exec biblehash`: the node's bible hash for a solution's five inputs (64 hex). */
  async bibleHash(
    blockHash: string,
    blockTime: number | string,
    prevBlockTime: number | string,
    prevHeight: number | string,
    nonce: number | string,
  ): Promise<string> {
    return this.call(
      rpcCalls.bibleHash({ blockHash, blockTime, prevBlockTime, prevHeight, nonce }),
    );
  }

  /** Many `exec biblehash` in one POST; outcomes in input order. */
  async bibleHashMany(
    inputs: readonly BibleHashInput[],
    options?: CallOptions,
  ): Promise<BatchOutcome<string>[]> {
    return this.batch(
      inputs.map((input) => rpcCalls.bibleHash(input)),
      options,
    );
  }

  /** `exec hexblocktocoinbase`: RpcError -22 when the hex does not decode. */
  async hexBlockToCoinbase(blockHex: string): Promise<CoinbaseInfo> {
    return this.call(rpcCalls.hexBlockToCoinbase({ blockHex }));
  }

  /** Many `exec hexblocktocoinbase` in one POST; outcomes in input order. */
  async hexBlockToCoinbaseMany(
    queries: readonly CoinbaseQuery[],
    options?: CallOptions,
  ): Promise<BatchOutcome<CoinbaseInfo>[]> {
    return this.batch(
      queries.map((query) => rpcCalls.hexBlockToCoinbase(query)),
      options,
    );
  }

  async pinfo(): Promise<PinfoResult> {
    return this.call(rpcCalls.pinfo());
  }

  /** `exec subsidy`: `{ found: false }` above the tip. */
  async subsidy(height: number): Promise<SubsidyResult> {
    return this.call(rpcCalls.subsidy(height));
  }

  async getBlockCount(): Promise<number> {
    return this.call(rpcCalls.getBlockCount());
  }

  async getBlockHash(height: number): Promise<string> {
    return this.call(rpcCalls.getBlockHash(height));
  }

  async getBlock(hash: string): Promise<BlockInfo> {
    return this.call(rpcCalls.getBlock(hash));
  }

  async getNetworkInfo(): Promise<NetworkInfo> {
    return this.call(rpcCalls.getNetworkInfo());
  }

  /** What `sendmany "<account>"` may spend with `minconf` confirmations. */
  async getBalance(account: string, minconf: number): Promise<BaseUnits> {
    return this.call(rpcCalls.getBalance(account, minconf));
  }

  async getWalletInfo(): Promise<WalletInfo> {
    return this.call(rpcCalls.getWalletInfo());
  }

  /** Sends once; a transport failure means "unknown whether sent": reconcile, do not resend. */
  async sendToAddress(
    address: string,
    amount: BaseUnits,
    comment?: string,
    commentTo?: string,
    subtractFee?: boolean,
  ): Promise<string> {
    return this.call(rpcCalls.sendToAddress(address, amount, comment, commentTo, subtractFee), {
      timeoutMs: this.sendTimeoutMs,
    });
  }

  /** Sends once; a transport failure means "unknown whether sent": reconcile, do not resend. */
  async sendMany(
    amounts: ReadonlyMap<string, BaseUnits> | Readonly<Record<string, BaseUnits>>,
    options?: SendManyOptions,
  ): Promise<string> {
    return this.call(rpcCalls.sendMany(amounts, options), { timeoutMs: this.sendTimeoutMs });
  }

  async getTransaction(txid: string): Promise<WalletTransaction> {
    return this.call(rpcCalls.getTransaction(txid));
  }

  async listTransactions(count?: number, skip?: number): Promise<ListedTransaction[]> {
    return this.call(rpcCalls.listTransactions(count, skip));
  }

  async validateAddress(address: string): Promise<ValidateAddressResult> {
    return this.call(rpcCalls.validateAddress(address));
  }

  async submitBlock(blockHex: string): Promise<SubmitBlockResult> {
    return this.call(rpcCalls.submitBlock(blockHex));
  }

  // ---- generic ----

  /** One call; read-only calls are retried on transport failures, others never. */
  call<T>(rpcCall: RpcCall<T>, options: CallOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return this.withRetries(rpcCall.readOnly, () => this.attemptCall(rpcCall, timeoutMs));
  }

  /**
   * Several calls in one POST (a JSON array); each call's result or error in request order,
   * matched by id. Throws only when the whole exchange fails (transport, auth). Retried as a
   * whole only when every call in it is read-only.
   */
  async batch<const C extends readonly RpcCall<unknown>[]>(
    calls: C,
    options: CallOptions = {},
  ): Promise<BatchResults<C>> {
    if (calls.length === 0) return [] as unknown as BatchResults<C>;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const readOnly = calls.every((c) => c.readOnly);
    const outcomes = await this.withRetries(readOnly, () => this.attemptBatch(calls, timeoutMs));
    return outcomes as BatchResults<C>;
  }

  // ---- internals ----

  private async withRetries<T>(readOnly: boolean, attempt: () => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry++) {
      try {
        return await attempt();
      } catch (error) {
        if (!readOnly || retry >= this.readRetries || !isTransient(error)) throw error;
      }
      await sleep(this.backoffMs(retry));
    }
  }

  /** Exponential, with "equal jitter" so that many callers do not retry in step. */
  private backoffMs(retry: number): number {
    return backoffMs(retry, this.retryBaseDelayMs, MAX_RETRY_DELAY_MS, { jitter: 'equal' });
  }

  private async attemptCall<T>(rpcCall: RpcCall<T>, timeoutMs: number): Promise<T> {
    const id = this.nextId++;
    const body = stringifyRpcJson({
      jsonrpc: '1.0',
      id,
      method: rpcCall.method,
      params: rpcCall.params,
    });
    return this.measure(rpcCall.label, async () => {
      const answer = await this.post(rpcCall.label, body, timeoutMs, !rpcCall.readOnly);
      const envelope = readEnvelope(rpcCall.label, answer);
      if (Array.isArray(envelope)) {
        throw new RpcTransportError(rpcCall.label, 'bad_response', 'array answer to a single call');
      }
      return settle(rpcCall, id, envelope, true);
    });
  }

  private async attemptBatch(
    calls: readonly RpcCall<unknown>[],
    timeoutMs: number,
  ): Promise<BatchOutcome<unknown>[]> {
    const firstId = this.nextId;
    this.nextId += calls.length;
    const body = stringifyRpcJson(
      calls.map((c, i) => ({
        jsonrpc: '1.0',
        id: firstId + i,
        method: c.method,
        params: c.params,
      })),
    );
    const fresh = calls.some((c) => !c.readOnly);
    let failures = 0;
    const outcomes = await this.measure(
      'batch',
      async () => {
        const answer = await this.post('batch', body, timeoutMs, fresh);
        const envelope = readEnvelope('batch', answer);
        if (!Array.isArray(envelope)) {
          // A node that cannot read the batch at all answers one error object.
          const error = envelopeError('batch', envelope);
          throw error ?? new RpcTransportError('batch', 'bad_response', 'expected an array answer');
        }
        const byId = new Map<string, LosslessJson>();
        for (const item of envelope) {
          const id = isObject(item) ? item.id : undefined;
          if (id instanceof JsonNumberText) byId.set(id.text, item);
        }
        return calls.map((c, i): BatchOutcome<unknown> => {
          const item = byId.get(String(firstId + i));
          try {
            if (item === undefined || !isObject(item)) {
              throw new RpcTransportError(c.label, 'bad_response', 'no answer in the batch');
            }
            return { ok: true, value: settle(c, firstId + i, item, false) };
          } catch (error) {
            if (!(error instanceof RpcError || error instanceof RpcTransportError)) throw error;
            failures++;
            return { ok: false, error };
          }
        });
      },
      () => (failures > 0 ? 'rpc_error' : 'ok'),
    );
    return outcomes;
  }

  /** Runs one HTTP exchange and reports it to `onCall`. */
  private async measure<T>(
    label: string,
    run: () => Promise<T>,
    outcomeOnSuccess: () => RpcCallOutcome = () => 'ok',
  ): Promise<T> {
    const started = performance.now();
    let outcome: RpcCallOutcome = 'transport_error';
    try {
      const value = await run();
      outcome = outcomeOnSuccess();
      return value;
    } catch (error) {
      if (error instanceof RpcError) outcome = 'rpc_error';
      throw error;
    } finally {
      if (this.onCall) {
        try {
          this.onCall(label, performance.now() - started, outcome);
        } catch {
          // A metrics hook must not turn a node answer into a failure.
        }
      }
    }
  }

  /**
   * One POST. `fresh`: use a new connection closed after the answer (for calls that move money,
   * see the class comment).
   */
  private post(
    label: string,
    body: string,
    timeoutMs: number,
    fresh: boolean,
  ): Promise<HttpAnswer> {
    return new Promise<HttpAnswer>((resolve, reject) => {
      let settled = false;
      const finish = (error: RpcFailure | null, answer?: HttpAnswer): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          req.destroy();
          reject(error);
        } else {
          resolve(answer as HttpAnswer);
        }
      };

      const req = this.transport.request({
        protocol: this.target.protocol,
        hostname: this.target.hostname,
        port: this.target.port,
        path: this.target.path,
        method: 'POST',
        agent: fresh ? false : this.agent,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          Authorization: this.authorization,
        },
      });
      const timer = setTimeout(() => {
        finish(
          new RpcTransportError(
            label,
            'timeout',
            `no answer from ${this.endpoint} within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);

      req.on('error', (error) => finish(socketError(label, this.endpoint, error)));
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status === 401 || status === 403) {
          res.resume();
          finish(new RpcAuthError(label, status, this.endpoint));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            finish(
              new RpcTransportError(
                label,
                'bad_response',
                `answer larger than ${MAX_RESPONSE_BYTES} bytes`,
              ),
            );
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          finish(null, { status, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (error) => finish(socketError(label, this.endpoint, error)));
        res.on('close', () => {
          if (!res.complete) {
            finish(
              new RpcTransportError(
                label,
                'reset',
                `${this.endpoint} closed the connection mid-answer`,
              ),
            );
          }
        });
      });
      req.end(body);
    });
  }
}

/** Parses the HTTP body; a non-JSON body is `http_status` when the status already said why. */
function readEnvelope(label: string, answer: HttpAnswer): LosslessJson {
  let envelope: LosslessJson;
  try {
    envelope = parseLosslessJson(answer.text);
  } catch {
    // A full RPC work queue: the node answers 500 with this plain text before running anything
    // (src/httpserver.cpp:297 @1.2.0.1, :294 @1.4.4.8) — the call was never executed.
    if (answer.status === 500 && answer.text.trim() === WORK_QUEUE_FULL) {
      throw new RpcTransportError(label, 'busy', `HTTP 500: ${WORK_QUEUE_FULL}`);
    }
    const snippet = JSON.stringify(answer.text.slice(0, 120));
    if (answer.status !== 200) {
      throw new RpcTransportError(label, 'http_status', `HTTP ${answer.status}: ${snippet}`);
    }
    throw new RpcTransportError(label, 'bad_response', `answer is not JSON: ${snippet}`);
  }
  // Bitcoin-family nodes answer errors with HTTP 500/404 and a JSON-RPC body: that body wins.
  if (answer.status !== 200 && !(isObject(envelope) && envelopeError(label, envelope))) {
    throw new RpcTransportError(label, 'http_status', `HTTP ${answer.status}`);
  }
  return envelope;
}

/** The call's value from its `{result, error, id}` object, or the node's error thrown. */
function settle<T>(rpcCall: RpcCall<T>, id: number, envelope: LosslessJson, checkId: boolean): T {
  const label = rpcCall.label;
  if (!isObject(envelope)) throw new RpcTransportError(label, 'bad_response', 'expected an object');
  const error = envelopeError(label, envelope);
  if (error) throw error;
  if (checkId && !(envelope.id instanceof JsonNumberText && envelope.id.text === String(id))) {
    throw new RpcTransportError(label, 'bad_response', 'answer id does not match the request');
  }
  if (!('result' in envelope)) throw new RpcTransportError(label, 'bad_response', 'no result');
  let decoded: DecodedJson;
  try {
    decoded = decodeJson(envelope.result, rpcCall.amountKeys, rpcCall.resultIsAmount === true);
  } catch (cause) {
    // coinsToBase refused an amount (more than 8 decimals): not something a node sends.
    throw new RpcTransportError(label, 'bad_response', String(cause), { cause });
  }
  return rpcCall.decode(decoded);
}

/** The node's error in a JSON-RPC envelope, or null when `error` is absent or null. */
function envelopeError(label: string, envelope: LosslessJson): RpcError | null {
  if (!isObject(envelope)) return null;
  const error = envelope.error;
  if (error === undefined || error === null) return null;
  if (typeof error === 'string') return new RpcError(label, RpcErrorCode.MISC_ERROR, error);
  if (isObject(error)) {
    const code =
      error.code instanceof JsonNumberText ? Number(error.code.text) : RpcErrorCode.MISC_ERROR;
    const message = typeof error.message === 'string' ? error.message : 'error without a message';
    return new RpcError(label, code, message);
  }
  return new RpcError(label, RpcErrorCode.MISC_ERROR, 'malformed error member');
}

function isObject(value: LosslessJson | undefined): value is { [key: string]: LosslessJson } {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof JsonNumberText)
  );
}

const SOCKET_ERROR_KINDS: Record<string, RpcTransportErrorKind> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  ETIMEDOUT: 'timeout',
  ENOTFOUND: 'unreachable',
  EAI_AGAIN: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
};

function socketError(label: string, endpoint: string, error: Error): RpcTransportError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const kind = SOCKET_ERROR_KINDS[code] ?? 'other';
  return new RpcTransportError(label, kind, `${endpoint}: ${error.message}`, { cause: error });
}

/**
 * Worth asking a read again: the node may answer next time. A `bad_response` is not: a node that
 * answered with the wrong shape answers the same way again.
 */
function isTransient(error: unknown): boolean {
  if (error instanceof RpcTransportError) return error.kind !== 'bad_response';
  // -28: the node is still loading its block index; it answers once warm.
  return error instanceof RpcError && error.code === RpcErrorCode.IN_WARMUP;
}

function positive(value: number, name: string): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be > 0`);
  return value;
}

function nonNegativeInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole number >= 0`);
  }
  return value;
}
