import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { generatedNotice, table } from './markdown';

/**
 * docs/CONFIGURATION.md from the environment DTO (src/config/env.dto.ts): every property of
 * EnvDto is one variable. What it means is the property's doc comment (required: a variable without
 * one stops the generator); `@role` says which roles read it, `@group` its section, `@default`
 * overrides the default read from AppConfig (src/config/app-config.ts, `env.NAME ?? default`).
 * Allowed values are read from the parser the `@Env(...)` decorator is given.
 */

const DTO = 'src/config/env.dto.ts';
const APP_CONFIG = 'src/config/app-config.ts';
const NOTES = 'scripts/docs/CONFIGURATION.notes.md';
export const CONFIGURATION_COMMAND = 'npm run docs:config';

/** Sections in this order; a group not listed here follows them, in the DTO's order. */
const GROUP_ORDER = [
  'Roles and links',
  'HTTP server',
  'Logging',
  'Web pages and API',
  'Getwork and intake',
  'Abuse limits',
  'Solution pipeline',
  'Money path',
  'Jobs and cleanup',
  'Operator console',
];
const NO_GROUP = 'Other';

export interface EnvVariable {
  name: string;
  meaning: string;
  roles: string;
  group: string;
  default: string;
  allowed: string;
  required: string | null;
}

function source(root: string, file: string): ts.SourceFile {
  const text = readFileSync(join(root, file), 'utf8');
  return ts.createSourceFile(file, text, ts.ScriptTarget.ES2023, true);
}

function tagText(tag: ts.JSDocTag): string {
  const comment = tag.comment;
  if (comment === undefined) return '';
  return typeof comment === 'string' ? comment : comment.map((part) => part.text).join('');
}

function docOf(node: ts.Node): { text: string; tags: Map<string, string> } | null {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  if (docs.length === 0) return null;
  const doc = docs[docs.length - 1];
  const text =
    typeof doc.comment === 'string'
      ? doc.comment
      : (doc.comment ?? []).map((part) => part.text).join('');
  const tags = new Map<string, string>();
  for (const tag of doc.tags ?? []) tags.set(tag.tagName.text, tagText(tag).trim());
  return { text: text.trim(), tags };
}

/** Numeric literal expressions such as `64 * 1024 * 1024` or `10_000`, evaluated; else null. */
function numberOf(node: ts.Expression): number | null {
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isParenthesizedExpression(node)) return numberOf(node.expression);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) {
    const n = numberOf(node.operand);
    return n === null ? null : -n;
  }
  if (ts.isBinaryExpression(node)) {
    const [l, r] = [numberOf(node.left), numberOf(node.right)];
    if (l === null || r === null) return null;
    switch (node.operatorToken.kind) {
      case ts.SyntaxKind.AsteriskToken:
        return l * r;
      case ts.SyntaxKind.PlusToken:
        return l + r;
      case ts.SyntaxKind.MinusToken:
        return l - r;
      default:
        return null;
    }
  }
  return null;
}

/** String arrays a name in the DTO file is bound to (`const ROLES = ['frontend', …]`). */
function stringArrays(file: ts.SourceFile): Map<string, string[]> {
  const arrays = new Map<string, string[]>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const values = stringList(node.initializer);
      if (values) arrays.set(node.name.text, values);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return arrays;
}

function stringList(node: ts.Expression): string[] | null {
  let expr = node;
  while (ts.isAsExpression(expr) || ts.isParenthesizedExpression(expr)) expr = expr.expression;
  if (!ts.isArrayLiteralExpression(expr)) return null;
  const values = expr.elements.map((e) => (ts.isStringLiteral(e) ? e.text : null));
  return values.every((v): v is string => v !== null) ? values : null;
}

const code = (values: readonly string[]) => values.map((v) => `\`${v}\``).join(', ');
const num = (n: number) => String(n);

