// Where things are, and the one-time installs (setup.sh) the harness depends on.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const resultsRoot = path.join(repoRoot, 'test-results');

/** Runs setup.sh (which skips what is cached) and returns the paths it prints as KEY=value. */
export async function ensureTools({ quiet = false } = {}) {
  const script = path.join(repoRoot, 'test/integration/setup.sh');
  const out = await new Promise((resolve, reject) => {
    const p = spawn('bash', [script], { stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr?.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`test/integration/setup.sh exited with ${code}\n${stderr}`)),
    );
  });
  const tools = Object.fromEntries(
    out
      .split('\n')
      .map((l) => /^([A-Z0-9_]+)=(.*)$/.exec(l))
      .filter(Boolean)
      .map((m) => [m[1], m[2]]),
  );
  for (const k of ['NODE24', 'CODE_SERVER_ENTRY', 'CHROMIUM']) {
    if (!tools[k]) throw new Error(`setup.sh did not print ${k}=...`);
  }
  return { node24: tools.NODE24, codeServerEntry: tools.CODE_SERVER_ENTRY, chromium: tools.CHROMIUM };
}

/** Runs `npm run package` and returns the .vsix path it prints last. */
export async function packageExtension() {
  const script = path.join(repoRoot, 'scripts/integration/package.mjs');
  const lines = [];
  await new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    p.stdout.on('data', (d) => {
      process.stdout.write(d);
      lines.push(...String(d).split('\n'));
    });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`npm run package failed (exit ${code})`))));
  });
  const vsix = lines
    .map((l) => l.trim())
    .filter((l) => l.endsWith('.vsix'))
    .pop();
  if (!vsix) throw new Error('npm run package printed no .vsix path');
  return vsix;
}
