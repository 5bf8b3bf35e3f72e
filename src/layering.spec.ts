import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * The layers run one way: modules (src/modules) build on the infrastructure (database, messaging,
 * the BiblePay client, the HTTP server, configuration), never the other way round — an
 * infrastructure file that imports a module would make that module part of every role and every
 * tool that needs the infrastructure. And no two files import each other (a cycle of two: the
 * one that loads first sees the other half-initialised).
 */
const SRC = resolve(__dirname);
const ROOT = dirname(SRC);
const LOWER_LAYERS = ['database', 'messaging', 'biblepay', 'server', 'config'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The project files a file imports (relative specifiers only; `import type` counts too). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const targets: string[] = [];
  for (const { fileName } of importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const base = resolve(dirname(file), fileName);
    const target = [`${base}.ts`, join(base, 'index.ts'), base].find(
      (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
    );
    if (target) targets.push(target);
  }
  return targets;
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const rel = (file: string) => relative(ROOT, file);

describe('layering of src/', () => {
  it('finds the imports it checks', () => {
    // A scanner that reads nothing would pass everything.
    expect(graph.get(join(SRC, 'app.module.ts'))?.length).toBeGreaterThan(3);
  });

  it.each(LOWER_LAYERS)('no file under src/%s imports from src/modules', (layer) => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      if (!file.startsWith(join(SRC, layer) + '/')) continue;
      for (const target of targets)
        if (target.startsWith(join(SRC, 'modules') + '/'))
          upward.push(`${rel(file)} → ${rel(target)}`);
    }
    expect(upward).toEqual([]);
  });

  it('no two files import each other', () => {
    const pairs: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) {
        if (file < target && graph.get(target)?.includes(file))
          pairs.push(`${rel(file)} ⇄ ${rel(target)}`);
      }
    }
    expect(pairs).toEqual([]);
  });
});
