// Scenario 10: two short MNIST runs that differ only in the learning rate, trained with the CLI
// before the workbench opens. Select both in the Runs tree, right-click -> "Compare Runs…": the
// Run Comparison panel overlays two curves per loss, lists `optimizer.lr` as the config key that
// differs, and moving its one step scrubber changes both runs' sample grids.
import assert from 'node:assert/strict';
import path from 'node:path';
import { MNIST_CONFIG, trainWithCli } from '../lib/fixtures.mjs';

const STEPS = 12;
const RUNS = [
  { name: 'lr-slow', lr: 0.0002 },
  { name: 'lr-fast', lr: 0.001 },
];

/** Trains one run into <workspace>/runs/<name> with the CLI. */
function trainRun(workspace, { name, lr }) {
  const config = {
    ...MNIST_CONFIG,
    name,
    steps: STEPS,
    sampleEvery: 4,
    logEvery: 1,
    checkpointEvery: 1000,
    optimizer: { ...MNIST_CONFIG.optimizer, lr },
  };
  const file = path.join(workspace, 'configs', `${name}.gan.config.json`);
  trainWithCli(file, config, path.join(workspace, 'runs', name));
}

export default {
  name: 'Runs tree: select two runs -> Compare Runs… -> curves per run, optimizer.lr differs, one scrubber for both grids',
  timeout: 420_000,
  async run({ wb, workspace }) {
    const frame = () => wb.webview('body[data-view="runs"] .run-item', { timeout: 60_000 });

    await wb.step(`train two ${STEPS}-step runs with different learning rates (CLI)`, () => {
      for (const r of RUNS) trainRun(workspace, r);
    });

    await wb.step('open the workbench; the Runs tree lists both runs', async () => {
      await wb.open();
      await wb.openViewContainer('GAN Studio');
      for (const r of RUNS) await wb.treeRow('Runs', r.name, { timeout: 60_000 });
    });

    await wb.step('select both runs in the Runs tree, right-click -> "Compare Runs…"', async () => {
      const a = await wb.treeRow('Runs', RUNS[0].name);
      const b = await wb.treeRow('Runs', RUNS[1].name);
      const select = () => wb.selectRows([a, b], { message: 'both runs selected in the Runs tree' });
      await wb.contextMenu(b, 'Compare Runs…', { before: select });
    });

    const f = await wb.step('the Run Comparison panel shows both runs with a curve each per loss', async () => {
      const page = await frame();
      await wb.waitFor(async () => (await page.locator('.run-item').count()) === 2, {
        message: 'two runs in the panel',
      });
      const names = await page.locator('.run-item strong').allTextContents();
      assert.deepEqual([...names].sort(), RUNS.map((r) => r.name).sort());
      for (const loss of ['dLoss', 'gLoss']) {
        const chart = page.locator(`figure[data-metric="${loss}"]`);
        await chart.locator('canvas').first().waitFor({ timeout: 15_000 });
        // The curves are on a canvas: the figure says how many runs have one.
        assert.equal(await chart.getAttribute('data-curves'), '2', `${loss}: a curve per run`);
      }
      return page;
    });

    await wb.step("the config diff lists optimizer.lr with each run's value", async () => {
      const row = f.locator('tr[data-key="optimizer.lr"]');
      await row.waitFor({ timeout: 15_000 });
      const cells = (await row.locator('td').allTextContents()).map((s) => s.trim()).sort();
      assert.deepEqual(cells, ['0.0002', '0.001']);
      const keys = await f
        .locator('.config-diff tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
      assert.ok(!keys.includes('steps') && !keys.includes('model'), `only differing keys: ${keys.join(', ')}`);
    });

    await wb.step('moving the step scrubber changes both sample grids', async () => {
      const srcs = () => f.locator('.run-sample img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')));
      await wb.waitFor(async () => (await srcs()).length === 2, { message: 'a sample grid per run' });
      const before = await srcs();
      const scrubber = f.locator('#scrubber');
      await scrubber.focus();
      await scrubber.press('Home');
      await wb.waitFor(
        async () => {
          const now = await srcs();
          return now.length === 2 && now[0] !== before[0] && now[1] !== before[1];
        },
        {
          message: async () =>
            `both grids to change after Home on the scrubber (before ${before.join(', ')}, now ${(await srcs()).join(', ')})`,
        },
      );
      await wb.screenshot('run-comparison');
    });
  },
};
