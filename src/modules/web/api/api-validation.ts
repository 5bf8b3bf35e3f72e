import {
  BadRequestException,
  CanActivate,
  ExecutionContext,
  Injectable,
  NotFoundException,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../../../config/app-config';

/**
 * The web API's ValidationPipe: parameter DTOs (params.dto.ts) are converted and checked, unknown
 * query parameters ignored, and a refusal is a 400 whose message is the first problem found
 * (`page must be an integer from 1 to 100000`), one plain string like every other API error.
 */
export function apiValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new BadRequestException(firstProblem(errors)),
  });
}

function firstProblem(errors: ValidationError[]): string {
  for (const error of errors) {
    const message = Object.values(error.constraints ?? {})[0] ?? firstProblem(error.children ?? []);
    if (message) return message;
  }
  return '';
}

/**
 * An unserved network is a resource that does not exist here: 404, before any parameter is
 * looked at (guards run before pipes).
 */
@Injectable()
export class ServedNetworkGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const params = context.switchToHttp().getRequest<FastifyRequest>().params as {
      network?: string;
    };
    const network = params.network;
    if (network !== undefined && !this.config.serves(network)) {
      throw new NotFoundException(
        `network ${JSON.stringify(network.slice(0, 16))} is not served here (served: ${this.config.networks.join(', ')})`,
      );
    }
    return true;
  }
}
