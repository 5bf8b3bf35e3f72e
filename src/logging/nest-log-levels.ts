import type { LogLevel } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';

/** Nest's log levels for LOG_LEVEL. */
export const NEST_LOG_LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  debug: ['debug', 'log', 'warn', 'error', 'fatal'],
  info: ['log', 'warn', 'error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
  error: ['error', 'fatal'],
  silent: [],
};
