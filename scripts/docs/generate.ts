// `npm run docs:config` / `npm run docs:metrics` / `npm run docs`: write the generated reference
// documents (docs/CONFIGURATION.md, docs/METRICS.md, docs/ALERTS.md) from the code they describe.
// scripts/docs/generated-docs.spec.ts fails when a committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DOCS } from './generated-docs';

function main(): void {
  const root = join(__dirname, '..', '..');
  const which = process.argv.slice(2);
  for (const doc of GENERATED_DOCS) {
    if (which.length > 0 && !which.includes(doc.kind)) continue;
    writeFileSync(join(root, doc.file), doc.render(root));
    console.log(`wrote ${doc.file}`);
  }
}

main();
