import { UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ActionContext } from './miner-admin.service';

/** Who is acting, as the admin gate identified them (every console route is behind it). */
export function actionContext(request: FastifyRequest): ActionContext {
  const actor = request.admin?.actor;
  if (!actor) throw new UnauthorizedException('a valid admin token is required');
  return { actor, clientIp: request.ip ?? null };
}
