import { ValueTransformer } from 'typeorm';

/** mysql2 hands BIGINT back as a number when it is a safe integer and as a string beyond; both convert exactly. Money and weights are bigint in code. */
export const bigintTransformer: ValueTransformer = {
  to: (value: bigint | null | undefined) =>
    value === null || value === undefined ? value : value.toString(),
  from: (value: string | number | null) => (value === null ? null : BigInt(value)),
};

/** Auto-increment ids fit a JS number for the life of any pool; keep them as numbers. */
export const idTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
