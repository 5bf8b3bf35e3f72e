import { LoggerService, LogLevel } from '@nestjs/common';
import pino, { Logger as Pino } from 'pino';
import { AppConfig } from '../config/app-config';

const PINO_LEVELS: Record<AppConfig['logLevel'], pino.LevelWithSilent> = {
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  silent: 'silent',
};

/** The process's pino instance: Nest's logs and Fastify's request logs share it (LOG_FORMAT=json). */
export function createPino(config: AppConfig): Pino {
  return pino({
    level: PINO_LEVELS[config.logLevel],
    base: { role: config.role, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** Nest LoggerService writing one JSON object per line through pino, with the Nest context. */
export class JsonLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }

  error(message: unknown, stackOrContext?: string, context?: string): void {
    const ctx = context ?? stackOrContext;
    const stack = context ? stackOrContext : undefined;
    this.pino.error({ context: ctx, stack }, text(message));
  }

  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }

  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }

  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }

  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  setLogLevels(_levels: LogLevel[]): void {
    // The level comes from LOG_LEVEL through pino.
  }

  private write(level: pino.Level, message: unknown, context?: string): void {
    this.pino[level]({ context }, text(message));
  }
}

function text(message: unknown): string {
  return typeof message === 'string'
    ? message
    : message instanceof Error
      ? message.message
      : JSON.stringify(message);
}
