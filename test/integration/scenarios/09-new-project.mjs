// Scenario 9: from an empty folder to a training run. Palette -> "GAN: New GAN Project…" ->
// DCGAN -> a folder typed into VS Code's file dialog -> gan.config.json and model.ts open ->
// the "Train" CodeLens starts a run (its lens turns into "Stop (step n/N)", the Runs tree
// lists it) -> "Stop" from the same lens -> "Open dashboard" shows that run. Then the
// "Check dataset" lens of a pix2pix project (made with `gan init`, one picture broken) shows
// the report: ready to train, the pair count, the image size and the unreadable file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../lib/env.mjs';

const runName = /^digits-\d{8}-\d{6}$/;

export default {
  name: 'new project: palette -> New GAN Project… -> DCGAN -> folder -> files open -> Train lens runs; Check dataset lens report',
  timeout: 300_000,
  async run({ wb, workspace }) {
    const target = path.join(workspace, 'digits');
    mkdirSync(target); // an empty folder, as a user would make for a new project
    // A pix2pix project for "Check dataset": the CLI the extension runs for New GAN Project…
    const facades = path.join(workspace, 'facades');
    const init = spawnSync(process.execPath, [path.join(repoRoot, 'dist/cli.js'), 'init', 'pix2pix', facades], {
      encoding: 'utf8',
    });
    assert.equal(init.status, 0, `gan init pix2pix failed: ${init.stderr}`);
    const pairsDir = path.join(facades, 'data', 'pairs');
    const pairs = readdirSync(pairsDir).filter((f) => f.endsWith('.png')).length;
    writeFileSync(path.join(pairsDir, 'zz-broken.png'), 'not a PNG at all');

    const runsDir = path.join(workspace, 'runs');
    const runDir = () =>
      existsSync(runsDir)
        ? readdirSync(runsDir)
            .filter((d) => runName.test(d))
            .map((d) => path.join(runsDir, d))[0]
        : undefined;
    const metrics = (d) =>
      existsSync(path.join(d, 'metrics.jsonl')) ? readFileSync(path.join(d, 'metrics.jsonl'), 'utf8').trim() : '';

    await wb.step('open the workbench on the workspace', async () => {
      await wb.open();
      // The palette lists an extension's commands once the workbench has read its manifest.
      await wb.waitFor(() => wb.paletteHas('GAN: New GAN Project…'), {
        timeout: 60_000,
        message: '"GAN: New GAN Project…" in the palette',
      });
    });

    await wb.step('run "GAN: New GAN Project…": the six families with descriptions', async () => {
      await wb.runCommand('GAN: New GAN Project…');
      // The first command activates the extension: on a loaded machine the pick takes a while.
      await wb.quickPickRow('DCGAN', { timeout: 45_000 });
      const labels = await wb.quickPickLabels();
      for (const l of ['GAN', 'DCGAN', 'cGAN', 'pix2pix', 'CycleGAN', 'SRGAN'])
        assert.ok(labels.includes(l), `"${l}" missing from [${labels.join(', ')}]`);
      const desc = await wb.quickInput
        .locator('.monaco-list-row', { hasText: 'DCGAN' })
        .first()
        .locator('.label-description')
        .textContent();
      assert.match(desc ?? '', /MNIST/, 'the DCGAN row says what it trains on');
    });

    await wb.step('choose DCGAN', () => wb.pickQuickPick('DCGAN'));

    await wb.step('type the empty folder "digits" into the folder dialog and press "Create Project Here"', () =>
      wb.answerFileDialog(target, { okLabel: 'Create Project Here' }),
    );

    await wb.step('choose "MNIST digits" as the training data', () => wb.pickQuickPick('MNIST digits'));

    await wb.step('the project is written and gan.config.json opens in front of model.ts', async () => {
      await wb.waitFor(
        async () => {
          const tabs = await wb.editorTabs();
          return (
            tabs.some((t) => t.label === 'model.ts') && tabs.some((t) => t.label === 'gan.config.json' && t.active)
          );
        },
        {
          timeout: 20_000,
          message: async () =>
            `editor tabs gan.config.json (active) and model.ts (tabs: ${JSON.stringify(await wb.editorTabs())})`,
        },
      );
      for (const f of ['gan.config.json', 'model.ts', 'README.md'])
        assert.ok(existsSync(path.join(target, f)), `${f} not written in ${target}`);
      const config = JSON.parse(readFileSync(path.join(target, 'gan.config.json'), 'utf8'));
      assert.equal(config.model, 'dcgan');
      assert.equal(config.dataset.kind, 'mnist');
      assert.equal(config.modelFile, './model.ts');
      const editor = await wb.page.locator('.editor-instance .view-lines').first().textContent();
      assert.match(editor ?? '', /"model":\s*"dcgan"/, 'the visible editor shows the new config');
      await wb.waitForNotification(/DCGAN project created in .*digits/);
    });

    await wb.step('the config shows the CodeLenses "Train", "Check dataset" and "No runs yet"', async () => {
      await wb.waitFor(
        async () => {
          const t = await wb.codeLensTitles();
          return t.includes('Train') && t.includes('Check dataset') && t.includes('No runs yet');
        },
        {
          timeout: 30_000,
          message: async () => `the three lenses (shown: ${JSON.stringify(await wb.codeLensTitles())})`,
        },
      );
    });

    await wb.step('click "Train": a run of the new project starts and logs metrics', async () => {
      await wb.clickCodeLens('Train');
      await wb.waitFor(
        () => {
          const d = runDir();
          return d && metrics(d);
        },
        {
          timeout: 120_000,
          message: `a run digits-<time> under ${runsDir} with metrics`,
        },
      );
    });

    await wb.step('the lens turns into "Stop (step n/5000)" and the Runs tree lists the run', async () => {
      await wb.waitFor(async () => (await wb.codeLensTitles()).some((t) => /^Stop \(step [1-9]\d*\/5000\)$/.test(t)), {
        timeout: 60_000,
        message: async () => `a "Stop (step n/5000)" lens (shown: ${JSON.stringify(await wb.codeLensTitles())})`,
      });
      await wb.openViewContainer('GAN Studio');
      await wb.treeRow('Runs', path.basename(runDir()), { timeout: 30_000 });
    });

    await wb.step('click "Stop" on the lens: training stops at a step, the lens says "Train" again', async () => {
      await wb.clickCodeLens(/^\s*Stop \(step \d+/);
      await wb.waitForNotification(/stopped at step \d+/i, { timeout: 120_000 });
      await wb.waitFor(async () => (await wb.codeLensTitles()).includes('Train'), {
        timeout: 30_000,
        message: 'the "Train" lens back',
      });
    });

    await wb.step('click "Open dashboard": the training dashboard of that run opens', async () => {
      await wb.clickCodeLens('Open dashboard');
      await wb.webview('.dashboard #loss-title', { timeout: 60_000 });
      const title = `GAN: ${path.basename(runDir())}`;
      await wb.waitFor(async () => (await wb.editorTabs()).some((t) => t.label === title && t.active), {
        timeout: 30_000,
        message: async () => `the active tab "${title}" (tabs: ${JSON.stringify(await wb.editorTabs())})`,
      });
    });

    await wb.step(
      'Quick Open facades/gan.config.json (pix2pix, made with gan init) and click "Check dataset"',
      async () => {
        // Quick Open (the explorer helper finds rows by name, and digits/ has a gan.config.json too).
        await wb.openPalette('facades/gan.config.json');
        await wb.waitFor(async () => (await wb.quickInput.locator('.quick-input-list .monaco-list-row').count()) > 0, {
          message: 'a Quick Open result',
        });
        await wb.acceptQuickPick();
        await wb.waitFor(
          async () =>
            (await wb.editorTabs()).some((t) => t.label === 'gan.config.json' && t.active) &&
            /"model":\s*"pix2pix"/.test(await wb.page.locator('.editor-instance .view-lines').first().textContent()),
          {
            message: async () =>
              `the facades config as the active editor (tabs: ${JSON.stringify(await wb.editorTabs())})`,
          },
        );
        await wb.clickCodeLens('Check dataset');
      },
    );

    await wb.step('the dataset report: ready to train, the pairs, their size and the unreadable file', async () => {
      const frame = await wb.webview('body[data-view="datasetCheck"]', { timeout: 60_000 });
      await wb.waitFor(() => frame.locator('.status-badge').isVisible(), {
        timeout: 60_000,
        message: 'the report (status badge)',
      });
      const text = (await frame.locator('#app').textContent()) ?? '';
      assert.match(text, /Ready to train/);
      assert.match(text, /Model\s*pix2pix/);
      assert.match(text, new RegExp(`Pairs found\\s*${pairs + 1}`), `the report counts ${pairs + 1} files: ${text}`);
      assert.match(text, new RegExp(`Usable pairs\\s*${pairs}`));
      assert.match(text, /256x128\s*\d+/, 'the image sizes');
      assert.match(text, /Unreadable files.*\(1\)/);
      assert.match(text, /zz-broken\.png/);
    });
  },
};
