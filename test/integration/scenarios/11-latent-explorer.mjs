// Scenario 11: a short cGAN run on MNIST trained with the CLI before the workbench opens. Its
// row in the Runs tree -> "Explore Latent Space…": a grid with a row per class, seeds typed as a
// range, two clicks -> the interpolation row with the steps asked for, "Save grid" -> a PNG in
// <run>/explore/ with the seeds in its name and a notification saying so.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MNIST_CONFIG, trainWithCli } from '../lib/fixtures.mjs';

const STEPS = 6;
const RUN = 'digits-cgan';

function trainRun(workspace) {
  const config = {
    ...MNIST_CONFIG,
    name: RUN,
    model: 'cgan',
    steps: STEPS,
    sampleEvery: STEPS,
    checkpointEvery: STEPS,
  };
  trainWithCli(path.join(workspace, 'cgan.gan.config.json'), config, path.join(workspace, 'runs', RUN));
}

/** Width and height from a PNG's IHDR. */
function pngSize(file) {
  const b = readFileSync(file);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

export default {
  name: 'Runs tree: cGAN run -> Explore Latent Space… -> a row per class, interpolate two samples, Save grid -> PNG named by seed',
  timeout: 420_000,
  async run({ wb, workspace }) {
    const exploreDir = path.join(workspace, 'runs', RUN, 'explore');
    const saved = () => (existsSync(exploreDir) ? readdirSync(exploreDir).sort() : []);

    await wb.step(`train a ${STEPS}-step cGAN run on MNIST (CLI)`, () => trainRun(workspace));

    await wb.step('open the workbench; the Runs tree lists the run', async () => {
      await wb.open();
      await wb.openViewContainer('GAN Studio');
      await wb.treeRow('Runs', RUN, { timeout: 60_000 });
    });

    await wb.step('right-click the run -> "Explore Latent Space…"', async () => {
      const row = await wb.treeRow('Runs', RUN);
      await wb.contextMenu(row, 'Explore Latent Space…');
    });

    const f = await wb.step('the explorer draws 8 seeds for each of the 10 classes', async () => {
      const page = await wb.webview('body[data-view="explore"] #grid', { timeout: 60_000 });
      await wb.waitFor(async () => (await page.locator('#grid .cell img').count()) === 80, {
        timeout: 120_000,
        message: async () =>
          `80 images in the grid (now ${await page.locator('#grid .cell').count()}; status "${await page.locator('#status').textContent()}")`,
      });
      assert.deepEqual(await page.locator('#grid .row-label').allTextContents(), [
        '0',
        '1',
        '2',
        '3',
        '4',
        '5',
        '6',
        '7',
        '8',
        '9',
      ]);
      const src = await page.locator('#grid .cell img').first().getAttribute('src');
      assert.match(src, /^data:image\/png;base64,/);
      return page;
    });

    await wb.step('type the seed range 5-8 and press Enter: 4 seeds per class', async () => {
      await f.locator('#seeds').fill('5-8');
      await f.locator('#seeds').press('Enter');
      await wb.waitFor(
        async () =>
          (await f.locator('#grid .cell').count()) === 40 &&
          (await f.locator('#grid').getAttribute('aria-busy')) === 'false',
        {
          timeout: 60_000,
          message: '40 images for seeds 5-8',
        },
      );
      assert.deepEqual((await f.locator('#grid .cell .caption').allTextContents()).slice(0, 4), ['5', '6', '7', '8']);
    });

    await wb.step('set 6 interpolation steps, click seed 5 and seed 8 of class 3: the interpolation row', async () => {
      await f.locator('#steps').fill('6');
      await f.locator('#steps').press('Tab');
      await f.locator('#grid .cell[aria-label="seed 5, class 3"]').click();
      await f.locator('#grid .cell[aria-label="seed 8, class 3"]').click();
      await wb.waitFor(async () => (await f.locator('#path .cell img').count()) === 6, {
        timeout: 60_000,
        message: 'six interpolation images',
      });
      assert.match(
        await f.locator('section[aria-label="Interpolation"] h3').textContent(),
        /seed 5 → seed 8, class 3 \(spherical, 6 steps\)/,
      );
      await wb.screenshot('latent-explorer');
    });

    await wb.step(
      '"Save grid" -> <run>/explore/ has the grid PNG named by its seeds, and a notification says so',
      async () => {
        await f.locator('#save-grid').click();
        const name = 'grid-seeds-5-8-all-classes-step-6.png';
        await wb.waitFor(() => saved().includes(name), {
          timeout: 60_000,
          message: async () => `${name} in ${exploreDir} (has: ${saved().join(', ')})`,
        });
        await wb.waitForNotification(/Saved grid-seeds-5-8-all-classes-step-6\.png/);
        const { width, height } = pngSize(path.join(exploreDir, name));
        // 4 columns and 10 rows of 28 px images with 2 px borders.
        assert.deepEqual({ width, height }, { width: 4 * 30 + 2, height: 10 * 30 + 2 });
      },
    );

    await wb.step('"Save grid" of the interpolation -> a PNG named by both seeds and the step count', async () => {
      await wb.closeNotifications();
      await f.locator('#save-path').click();
      const name = 'interp-5-to-8-6steps-class-3-step-6.png';
      await wb.waitFor(() => saved().includes(name), {
        timeout: 60_000,
        message: async () => `${name} in ${exploreDir} (has: ${saved().join(', ')})`,
      });
      assert.ok(!saved().some((n) => n.includes('staging')), `no staging files left: ${saved().join(', ')}`);
    });
  },
};
