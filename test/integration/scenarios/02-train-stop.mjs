// Scenario 2: Train GAN on a small MNIST config from the palette. The Live Preview shows a
// sample grid image, the training dashboard a loss chart with lines drawn; Stop Training
// leaves a checkpoint on disk and the Runs tree lists the run with it.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MNIST_CONFIG } from '../lib/fixtures.mjs';
import { formatEntries } from '../lib/logs.mjs';

// Many steps: the run must still be going when the scenario stops it.
const config = { ...MNIST_CONFIG, steps: 100_000, sampleEvery: 5, checkpointEvery: 1000 };

/** Pixels of a canvas that carry a saturated colour (plotted lines; axes and grid are grey). */
function colouredPixels(canvas) {
  const ctx = canvas.getContext('2d');
  if (!ctx || !canvas.width || !canvas.height) return 0;
  const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] > 100 && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) n++;
  }
  return n;
}

export default {
  name: 'train: Live Preview image, dashboard loss chart; Stop -> checkpoint, Runs tree lists it',
  timeout: 420_000,
  workspace: { config },
  async run({ wb, workspace, extensionLog }) {
    const runsDir = path.join(workspace, 'runs');
    const runDirs = () => (existsSync(runsDir) ? readdirSync(runsDir).map((d) => path.join(runsDir, d)) : []);

    await wb.step('open the workbench on the workspace', () => wb.open());
    await wb.step('open GAN Studio: the Live Preview is idle', async () => {
      await wb.openViewContainer('GAN Studio');
      await wb.viewPane('Live Preview');
      await wb.webview('body[data-view="preview"] #app .top', { timeout: 60_000 });
    });

    await wb.step('run "GAN: Train GAN" from the palette', () => wb.runCommand('GAN: Train GAN'));

    const runDir = await wb.step('a run folder appears under runs/ with metrics', () =>
      wb.waitFor(
        () =>
          runDirs().find(
            (d) =>
              existsSync(path.join(d, 'metrics.jsonl')) && readFileSync(path.join(d, 'metrics.jsonl'), 'utf8').trim(),
          ),
        {
          timeout: 120_000,
          message: `a run under ${runsDir} with a non-empty metrics.jsonl (runs: ${
            runDirs()
              .map((d) => path.basename(d))
              .join(', ') || 'none'
          })`,
        },
      ),
    );

    await wb.step('the Live Preview shows a sample grid image', async () => {
      const frame = await wb.webview('body[data-view="preview"]', { timeout: 30_000 });
      const img = frame.locator('img.grid-img');
      await wb.waitFor(
        async () => (await img.isVisible()) && (await img.evaluate((i) => i.complete && i.naturalWidth > 0)),
        { timeout: 120_000, message: 'a loaded, visible img.grid-img in the Live Preview' },
      );
      const alt = await img.getAttribute('alt');
      assert.match(alt ?? '', /step \d+/, 'the sample image says which step it is from');
    });

    await wb.step('run "GAN: Open Training Dashboard"', () => wb.runCommand('GAN: Open Training Dashboard'));

    await wb.step('the dashboard draws the loss chart with points', async () => {
      const frame = await wb.webview('.dashboard #loss-title', { timeout: 60_000 });
      const canvas = frame.locator('.chart canvas').first();
      const n = await wb.waitFor(
        async () => {
          // A lone point's markers are ~60 px; lines between logged steps are thousands.
          const px = await canvas.evaluate(colouredPixels);
          return px > 500 ? px : 0;
        },
        { timeout: 120_000, message: 'plotted loss lines (> 500 coloured pixels) on the loss chart canvas' },
      );
      const series = await frame
        .locator('[data-series]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-series')));
      assert.ok(
        series.some((s) => /loss/i.test(s)),
        `the chart names loss series, it has [${series.join(', ')}]`,
      );
      console.log(`      loss chart: ${n} plotted pixels, series ${series.join(', ')}`);
    });

    await wb.step('run "GAN: Stop Training"', () => wb.runCommand('GAN: Stop Training'));

    await wb.step('a notification says training stopped at a step', () =>
      wb.waitForNotification(/stopped at step \d+/i, { timeout: 120_000 }),
    );

    await wb.step('the checkpoint exists on disk (checkpoints/latest with state.json)', () => {
      const latest = path.join(runDir, 'checkpoints', 'latest');
      assert.ok(
        existsSync(path.join(latest, 'state.json')),
        `${latest}/state.json missing; checkpoints/ has [${
          existsSync(path.dirname(latest)) ? readdirSync(path.dirname(latest)).join(', ') : 'nothing'
        }]`,
      );
      const state = JSON.parse(readFileSync(path.join(latest, 'state.json'), 'utf8'));
      assert.ok(Number(state.step) > 0, `state.json step is ${state.step}`);
      const models = readdirSync(latest, { recursive: true }).filter((f) => String(f).endsWith('model.json'));
      assert.ok(models.length > 0, `no model.json in ${latest}`);
    });

    await wb.step('the Runs tree lists the run and its checkpoint', async () => {
      await wb.openViewContainer('GAN Studio');
      const row = await wb.treeRow('Runs', path.basename(runDir), { timeout: 30_000 });
      await wb.expandTreeRow(row);
      const ck = await wb.treeRow('Runs', /^Checkpoints \(\d+\)$/, { timeout: 15_000 });
      await wb.expandTreeRow(ck);
      await wb.treeRow('Runs', 'latest', { timeout: 15_000 });
    });

    await wb.step('no errors from the extension in the extension host log', () => {
      const log = extensionLog();
      assert.equal(log.errors.length, 0, `extension host log errors:\n${formatEntries(log.errors)}`);
    });
  },
};
