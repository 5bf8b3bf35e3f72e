// Preload for a role process (`NODE_OPTIONS=--require …/loaded-modules.js`): records every file the
// process loads, CommonJS and ES modules alike, and writes their paths, one a line, to
// LOADED_MODULES_FILE.<pid> when it exits (test/roles/role-composition.e2e-spec.ts; a cluster's
// workers inherit the preload and write their own).
const { writeFileSync } = require('node:fs');
const { registerHooks } = require('node:module');
const { fileURLToPath } = require('node:url');

const loaded = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (resolved.url.startsWith('file:')) loaded.add(fileURLToPath(resolved.url));
    return resolved;
  },
});
process.on('exit', () => {
  writeFileSync(`${process.env.LOADED_MODULES_FILE}.${process.pid}`, [...loaded].join('\n'));
});
