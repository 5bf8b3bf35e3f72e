/** Error codes of bitcoin-family nodes (rpc/protocol.h), the ones the simulated node answers. */
export const RpcCode = {
  MISC_ERROR: -1,
  TYPE_ERROR: -3,
  INVALID_ADDRESS_OR_KEY: -5,
  OUT_OF_MEMORY: -7,
  INVALID_PARAMETER: -8,
  DESERIALIZATION_ERROR: -22,
  IN_WARMUP: -28,
  WALLET_ERROR: -4,
  WALLET_INSUFFICIENT_FUNDS: -6,
  WALLET_INVALID_ACCOUNT_NAME: -11,
  WALLET_UNLOCK_NEEDED: -13,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  PARSE_ERROR: -32700,
} as const;

/** A JSON-RPC error as the node answers it: `{"result":null,"error":{code,message},"id":...}`. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * HTTP status of a non-batch error reply, as bitcoind's JSONErrorReply: 400 for an invalid
 * request, 404 for an unknown method, 500 for everything else. A client must read the JSON body
 * of a 500. Batch replies are always 200.
 */
export function httpStatusOf(code: number): number {
  if (code === RpcCode.INVALID_REQUEST) return 400;
  if (code === RpcCode.METHOD_NOT_FOUND) return 404;
  return 500;
}
