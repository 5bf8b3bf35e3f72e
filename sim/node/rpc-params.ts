import { RpcCode, RpcError } from './rpc-error';

/**
 * Typed reads of positional JSON-RPC params with the node's own complaints: a value of the wrong
 * JSON type fails like UniValue's `get_str()` / `get_int()` (code -1), a missing required one
 * fails with the method's usage text (code -1, as bitcoind answers `help` text on bad arity).
 */
export class Params {
  constructor(
    readonly values: unknown[],
    private readonly usage: string,
  ) {}

  get length(): number {
    return this.values.length;
  }

  has(index: number): boolean {
    return index < this.values.length && this.values[index] !== null;
  }

  arity(min: number, max: number): void {
    if (this.values.length < min || this.values.length > max) {
      throw new RpcError(RpcCode.MISC_ERROR, this.usage);
    }
  }

  str(index: number): string {
    const value = this.required(index);
    if (typeof value !== 'string') {
      throw new RpcError(RpcCode.MISC_ERROR, 'JSON value is not a string as expected');
    }
    return value;
  }

  optStr(index: number, fallback: string): string {
    return this.has(index) ? this.str(index) : fallback;
  }

  int(index: number): number {
    const value = this.required(index);
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new RpcError(RpcCode.MISC_ERROR, 'JSON value is not an integer as expected');
    }
    return value;
  }

  optInt(index: number, fallback: number): number {
    return this.has(index) ? this.int(index) : fallback;
  }

  bool(index: number): boolean {
    const value = this.required(index);
    if (typeof value !== 'boolean') {
      throw new RpcError(RpcCode.MISC_ERROR, 'JSON value is not a boolean as expected');
    }
    return value;
  }

  optBool(index: number, fallback: boolean): boolean {
    return this.has(index) ? this.bool(index) : fallback;
  }

  /** A number for admin knobs that take fractions (seconds, rates). */
  num(index: number): number {
    const value = this.required(index);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RpcError(RpcCode.MISC_ERROR, 'JSON value is not a number as expected');
    }
    return value;
  }

  optNum(index: number, fallback: number): number {
    return this.has(index) ? this.num(index) : fallback;
  }

  obj(index: number): Record<string, unknown> {
    const value = this.required(index);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new RpcError(RpcCode.MISC_ERROR, 'JSON value is not an object as expected');
    }
    return value as Record<string, unknown>;
  }

  arr(index: number): unknown[] {
    const value = this.required(index);
    if (!Array.isArray(value)) {
      throw new RpcError(RpcCode.MISC_ERROR, 'JSON value is not an array as expected');
    }
    return value as unknown[];
  }

  private required(index: number): unknown {
    if (index >= this.values.length) throw new RpcError(RpcCode.MISC_ERROR, this.usage);
    return this.values[index];
  }
}