/** What the parser passed to `@Env(...)` accepts, in words. */
function allowedOf(parser: ts.Expression, arrays: Map<string, string[]>): string {
  if (ts.isCallExpression(parser) && ts.isIdentifier(parser.expression)) {
    const args = parser.arguments;
    switch (parser.expression.text) {
      case 'integer':
      case 'decimal': {
        const [min, max] = args.map(numberOf);
        const kind = parser.expression.text === 'integer' ? 'integer' : 'number';
        return min !== null && max !== null ? `${kind} ${num(min)} … ${num(max)}` : kind;
      }
      case 'oneOf': {
        const values = ts.isIdentifier(args[0]) ? arrays.get(args[0].text) : stringList(args[0]);
        return values ? code(values) : 'one of a fixed list';
      }
      case 'addressOf': {
        const network = ts.isStringLiteral(args[0]) ? args[0].text : '';
        return `a ${network} BiblePay address`;
      }
    }
  }
  const known: Record<string, string> = {
    anyText: 'text',
    flag: '`true` / `false` (also 1/0, yes/no, on/off)',
    flagOrAuto: '`auto`, `true`, `false`',
    coins: 'coin amount > 0 (e.g. `10`, `0.5`)',
    percent: '0 … 100, at most 4 decimals',
    hashTarget: '64 hex characters, not zero',
    httpUrl: '`http://` or `https://` URL',
    redisUrl: '`redis://` or `rediss://` URL',
    networkList: 'comma list of `main`, `test`',
    trustedProxies: 'comma list of IP addresses / CIDR ranges, or `false`',
    NODE_URL: '`http://` or `https://` URL with user and password',
    requireTls: '`true` / `false`',
    adminTokens: 'at least 24 characters',
  };
  if (ts.isIdentifier(parser) && known[parser.text]) return known[parser.text];
  return 'see meaning';
}

/** When a variable is read at all (`when:` of its options), in words. */
function whenOf(expr: ts.Expression): string {
  if (ts.isCallExpression(expr) && ts.isIdentifier(expr.expression)) {
    const arg = expr.arguments[0];
    const network = arg && ts.isStringLiteral(arg) ? arg.text : '?';
    if (expr.expression.text === 'serves') return `when \`${network}\` is served`;
    if (expr.expression.text === 'backendServes')
      return `by a backend, when \`${network}\` is served`;
  }
  if (ts.isIdentifier(expr) && expr.text === 'adminOn')
    return 'read only when the console is on (`ADMIN_TOKEN` or `ADMIN_TOKEN_FILE`)';
  return `when ${expr.getText()}`;
}

/** `env.NAME ?? default` in AppConfig's constructor: the default of every optional variable. */
function appConfigDefaults(file: ts.SourceFile): Map<string, string> {
  const defaults = new Map<string, string>();
  const constants = new Map<string, ts.Expression>();
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations)
      if (ts.isIdentifier(d.name) && d.initializer) constants.set(d.name.text, d.initializer);
  }
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken &&
      ts.isPropertyAccessExpression(node.left) &&
      ts.isIdentifier(node.left.expression) &&
      node.left.expression.text === 'env'
    ) {
      const value = ts.isIdentifier(node.right)
        ? (constants.get(node.right.text) ?? node.right)
        : node.right;
      defaults.set(node.left.name.text, describeDefault(value));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return defaults;
}

function describeDefault(expr: ts.Expression): string {
  const n = numberOf(expr);
  if (n !== null) return String(n);
  if (ts.isStringLiteral(expr)) return `\`${expr.text}\``;
  if (expr.kind === ts.SyntaxKind.TrueKeyword) return '`true`';
  if (expr.kind === ts.SyntaxKind.FalseKeyword) return '`false`';
  if (expr.kind === ts.SyntaxKind.NullKeyword) return 'unset';
  const list = stringList(expr);
  if (list) return code(list);
  if (ts.isArrayLiteralExpression(expr) && expr.elements.length === 0) return 'none';
  return `\`${expr.getText().replace(/\s+/g, ' ')}\``;
}

