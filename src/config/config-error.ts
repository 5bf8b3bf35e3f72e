/** A bad or missing environment variable: the message names it (main.ts prints it, exits 2). */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    /** What is wrong, worded to follow the variable's name. */
    readonly problem: string,
  ) {
    super(`Invalid environment: ${variable} ${problem}`);
  }
}
