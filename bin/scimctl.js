#!/usr/bin/env node
// Entry point of `npx scimctl`: runs the compiled CLI, building the project first if it was never built.
const { existsSync } = require('node:fs');
const { execSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const main = path.join(root, 'dist/apps/scimctl/src/main.js');
if (!existsSync(main)) {
  process.stderr.write('scimctl: building the project once (npm run build)…\n');
  execSync('npm run -s build', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
require(main).main(process.argv.slice(2));
