// Scenario 3: start training by right-clicking gan.config.json in the explorer, then drive the
// run from the Live Preview's own buttons: Pause, Resume, Stop, and "Resume from checkpoint",
// which continues from the saved step rather than from 0.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MNIST_CONFIG } from '../lib/fixtures.mjs';

const config = { ...MNIST_CONFIG, steps: 100_000, sampleEvery: 5, checkpointEvery: 1000 };

/** Steps logged in the run's metrics.jsonl so far. */
function loggedSteps(runDir) {
  const f = path.join(runDir, 'metrics.jsonl');
  if (!existsSync(f)) return [];
  return readFileSync(f, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      try {
        return JSON.parse(l).step;
      } catch {
        return undefined; // a line being written
      }
    })
    .filter((s) => Number.isFinite(s));
}

export default {
  name: 'explorer: right-click gan.config.json -> Train GAN; Live Preview Pause, Resume, Stop, Resume from checkpoint',
  timeout: 420_000,
  workspace: { config },
  async run({ wb, workspace }) {
    const runsDir = path.join(workspace, 'runs');
    const preview = (timeout = 60_000) => wb.webview('body[data-view="preview"] #app .top', { timeout });
    const showPreview = async () => {
      await wb.openViewContainer('GAN Studio');
      await wb.viewPane('Live Preview');
      return preview();
    };
    const waitStatus = async (status, timeout = 120_000) => {
      let frame = await showPreview();
      // The view's frame is looked up again on every try: VS Code can replace a webview's
      // iframe while it is shown (a CI run saw "Frame was detached" for the whole timeout).
      await wb.waitFor(
        async () => {
          frame = (await preview(5_000).catch(() => undefined)) ?? frame;
          return frame
            .locator(`.status-badge.status-${status}`)
            .isVisible()
            .catch(() => false);
        },
        {
          timeout,
          message: `the Live Preview to show the run as "${status}" (it shows "${await frame
            .locator('.status-badge')
            .textContent()
            .catch(() => 'no status')}")`,
        },
      );
      return frame;
    };
    const click = async (action) => {
      const frame = await showPreview();
      const button = frame.locator(`vscode-button[data-action="${action}"]`);
      await button.waitFor({ timeout: 30_000 }).catch(async () => {
        const shown = await frame
          .locator('vscode-button[data-action]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
        throw new Error(`the Live Preview has no "${action}" button; it has [${shown.join(', ')}]`);
      });
      await button.click();
    };

    await wb.step('open the workbench on the workspace', () => wb.open());
    await wb.step('open GAN Studio: the Live Preview is idle', () => showPreview());

    await wb.step('right-click gan.config.json in the explorer and choose "Train GAN"', () =>
      wb.explorerContextMenu('gan.config.json', 'Train GAN'),
    );

    const runDir = await wb.step('the Live Preview shows the run as running', async () => {
      await waitStatus('running');
      return wb.waitFor(
        () => (existsSync(runsDir) ? readdirSync(runsDir).map((d) => path.join(runsDir, d))[0] : undefined),
        {
          message: `a run folder under ${runsDir}`,
        },
      );
    });

    await wb.step('Pause in the Live Preview: the run is paused', async () => {
      await click('pause');
      await waitStatus('paused');
    });

    await wb.step('Resume in the Live Preview: the run goes on', async () => {
      await click('resume');
      await waitStatus('running');
    });

    const stoppedAt = await wb.step('Stop in the Live Preview: stopped, with a checkpoint', async () => {
      await wb.waitFor(() => loggedSteps(runDir).length > 0, { timeout: 120_000, message: 'a first logged step' });
      await click('stop');
      await waitStatus('stopped');
      const state = path.join(runDir, 'checkpoints', 'latest', 'state.json');
      await wb.waitFor(() => existsSync(state), { message: `${state}` });
      const step = Number(JSON.parse(readFileSync(state, 'utf8')).step);
      assert.ok(step > 0, `checkpoint step is ${step}`);
      return step;
    });

    await wb.step(`"Resume from checkpoint" continues after step ${stoppedAt}`, async () => {
      const before = loggedSteps(runDir).length;
      await click('resumeRun');
      await waitStatus('running');
      const next = await wb.waitFor(
        () => {
          const s = loggedSteps(runDir).slice(before);
          return s.length ? s : undefined;
        },
        { timeout: 120_000, message: 'new steps logged after resuming' },
      );
      assert.ok(
        next[0] > stoppedAt,
        `the resumed run logged step ${next[0]} first; it should continue after ${stoppedAt}`,
      );
    });

    await wb.step('"GAN: Stop Training" from the palette stops it again', async () => {
      await wb.runCommand('GAN: Stop Training');
      await waitStatus('stopped');
    });
  },
};
