import { ValueTransformer } from 'typeorm';

/** mysql2 hands BIGINT and DECIMAL back as strings; money and weights are bigint in code. */
export const bigintTransformer: ValueTransformer = {
  to: (value: bigint | null | undefined) => (value === null || value === undefined ? value : value.toString()),
  from: (value: string | number | null) => (value === null ? null : BigInt(value)),
};

/** Auto-increment ids fit a JS number for the life of any pool; keep them as numbers. */
export const idTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
