/**
 * Everything the RPC client throws. One base class so a caller can catch "any node trouble", and
 * three kinds it must tell apart:
 * - {@link RpcError}: the node answered and said no (bad hex, insufficient funds, unknown method).
 *   Asking again gives the same answer.
 * - {@link RpcAuthError}: the node refused our credentials (HTTP 401/403). A config problem.
 * - {@link RpcTransportError}: no usable answer (refused, reset, timeout, garbage). For a send
 *   this means "unknown whether the node acted": reconcile with the wallet, never blindly resend.
 */
export abstract class RpcFailure extends Error {
  /** The call as the pool names it: `getblock`, `exec biblehash`, `batch`. */
  readonly method: string;

  protected constructor(message: string, method: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.method = method;
  }
}

/** Error codes of Bitcoin-family nodes (rpc/protocol.h) that the pool reacts to. */
export const RpcErrorCode = {
  MISC_ERROR: -1,
  TYPE_ERROR: -3,
  WALLET_ERROR: -4,
  INVALID_ADDRESS_OR_KEY: -5,
  WALLET_INSUFFICIENT_FUNDS: -6,
  INVALID_PARAMETER: -8,
  WALLET_UNLOCK_NEEDED: -13,
  DESERIALIZATION_ERROR: -22,
  IN_WARMUP: -28,
  METHOD_NOT_FOUND: -32601,
  PARSE_ERROR: -32700,
} as const;

/** The node answered `{"error": {"code", "message"}}`. */
export class RpcError extends RpcFailure {
  readonly code: number;
  /** The node's own message, without our prefix. */
  readonly rpcMessage: string;

  constructor(method: string, code: number, rpcMessage: string) {
    super(`${method}: node error ${code}: ${rpcMessage}`, method);
    this.code = code;
    this.rpcMessage = rpcMessage;
  }
}

/** HTTP 401/403: wrong rpcuser/rpcpassword, or our address not in the node's rpcallowip. */
export class RpcAuthError extends RpcFailure {
  readonly status: number;

  constructor(method: string, status: number, endpoint: string) {
    super(`${method}: node at ${endpoint} refused the credentials (HTTP ${status})`, method);
    this.status = status;
  }
}

export type RpcTransportErrorKind =
  /** Nothing listens at the port (ECONNREFUSED). */
  | 'refused'
  /** The connection broke mid-call (ECONNRESET, EPIPE, closed before the whole answer). */
  | 'reset'
  /** No complete answer within the call's timeout; the request was aborted. */
  | 'timeout'
  /** Host name or route does not resolve (ENOTFOUND, EHOSTUNREACH, ...). */
  | 'unreachable'
  /**
   * HTTP 500 "Work queue depth exceeded": the node's RPC queue was full and it ran nothing
   * (src/httpserver.cpp:297 @1.2.0.1, :294 @1.4.4.8). Worth retrying later; a send did not happen.
   */
  | 'busy'
  /** An HTTP status other than 200 without a JSON-RPC body. */
  | 'http_status'
  /** A body that is not the JSON-RPC answer we asked for (not JSON, wrong id, wrong shape). */
  | 'bad_response'
  | 'other';

export class RpcTransportError extends RpcFailure {
  readonly kind: RpcTransportErrorKind;

  constructor(
    method: string,
    kind: RpcTransportErrorKind,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${method}: ${kind}: ${detail}`, method, options);
    this.kind = kind;
  }

  /**
   * False only when the request certainly never ran on the node (connection refused, host not
   * found, work queue full): a failed send of that kind did not happen. True means "unknown": reconcile.
   */
  get mayHaveReachedNode(): boolean {
    return this.kind !== 'refused' && this.kind !== 'unreachable' && this.kind !== 'busy';
  }
}
