import { CONFIGURATION_COMMAND, configurationDoc } from './configuration';
import { alertsDoc, METRICS_COMMAND, metricsDoc } from './metrics';

/** The generated reference files, what writes each, and the command that does it. */
export const GENERATED_DOCS: {
  file: string;
  kind: 'config' | 'metrics';
  command: string;
  render: (root: string) => string;
}[] = [
  {
    file: 'docs/CONFIGURATION.md',
    kind: 'config',
    command: CONFIGURATION_COMMAND,
    render: configurationDoc,
  },
  {
    file: 'docs/METRICS.md',
    kind: 'metrics',
    command: METRICS_COMMAND,
    render: () => metricsDoc(),
  },
  { file: 'docs/ALERTS.md', kind: 'metrics', command: METRICS_COMMAND, render: alertsDoc },
];
