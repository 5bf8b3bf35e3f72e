import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** The operator's monitoring artifacts under config/, as the tests read them. */
export const ROOT = path.join(__dirname, '..', '..');
export const PROMETHEUS_DIR = path.join(ROOT, 'config', 'prometheus');
export const ALERTS_FILE = path.join(PROMETHEUS_DIR, 'alerts.yml');
export const ALERT_TESTS_FILE = path.join(PROMETHEUS_DIR, 'alerts.test.yml');
export const DASHBOARD_FILE = path.join(ROOT, 'config', 'grafana', 'purepool.json');
export const RUNBOOK_FILE = path.join(ROOT, 'docs', 'RUNBOOK.md');

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function alertRules(): AlertRule[] {
  const file = parse(readFileSync(ALERTS_FILE, 'utf8')) as { groups: { rules: AlertRule[] }[] };
  return file.groups.flatMap((g) => g.rules);
}

export interface AlertRuleTest {
  name: string;
  alert_rule_test: { alertname: string; exp_alerts: unknown[] }[];
}

export function alertRuleTests(): AlertRuleTest[] {
  return (parse(readFileSync(ALERT_TESTS_FILE, 'utf8')) as { tests: AlertRuleTest[] }).tests;
}

interface GrafanaTarget {
  expr?: string;
}
interface GrafanaPanel {
  title?: string;
  type: string;
  targets?: GrafanaTarget[];
  panels?: GrafanaPanel[];
}
export interface GrafanaDashboard {
  title: string;
  schemaVersion: number;
  panels: GrafanaPanel[];
  templating: {
    list: { name: string; type: string; query?: string | { query?: string } }[];
  };
}

export function dashboard(): GrafanaDashboard {
  return JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as GrafanaDashboard;
}

/** Every PromQL expression of the dashboard: panel targets (rows included) and variable queries. */
export function dashboardExpressions(d: GrafanaDashboard): { where: string; expr: string }[] {
  const found: { where: string; expr: string }[] = [];
  const visit = (panels: GrafanaPanel[]): void => {
    for (const panel of panels) {
      for (const t of panel.targets ?? [])
        if (t.expr) found.push({ where: `panel "${panel.title}"`, expr: t.expr });
      visit(panel.panels ?? []);
    }
  };
  visit(d.panels);
  for (const v of d.templating.list) {
    const query = typeof v.query === 'string' ? v.query : v.query?.query;
    // label_values(selector, label) reads the series of its selector; label_values(label) none.
    const selector = query && /^label_values\((.*),\s*\w+\s*\)$/.exec(query.trim());
    if (selector) found.push({ where: `variable $${v.name}`, expr: selector[1] });
  }
  return found;
}

/** A Grafana expression as plain PromQL (its variables given harmless values). */
export function withoutGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__rate_interval|\$__interval|\$__range/g, '5m')
    .replace(/\$\{?\w+\}?/g, '.*');
}

/** GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces to dashes. */
export function runbookAnchors(): Set<string> {
  const anchors = new Set<string>();
  for (const line of readFileSync(RUNBOOK_FILE, 'utf8').split('\n')) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    anchors.add(
      heading[1]
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    );
  }
  return anchors;
}
