#!/usr/bin/env node
// npm run try [-- --no-package] [--port N] [--folder DIR]
//
// Builds and packages the extension, installs it into a fresh code-server (VS Code in the
// browser) on 127.0.0.1, opens a demo workspace (a small MNIST gan.config.json and a PNG)
// or --folder DIR, and prints the address. Runs until Ctrl-C, then removes its temp folder.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot, ensureTools, packageExtension } from './lib/env.mjs';
import { CodeServer, installExtension } from './lib/codeServer.mjs';
import { makeWorkspace } from './lib/fixtures.mjs';

const argv = process.argv.slice(2);
const valueOf = (f) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : undefined);

const tools = await ensureTools();
const vsix = argv.includes('--no-package')
  ? path.join(repoRoot, 'gan-studio-linux-x64.vsix')
  : await packageExtension();
if (!existsSync(vsix)) {
  console.error(`try: no ${vsix}; run without --no-package`);
  process.exit(1);
}

const tmp = mkdtempSync(path.join(tmpdir(), 'gan-try-'));
const extensionsDir = path.join(tmp, 'extensions');
installExtension(tools, { vsix, extensionsDir, dir: path.join(tmp, 'install') });
const folder = valueOf('--folder') ? path.resolve(valueOf('--folder')) : makeWorkspace(path.join(tmp, 'gan-demo'));
const port = valueOf('--port');

const server = await CodeServer.start(tools, { dir: tmp, extensionsDir, folder, port: port ? Number(port) : 0 });
console.log('');
console.log(`GAN Studio in VS Code (code-server), workspace ${folder}:`);
console.log('');
console.log(`    ${server.url}`);
console.log('');
console.log('Open it in a browser on this machine (or forward the port). Ctrl-C stops the server.');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\ntry: stopping code-server');
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.proc.on('exit', (code) => {
  if (!stopping) {
    console.error(`try: code-server exited (${code}):\n${server.output.split('\n').slice(-20).join('\n')}`);
    process.exit(1);
  }
});
