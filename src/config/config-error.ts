/** A bad or missing environment variable: the message names it (main.ts prints it, exits 2). */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid environment: ${variable} ${problem}`);
  }
}
