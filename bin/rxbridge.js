#!/usr/bin/env node
// The `rxbridge` command: checks the Node version, then runs the TypeScript CLI directly (type stripping).
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `rxbridge: needs Node.js 24 or newer (this is ${process.version}); run it through npm (npx rxbridge ...) so the pinned Node is used\n`,
  );
  process.exit(2);
}
await import('../src/cli/main.ts');
