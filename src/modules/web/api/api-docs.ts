import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { WebModule } from '../web.module';

export const API_DOCS_PATH = 'api/docs';

/**
 * OpenAPI document of the web API at /api/docs-json (and -yaml), Swagger UI at /api/docs, its
 * assets served from the installed swagger-ui-dist package. Only the web module's API is listed:
 * the wallet protocol and /health are not a REST API.
 */
export function setupApiDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Purepool API')
    .setDescription(
      'Read-only JSON API of a Purepool BiblePay mining pool. Amounts are coins as exact ' +
        'decimal strings in /api/v1 (JSON numbers only in the original pool’s compatibility ' +
        'endpoints). Answers are cached for about a minute. Errors are ' +
        '`{statusCode, error, message}`: 400 for a malformed parameter, 404 for an unknown ' +
        'network or miner.',
    )
    .setVersion('1')
    .build();
  SwaggerModule.setup(
    API_DOCS_PATH,
    app,
    () => SwaggerModule.createDocument(app, config, { include: [WebModule] }),
    { customSiteTitle: 'Purepool API' },
  );
}
