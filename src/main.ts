import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { AppConfig, ConfigError } from './config/app-config';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = new AppConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen(config.httpPort, config.httpHost);
  new Logger('Purepool').log(
    `${config.role} listening on http://${config.httpHost}:${config.httpPort} (networks: ${config.networks.join(', ')})`,
  );
}

main().catch((error: unknown) => {
  console.error(
    `purepool failed to start: ${error instanceof Error ? error.stack : String(error)}`,
  );
  process.exit(1);
});