/** Every variable of the env DTO, in the DTO's order. */
export function envVariables(root: string): EnvVariable[] {
  const dto = source(root, DTO);
  const arrays = stringArrays(dto);
  const defaults = appConfigDefaults(source(root, APP_CONFIG));
  const cls = dto.statements.find(
    (s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === 'EnvDto',
  );
  if (!cls) throw new Error(`${DTO}: class EnvDto not found`);
  const variables: EnvVariable[] = [];
  const undocumented: string[] = [];
  for (const member of cls.members) {
    if (!ts.isPropertyDeclaration(member) || !ts.isIdentifier(member.name)) continue;
    const name = member.name.text;
    const doc = docOf(member);
    if (!doc || doc.text === '') {
      undocumented.push(name);
      continue;
    }
    const decorator = ts.getDecorators(member)?.find((d) => ts.isCallExpression(d.expression));
    const call = decorator?.expression as ts.CallExpression | undefined;
    let allowed = doc.tags.get('allowed') ?? 'see meaning';
    let required: string | null = null;
    if (call && ts.isIdentifier(call.expression)) {
      const [parser, options] = call.arguments;
      if (!doc.tags.has('allowed') && parser) allowed = allowedOf(parser, arrays);
      if (options && ts.isObjectLiteralExpression(options)) {
        const prop = (key: string) =>
          options.properties.find(
            (p): p is ts.PropertyAssignment =>
              ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === key,
          )?.initializer;
        const when = prop('when');
        if (prop('required')) required = when ? `required ${whenOf(when)}` : 'required';
        else if (when) required = whenOf(when);
      }
    }
    variables.push({
      name,
      meaning: doc.text,
      roles: (doc.tags.get('role') ?? '—')
        .split(/[\s,]+/)
        .filter(Boolean)
        .join(', '),
      group: doc.tags.get('group') || NO_GROUP,
      default: doc.tags.get('default') ?? defaults.get(name) ?? (required ? '—' : 'unset'),
      allowed,
      required,
    });
  }
  if (undocumented.length > 0) {
    throw new Error(
      `${DTO}: every variable needs a doc comment saying what it means (with @role and @group); missing for ${undocumented.join(', ')}`,
    );
  }
  return variables;
}

function groupsOf(variables: readonly EnvVariable[]): string[] {
  const seen = [...new Set(variables.map((v) => v.group))];
  const known = GROUP_ORDER.filter((g) => seen.includes(g));
  return [...known, ...seen.filter((g) => !known.includes(g))];
}

export function configurationDoc(root: string): string {
  const variables = envVariables(root);
  const notes = readFileSync(join(root, NOTES), 'utf8').trim();
  const parts = [
    '# Configuration',
    generatedNotice([DTO, APP_CONFIG, NOTES], CONFIGURATION_COMMAND),
    'Every role reads its whole configuration from the environment once, at boot: validated as a ' +
      '`class-validator` DTO (`src/config/env.dto.ts`, one rule per kind of value in ' +
      '`src/config/env-parsers.ts`), then typed with its defaults as `AppConfig` ' +
      '(`src/config/app-config.ts`), the only thing the code reads. A bad or missing variable ' +
      'stops the process with one line naming it (exit code 2). A blank value means the default. ' +
      'Example environments per role: `config/frontend.env.example`, `config/backend.env.example`; ' +
      '`db:setup`, the demo and the simulators read the variables listed after the tables.',
    'Roles: `frontend`, `backend`, or `all` (read by every role). ' +
      `${variables.length} variables, in ${groupsOf(variables).length} groups: ` +
      groupsOf(variables)
        .map(
          (g) =>
            `[${g}](#${g
              .toLowerCase()
              .replace(/[^a-z0-9 -]/g, '')
              .replace(/ /g, '-')})`,
        )
        .join(', ') +
      '.',
  ];
  for (const group of groupsOf(variables)) {
    const rows = variables
      .filter((v) => v.group === group)
      .map((v) => [
        `\`${v.name}\``,
        v.roles,
        v.required && v.default === '—' ? v.required : v.default,
        v.allowed,
        v.required && v.default !== '—' ? `${v.meaning} (${v.required})` : v.meaning,
      ]);
    parts.push(`## ${group}`, table(['variable', 'role', 'default', 'allowed', 'meaning'], rows));
  }
  parts.push(notes);
  return parts.join('\n\n') + '\n';
}
