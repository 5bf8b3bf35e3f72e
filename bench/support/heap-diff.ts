// Compares two V8 .heapsnapshot files: count and self size per constructor (node type + name),
// sorted by growth. Usage: node -r @swc-node/register bench/support/heap-diff.ts a b [top]
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: (string[] | string)[] } };
  nodes: number[];
  strings: string[];
}

export function byConstructor(file: string): Map<string, { count: number; size: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0] as string[];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const out = new Map<string, { count: number; size: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]];
    const name =
      type === 'object' || type === 'native' || type === 'closure'
        ? `${type}:${snap.strings[snap.nodes[i + nameAt]]}`
        : `(${type})`;
    const entry = out.get(name) ?? { count: 0, size: 0 };
    entry.count++;
    entry.size += snap.nodes[i + sizeAt];
    out.set(name, entry);
  }
  return out;
}

if (require.main === module) {
  const [a, b, top = '25'] = process.argv.slice(2);
  const before = byConstructor(a);
  const after = byConstructor(b);
  const total = (m: Map<string, { size: number }>): number =>
    [...m.values()].reduce((s, e) => s + e.size, 0);
  console.log(
    `total self size ${(total(before) / 1048576).toFixed(1)} -> ${(total(after) / 1048576).toFixed(1)} MB`,
  );
  const rows = [...new Set([...before.keys(), ...after.keys()])].map((name) => {
    const x = before.get(name) ?? { count: 0, size: 0 };
    const y = after.get(name) ?? { count: 0, size: 0 };
    return {
      name,
      dCount: y.count - x.count,
      dSize: y.size - x.size,
      size: y.size,
      count: y.count,
    };
  });
  rows.sort((p, q) => q.dSize - p.dSize);
  for (const r of rows.slice(0, Number(top)))
    console.log(
      `${(r.dSize / 1024).toFixed(0).padStart(8)} KB ${String(r.dCount).padStart(8)}  (${(r.size / 1024).toFixed(0)} KB, ${r.count})  ${r.name.slice(0, 100)}`,
    );
}
