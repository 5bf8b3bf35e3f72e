import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { webAssets } from './assets';

/** `/assets/NAME?v=HASH`: the URL changes with the content, so browsers may keep it for a year. */
@ApiExcludeController()
@Controller('assets')
export class AssetsController {
  @Get(':name')
  asset(@Param('name') name: string, @Res() reply: FastifyReply): void {
    const asset = webAssets().get(name);
    if (!asset) throw new NotFoundException(`no asset ${name.slice(0, 64)}`);
    void reply
      .header('Content-Type', asset.contentType)
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .header('ETag', `"${asset.version}"`)
      .header('X-Content-Type-Options', 'nosniff')
      .send(asset.body);
  }
}
