import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import {
  ALERT_TESTS_FILE,
  ALERTS_FILE,
  alertRules,
  alertRuleTests,
  dashboard,
  dashboardExpressions,
  ROOT,
  runbookAnchors,
  withoutGrafanaVariables,
} from './monitoring-artifacts';

/**
 * config/prometheus/alerts.yml checked and unit-tested by Prometheus's own promtool (Debian's
 * `prometheus` package, installed by scripts/ensure-promtool.sh when missing), and the shape every
 * alert and the dashboard must have for an operator to use them without writing a query.
 */
function promtoolReady(): boolean {
  try {
    execFileSync('bash', [path.join(ROOT, 'scripts/ensure-promtool.sh')], { stdio: 'inherit' });
    return true;
  } catch (error) {
    if (spawnSync('apt-get', ['--version']).status === 0) throw error;
    console.warn(
      'SKIPPING the promtool tests: promtool is missing and apt-get is not available to install it',
    );
    return false;
  }
}

function promtool(...args: string[]): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { cwd: ROOT, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const withPromtool = promtoolReady() ? describe : describe.skip;

withPromtool('alert rules (promtool)', () => {
  it('promtool check rules accepts config/prometheus/alerts.yml', () => {
    const { status, output } = promtool('check', 'rules', ALERTS_FILE);
    expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('promtool test rules passes: each alert fires in one case and stays quiet in another', () => {
    const { status, output } = promtool('test', 'rules', ALERT_TESTS_FILE);
    expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('every dashboard query is valid PromQL', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'purepool-dashboard-'));
    try {
      const rules = dashboardExpressions(dashboard()).map(({ expr }, i) => ({
        record: `purepool:dashboard_query_${i}`,
        expr: withoutGrafanaVariables(expr),
      }));
      const file = path.join(dir, 'dashboard-queries.yml');
      writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));
      const { status, output } = promtool('check', 'rules', file);
      expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('alert rules and dashboard: what an operator needs from each', () => {
  const rules = alertRules();

  it('covers every alert the pool promises', () => {
    expect(rules.map((r) => r.alert).sort()).toEqual(
      [
        'PurepoolAuditNotOk',
        'PurepoolDeadLetterQueueNotEmpty',
        'PurepoolFundingShortfall',
        'PurepoolHealthIndicatorDown',
        'PurepoolLedgerSampleStale',
        'PurepoolNoAcceptedShares',
        'PurepoolNodeTipStuck',
        'PurepoolNodeUnreachable',
        'PurepoolPaymentConflicted',
        'PurepoolPaymentErrors',
        'PurepoolPaymentUnproven',
        'PurepoolProtocolErrorRatioHigh',
        'PurepoolRoleDown',
        'PurepoolSolutionQueueGrowing',
        'PurepoolSolutionQueueNoConsumer',
        'PurepoolUnclaimedWalletSend',
      ].sort(),
    );
  });

  it('gives every alert a severity, a summary and a runbook link to its own RUNBOOK section', () => {
    const anchors = runbookAnchors();
    for (const rule of rules) {
      expect({ alert: rule.alert, severity: rule.labels?.severity }).toEqual({
        alert: rule.alert,
        severity: expect.stringMatching(/^(critical|warning)$/),
      });
      expect(rule.annotations?.summary).toBeTruthy();
      const link = rule.annotations?.runbook_url ?? '';
      expect(link).toBe(`docs/RUNBOOK.md#${rule.alert.toLowerCase()}`);
      expect({ alert: rule.alert, inRunbook: anchors.has(link.split('#')[1]) }).toEqual({
        alert: rule.alert,
        inRunbook: true,
      });
    }
  });

  it('tests every alert once firing and once quiet', () => {
    const cases = alertRuleTests().flatMap((t) => t.alert_rule_test);
    for (const rule of rules) {
      const mine = cases.filter((c) => c.alertname === rule.alert);
      expect({
        alert: rule.alert,
        fires: mine.some((c) => c.exp_alerts.length > 0),
        quiet: mine.some((c) => c.exp_alerts.length === 0),
      }).toEqual({ alert: rule.alert, fires: true, quiet: true });
    }
  });

  it('has an importable dashboard whose every query goes through the datasource variable', () => {
    const d = dashboard();
    expect(d.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(d.templating.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }),
    );
    const panels = d.panels.filter((p) => p.type !== 'row');
    for (const panel of panels as { title: string; datasource?: { uid?: string } }[]) {
      expect({ panel: panel.title, uid: panel.datasource?.uid }).toEqual({
        panel: panel.title,
        uid: '${datasource}',
      });
    }
    const everything = dashboardExpressions(d)
      .map((e) => e.expr)
      .join('\n');
    for (const metric of [
      'purepool_solutions_total',
      'purepool_getwork_seconds_bucket',
      'purepool_intake_seconds_bucket',
      'purepool_solution_queue_depth',
      'purepool_blocks_found_total',
      'purepool_pool_blocks',
      'purepool_payouts_total',
      'purepool_owed_base_units',
      'purepool_wallet_spendable_base_units',
      'purepool_node_rpc_seconds_bucket',
      'purepool_node_rpc_errors_total',
    ])
      expect(everything).toContain(metric);
  });
});
