// `npm run cluster:down`: stops what `npm run cluster:up` started and removes its state.
import 'reflect-metadata';
import { clusterDown, defaultClusterOptions } from './cluster/local-cluster';

clusterDown(defaultClusterOptions().stateDir, (line) => console.log(`cluster: ${line}`)).catch(
  (error: unknown) => {
    console.error(`cluster:down failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
