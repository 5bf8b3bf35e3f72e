/**
 * The metric names a PromQL expression reads, for checking them against what the roles export.
 * Enough of PromQL for alerts and dashboards: strings, label matchers, ranges, grouping clauses,
 * numbers and durations are removed first; what is left and is not a function, an aggregation or
 * a keyword is a metric name.
 */
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
  'atan2',
]);

export function metricNames(expr: string): Set<string> {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/(?<![\w:])\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:ms|[smhdwy])*(?![\w:])/gi, ' ');
  const names = new Set<string>();
  for (const match of bare.matchAll(/[a-zA-Z_:][\w:]*/g)) {
    const name = match[0];
    const rest = bare.slice((match.index ?? 0) + name.length);
    if (/^\s*\(/.test(rest)) continue; // a function or an aggregation
    if (KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return names;
}

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

/** The metric families a Prometheus text exposition declares (`# TYPE name type`). */
export function exportedFamilies(exposition: string): Map<string, MetricType> {
  const families = new Map<string, MetricType>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm))
    families.set(match[1], match[2] as MetricType);
  return families;
}

/** Series names a family really exports: a histogram's _bucket/_sum/_count, a summary's too. */
export function seriesNames(families: ReadonlyMap<string, MetricType>): Set<string> {
  const names = new Set<string>();
  for (const [name, type] of families) {
    // A histogram's own name is no series: a query of it finds nothing.
    if (type !== 'histogram') names.add(name);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
    if (type === 'summary') for (const s of ['_sum', '_count']) names.add(name + s);
  }
  return names;
}
