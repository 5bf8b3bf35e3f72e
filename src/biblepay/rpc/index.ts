export * from './biblepay-rpc.client';
export * from './rpc.calls';
export * from './rpc.errors';
export * from './rpc.types';
export { CoinsParam } from './rpc-json';
export type { DecodedJson, RpcParam } from './rpc-json';
export * from './rpc-url';
