#!/usr/bin/env node
// End-to-end scenarios in a real VS Code (code-server) driven by Playwright + Debian chromium.
//
//   npm run test:integration                      setup (cached) + package + every scenario
//   node test/integration/run.mjs [options] [filter...]
//     --no-package        use the .vsix already built (gan-studio-linux-x64.vsix) instead of packaging
//     --vsix FILE         use this .vsix
//     --keep              keep the temp folder (user data, logs, workspaces) even when all pass
//     filter...           run only scenarios whose file name or title contains one of these
//
// Screenshots of every step: test-results/integration/<scenario>/NN-step.png, with the
// extension host log and code-server's output next to them. The last line is
// "N passed, N failed"; the exit code is non-zero when anything failed.
import { mkdtempSync, readdirSync, rmSync, mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { repoRoot, resultsRoot, ensureTools, packageExtension } from './lib/env.mjs';
import { CodeServer, installExtension } from './lib/codeServer.mjs';
import { Workbench, CHROMIUM_ARGS, StepError } from './lib/workbench.mjs';
import { makeWorkspace } from './lib/fixtures.mjs';
import { extensionReport, formatEntries } from './lib/logs.mjs';

const require = createRequire(path.join(repoRoot, 'package.json'));
const { chromium } = require('playwright-core');

const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const valueOf = (f) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : undefined);
const filters = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--vsix');
const secs = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

// The manifest scenarios check against: the installed copy's (what the .vsix really holds).
let manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const extensionId = `${manifest.publisher}.${manifest.name}`.toLowerCase();

function installedManifest(extensionsDir) {
  const dir = readdirSync(extensionsDir).find((d) => d.toLowerCase().startsWith(`${extensionId}-`));
  if (!dir) throw new Error(`${extensionId} is not in ${extensionsDir} after --install-extension`);
  return JSON.parse(readFileSync(path.join(extensionsDir, dir, 'package.json'), 'utf8'));
}

