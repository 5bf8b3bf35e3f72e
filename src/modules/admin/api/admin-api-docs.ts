import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AdminModule } from '../admin.module';

export const ADMIN_API_DOCS_PATH = 'admin/api/docs';

/** The console API's own OpenAPI document (behind the admin gate like everything under /admin). */
export function setupAdminApiDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Purepool operator console API')
    .setDescription(
      'The operator console’s JSON API, served by the backend role under /admin/api when ' +
        'ADMIN_TOKEN is set. Every request needs `Authorization: Bearer <token>`; without a valid ' +
        'one the answer is 401 `{statusCode, error, message}`. Changes take effect at once and ' +
        'are written to the audit trail (GET /admin/api/actions) with the token’s label. Amounts ' +
        'are coins as exact decimal strings.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup(
    ADMIN_API_DOCS_PATH,
    app,
    () => SwaggerModule.createDocument(app, config, { include: [AdminModule] }),
    { customSiteTitle: 'Purepool console API' },
  );
}