async function main() {
  const tAll = Date.now();
  const outRoot = path.join(resultsRoot, 'integration');
  mkdirSync(outRoot, { recursive: true });

  // ---- scenarios to run
  const scenarioDir = path.join(repoRoot, 'test/integration/scenarios');
  const files = readdirSync(scenarioDir)
    .filter((f) => /^\d+.*\.mjs$/.test(f))
    .sort();
  const scenarios = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(scenarioDir, f)).href)).default;
    if (!mod?.name || typeof mod.run !== 'function') throw new Error(`${f}: default export needs { name, run }`);
    if (filters.length && !filters.some((x) => f.includes(x) || mod.name.toLowerCase().includes(x.toLowerCase())))
      continue;
    scenarios.push({ file: f, slug: f.replace(/\.mjs$/, ''), ...mod });
  }
  if (!scenarios.length) throw new Error(`no scenario matches ${filters.join(' ')}`);

  // ---- tools, package, install
  let t0 = Date.now();
  console.log('integration: setup (test/integration/setup.sh)');
  const tools = await ensureTools();
  console.log(`integration: setup done in ${secs(t0)}`);

  t0 = Date.now();
  let vsix = valueOf('--vsix') ?? process.env.GAN_STUDIO_VSIX;
  if (!vsix && flag('--no-package')) vsix = path.join(repoRoot, 'gan-studio-linux-x64.vsix');
  if (!vsix) {
    console.log('integration: npm run package');
    vsix = await packageExtension();
    console.log(`integration: packaged in ${secs(t0)}`);
  }
  if (!existsSync(vsix)) throw new Error(`no .vsix at ${vsix} (run npm run package)`);

  const tmp = mkdtempSync(path.join(tmpdir(), 'gan-it-'));
  const extensionsDir = path.join(tmp, 'extensions');
  t0 = Date.now();
  installExtension(tools, { vsix, extensionsDir, dir: path.join(tmp, 'install') });
  manifest = installedManifest(extensionsDir);
  const probeVsix = path.join(tmp, 'probe.vsix');
  const { createVSIX } = require('@vscode/vsce');
  const quiet = console.log;
  console.log = () => {}; // vsce prints the file tree of the probe
  await createVSIX({
    cwd: path.join(repoRoot, 'test/integration/probe'),
    packagePath: probeVsix,
    dependencies: false,
    allowMissingRepository: true,
    skipLicense: true,
  }).finally(() => (console.log = quiet));
  installExtension(tools, { vsix: probeVsix, extensionsDir, dir: path.join(tmp, 'install') });
  console.log(`integration: installed ${path.basename(vsix)} and the probe in ${secs(t0)}`);

  const browser = await chromium.launch({ executablePath: tools.chromium, args: CHROMIUM_ARGS, headless: true });
  const results = [];
  try {
    for (const sc of scenarios) results.push(await runScenario(sc, { tools, tmp, extensionsDir, browser, outRoot }));
  } finally {
    await browser.close().catch(() => {});
  }

  const failed = results.filter((r) => !r.ok);
  console.log('');
  for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name} (${r.time})`);
  console.log(`screenshots: ${path.relative(process.cwd(), outRoot) || outRoot}/`);
  if (failed.length || flag('--keep')) console.log(`kept: ${tmp} (user data, logs, workspaces)`);
  else rmSync(tmp, { recursive: true, force: true });
  console.log(`integration: total ${secs(tAll)}`);
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  return failed.length ? 1 : 0;
}

async function runScenario(sc, { tools, tmp, extensionsDir, browser, outRoot }) {
  const t0 = Date.now();
  const outDir = path.join(outRoot, sc.slug);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const dir = path.join(tmp, sc.slug);
  const workspace = makeWorkspace(path.join(dir, 'workspace'), sc.workspace ?? {});
  const probeOut = path.join(dir, 'probe.json');
  console.log(`\n=== ${sc.name}`);

  let server;
  let context;
  let wb;
  let error;
  try {
    server = await CodeServer.start(tools, {
      dir,
      extensionsDir,
      folder: workspace,
      env: { GAN_IT_PROBE_OUT: probeOut },
    });
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    wb = new Workbench(page, server, outDir);
    const ctx = {
      wb,
      server,
      workspace,
      manifest,
      extensionId,
      /** What the extension host log says about GAN Studio (activation, errors). */
      extensionLog: () => extensionReport(server.extensionHostLog(), extensionId),
      /** Runs the probe command and returns its report (registered ganStudio.* commands, isActive). */
      probe: async () => {
        rmSync(probeOut, { force: true });
        await wb.runCommand('Integration Probe: Report Extension State');
        await wb.waitFor(() => existsSync(probeOut), { timeout: 20_000, message: 'the probe report' });
        return JSON.parse(readFileSync(probeOut, 'utf8'));
      },
    };
    const timeoutMs = sc.timeout ?? 180_000;
    let timer;
    await Promise.race([
      sc.run(ctx),
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(`scenario timed out after ${timeoutMs / 1000} s, during step ${wb.currentStep ?? '(none)'}`),
            ),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  } catch (e) {
    error = e;
    if (wb && !(e instanceof StepError)) await wb.screenshot('zz-FAILED');
  }

  // Keep the logs next to the screenshots whatever happened.
  if (server) {
    writeFileSync(path.join(outDir, 'code-server.log'), server.output);
    writeFileSync(path.join(outDir, 'exthost.log'), server.extensionHostLog());
    for (const [name, text] of Object.entries(server.outputChannels())) {
      if (/gan/i.test(name)) writeFileSync(path.join(outDir, `output-${name.replace(/[^\w.-]+/g, '_')}.log`), text);
    }
  }
  if (wb) writeFileSync(path.join(outDir, 'browser-console-errors.log'), wb.consoleErrors.join('\n'));

  await context?.close().catch(() => {});
  await server?.stop().catch(() => {});

  const time = secs(t0);
  if (!error) {
    console.log(`=== PASS ${sc.name} (${time})`);
    return { name: sc.name, ok: true, time };
  }
  console.log(`=== FAIL ${sc.name} (${time})`);
  console.log(`  ${error instanceof StepError ? `FAILED AT STEP ${error.index}: "${error.step}"` : 'FAILED'}`);
  console.log(
    `  ${String(error instanceof StepError ? (error.cause?.message ?? error.cause) : error.message)
      .split('\n')
      .join('\n  ')}`,
  );
  if (server) {
    const rep = extensionReport(server.extensionHostLog(), extensionId);
    console.log(
      `  extension host log: ${extensionId} ${rep.activated ? `activated (${rep.activationEvent})` : 'NOT activated'}, ${rep.errors.length} error(s) about it`,
    );
    if (rep.errors.length) console.log(formatEntries(rep.errors));
  }
  if (wb?.consoleErrors.length) {
    const ours = wb.consoleErrors.filter((t) => /gan/i.test(t));
    if (ours.length) console.log(`  browser console errors naming GAN:\n      ${ours.slice(0, 5).join('\n      ')}`);
  }
  console.log(`  screenshots and logs: ${path.relative(process.cwd(), outDir) || outDir}/`);
  for (const s of wb?.screenshots.filter((f) => f.includes('FAILED')) ?? [])
    console.log(`  failure screenshot: ${path.relative(process.cwd(), s)}`);
  return { name: sc.name, ok: false, time, error };
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`integration: ${e.stack ?? e}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
