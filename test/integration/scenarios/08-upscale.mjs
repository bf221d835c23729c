// Scenario 8: "Upscale with SRGAN" as a user meets it. Right-click photo.png in the explorer ->
// the fidelity model -> photo.x4.png of exactly 4x the size beside it, and the compare view
// (slider moved with the keyboard). Again from the palette on the image preview -> the remembered
// choice, and a counter instead of overwriting. A corrupt PNG -> an error naming it, nothing
// written. A 5 MP image -> a warning with the estimated time. A larger image cancelled mid-way
// from its progress notification -> nothing written. "GAN: Import Upscaling Model…" with a
// Real-ESRGAN compact model file -> listed in the pick, photo.png upscaled with it; a classifier
// .pth from the explorer's "Import as Upscaling Model" -> one line saying why; the pick's trash
// button removes the imported model after asking. Compare with… on two selected files; themes.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../lib/env.mjs';
import { makePng } from '../lib/fixtures.mjs';

/** Width and height from a PNG's IHDR. */
function pngSize(file) {
  const b = readFileSync(file);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** The importer's fixtures: tiny random-weight models made with PyTorch (test/fixtures/sr-import). */
const SR_FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'sr-import');

/** Answers the browser's simple file dialog with a file: its path typed into the box, then OK. */
async function chooseFile(wb, file, okLabel) {
  const input = wb.quickInput.locator('.quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  let kept = 0;
  // The dialog resets the box while it loads its start folder: type again until it holds.
  await wb.waitFor(
    async () => {
      if ((await input.inputValue()) !== file) {
        kept = 0;
        await input.fill(file);
        return false;
      }
      return ++kept >= 3;
    },
    {
      timeout: 15_000,
      message: async () => `the file dialog to keep ${file} (it shows "${await input.inputValue()}")`,
    },
  );
  const ok = wb.quickInput.locator('.quick-input-action .monaco-button', { hasText: okLabel }).first();
  await ok.click();
  await ok.waitFor({ state: 'hidden', timeout: 15_000 });
}

/** The explorer menu, retried while the workbench is still registering the extension's menus. */
async function contextMenu(wb, file, item) {
  for (let i = 0; ; i++) {
    try {
      return await wb.explorerContextMenu(file, item);
    } catch (e) {
      if (i >= 20 || !/has no/.test(e.message)) throw e;
      await wb.page.keyboard.press('Escape');
      await new Promise((r) => setTimeout(r, 1500));
    }
  }
}

export default {
  name: 'explorer: right-click photo.png -> Upscale with SRGAN -> photo.x4.png and the compare view; palette; corrupt file; cancel',
  timeout: 480_000,
  async run({ wb, workspace }) {
    const file = (n) => path.join(workspace, n);
    writeFileSync(file('big.png'), makePng(640, 480));
    copyFileSync(path.join(SR_FIXTURES, 'srvgg-x4.pth'), file('srvgg-x4.pth'));
    copyFileSync(path.join(SR_FIXTURES, 'classifier.pth'), file('classifier.pth'));
    writeFileSync(file('huge.png'), makePng(2600, 2000));
    writeFileSync(
      file('broken.png'),
      Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        Buffer.from('IHDR but nothing valid after it, definitely not a PNG'),
      ]),
    );
    const results = () =>
      readdirSync(workspace)
        .filter((n) => /\.x\d/.test(n) || n.includes('staging') || n.endsWith('.partial'))
        .sort();
    const compareFrame = () => wb.webview('body[data-view="compare"] .info .file-after', { timeout: 60_000 });

    await wb.step('open the workbench on the workspace', () => wb.open());

    await wb.step('right-click photo.png in the explorer and choose "Upscale with SRGAN"', () =>
      contextMenu(wb, 'photo.png', 'Upscale with SRGAN'),
    );

    await wb.step(
      'the quick pick offers scale and model, sharp and fidelity; choose "×4 · Faithful (fidelity)"',
      async () => {
        await wb.quickPickRow('×4 · Sharp');
        await wb.quickPickRow('×4 · Faithful (fidelity)');
        const labels = await wb.quickPickLabels();
        assert.ok(labels.includes('×2 · Faithful (fidelity)'), `the pick lists ${labels.join(', ')}`);
        await wb.pickQuickPick('×4 · Faithful (fidelity)');
      },
    );

    await wb.step('photo.x4.png appears beside photo.png at exactly 4x the size', async () => {
      const out = file('photo.x4.png');
      await wb.waitFor(() => existsSync(out), { timeout: 120_000, message: `${out}` });
      const src = pngSize(file('photo.png'));
      assert.deepEqual(pngSize(out), { width: src.width * 4, height: src.height * 4 });
    });

    const frame = await wb.step('the compare view opens with both images, sizes and PSNR', async () => {
      const f = await compareFrame();
      await wb.waitFor(async () => /photo\.x4\.png/.test(await f.locator('.info .file-after').textContent()), {
        message: 'the after file in the compare view',
      });
      await wb.waitFor(async () => /PSNR-Y [\d.]+ dB|PSNR-Y ∞/.test(await f.locator('.info .psnr').textContent()), {
        timeout: 30_000,
        message: 'a PSNR-Y value in the compare view',
      });
      const info = await f.locator('.info').textContent();
      assert.match(info, /32×24/);
      assert.match(info, /128×96/);
      assert.match(info, /Scale ×4/);
      return f;
    });

    await wb.step('move the before/after slider with the keyboard', async () => {
      const divider = frame.locator('.divider');
      await divider.focus();
      for (let i = 0; i < 3; i++) await divider.press('Shift+ArrowLeft');
      assert.equal(await divider.getAttribute('aria-valuenow'), '20');
      await frame.locator('[data-action="one"]').click();
    });

    await wb.step(
      'open photo.png (image preview) and run "GAN: Upscale with SRGAN" from the palette: the last choice is first',
      async () => {
        const row = await wb.explorerRow('photo.png');
        await row.dblclick();
        await wb.page.locator('.tabs-container .tab', { hasText: 'photo.png' }).first().waitFor({ timeout: 15_000 });
        await wb.runCommand('GAN: Upscale with SRGAN');
        const active = wb.quickInput.locator('.quick-input-list .monaco-list-row.focused .label-name');
        await wb.waitFor(
          async () => (await active.textContent().catch(() => ''))?.trim() === '×4 · Faithful (fidelity)',
          {
            message: 'the remembered choice highlighted',
          },
        );
        await wb.acceptQuickPick();
      },
    );

    await wb.step('an existing result is not overwritten: photo.x4-2.png appears', async () => {
      await wb.waitFor(() => existsSync(file('photo.x4-2.png')), { timeout: 120_000, message: 'photo.x4-2.png' });
      await compareFrame();
    });

    await wb.step('a corrupt PNG: an error naming the file and the reason; nothing written', async () => {
      await wb.closeNotifications();
      await contextMenu(wb, 'broken.png', 'Upscale with SRGAN');
      await wb.pickQuickPick('×4 · Faithful (fidelity)');
      const n = await wb.waitForNotification(/Cannot upscale "broken\.png"/);
      assert.equal(n.severity, 'error');
      assert.match(n.text, /corrupt PNG/);
      assert.ok(!results().some((r) => r.startsWith('broken')), `written: ${results().join(', ')}`);
    });

    await wb.step(
      'a 5-megapixel image: a warning with the estimated time first; declining starts nothing',
      async () => {
        await wb.closeNotifications();
        await contextMenu(wb, 'huge.png', 'Upscale with SRGAN');
        await wb.pickQuickPick('×4 · Faithful (fidelity)');
        const dialog = wb.page.locator('.monaco-dialog-box');
        await dialog.waitFor({ timeout: 15_000 });
        const text = await dialog.textContent();
        assert.match(text, /Upscaling ×4 will take about/);
        assert.match(text, /huge\.png is 2600×2000 \(5\.2 MP\); the result will be 10400×8000/);
        await wb.screenshot('huge-warning');
        await dialog.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
        await dialog.waitFor({ state: 'hidden', timeout: 5000 });
        await new Promise((r) => setTimeout(r, 1000));
        assert.ok(!(await wb.notifications()).some((n) => /Upscaling huge/.test(n.text)), 'no job started');
        assert.ok(!results().some((r) => r.startsWith('huge')));
      },
    );

    await wb.step('upscale big.png and cancel it mid-way from the progress notification', async () => {
      await wb.closeNotifications();
      await contextMenu(wb, 'big.png', 'Upscale with SRGAN');
      await wb.pickQuickPick('×4 · Faithful (fidelity)');
      const toast = wb.page.locator('.notification-list-item', { hasText: 'Upscaling big.png' }).first();
      await wb.waitFor(async () => /[1-9]\d?% \(tile/.test((await toast.textContent().catch(() => '')) ?? ''), {
        timeout: 120_000,
        message: 'the progress notification showing a percent above 0',
      });
      await wb.screenshot('cancel-progress');
      await toast.locator('.monaco-button, a.monaco-button', { hasText: 'Cancel' }).first().click();
      await wb.waitForNotification(/cancelled: nothing was written/, { timeout: 60_000 });
    });

    await wb.step('nothing of big.png was written (no result, no partial file)', async () => {
      await new Promise((r) => setTimeout(r, 1500));
      assert.deepEqual(results(), ['photo.x4-2.png', 'photo.x4.png']);
      assert.ok(
        !readdirSync(workspace).some((n) => n.startsWith('.')),
        `hidden files: ${readdirSync(workspace).join(', ')}`,
      );
    });

    await wb.step(
      'palette: "GAN: Import Upscaling Model…" -> choose srvgg-x4.pth -> a notification says what it is',
      async () => {
        await wb.closeNotifications();
        await wb.runCommand('GAN: Import Upscaling Model…');
        await chooseFile(wb, file('srvgg-x4.pth'), 'Import');
        const n = await wb.waitForNotification(/Imported srvgg-x4: SRVGGNetCompact x4 \(/, { timeout: 120_000 });
        assert.equal(n.severity, 'info');
        await wb.screenshot('imported');
      },
    );

    await wb.step('the upscale pick lists it under "Imported models"; photo.png upscaled with it', async () => {
      await wb.closeNotifications();
      await contextMenu(wb, 'photo.png', 'Upscale with SRGAN');
      await wb.quickPickRow('×4 · srvgg-x4');
      const labels = await wb.quickPickLabels();
      assert.ok(labels.includes('×4 · Faithful (fidelity)'), `the pick lists ${labels.join(', ')}`);
      await wb.pickQuickPick('×4 · srvgg-x4');
      const out = file('photo.x4-3.png');
      await wb.waitFor(() => existsSync(out), { timeout: 120_000, message: `${out}` });
      const src = pngSize(file('photo.png'));
      assert.deepEqual(pngSize(out), { width: src.width * 4, height: src.height * 4 });
      const f = await compareFrame();
      await wb.waitFor(
        async () =>
          /Upscaled ×4 with srvgg-x4 in/.test(
            (await f
              .locator('.info .note')
              .textContent()
              .catch(() => '')) ?? '',
          ),
        {
          message: 'the compare view naming the imported model',
        },
      );
    });

    await wb.step(
      'explorer: right-click classifier.pth -> "Import as Upscaling Model" -> one line saying why',
      async () => {
        await wb.closeNotifications();
        await contextMenu(wb, 'classifier.pth', 'Import as Upscaling Model');
        const n = await wb.waitForNotification(/Cannot import "classifier\.pth"/, { timeout: 60_000 });
        assert.equal(n.severity, 'error');
        assert.match(n.text, /not an ESRGAN-family model/);
      },
    );

    await wb.step('the pick\'s trash button on "×4 · srvgg-x4" -> confirm "Remove" -> no longer listed', async () => {
      await wb.closeNotifications();
      await contextMenu(wb, 'photo.png', 'Upscale with SRGAN');
      const row = await wb.quickPickRow('×4 · srvgg-x4');
      await row.hover();
      await row.locator('.codicon-trash').first().click();
      const dialog = wb.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 15_000 });
      assert.match(await dialog.textContent(), /Remove the imported upscaling model "srvgg-x4"\?/);
      await wb.screenshot('remove-confirm');
      await dialog.locator('.monaco-button', { hasText: 'Remove' }).first().click();
      await dialog.waitFor({ state: 'hidden', timeout: 5000 });
      await wb.waitFor(
        async () => {
          const labels = await wb.quickPickLabels().catch(() => []);
          return labels.includes('×4 · Faithful (fidelity)') && !labels.includes('×4 · srvgg-x4');
        },
        {
          message: async () =>
            `the pick again, without srvgg-x4 (it lists ${await wb.quickPickLabels().catch(() => [])})`,
        },
      );
      await wb.page.keyboard.press('Escape');
    });

    await wb.step('select photo.png and photo.x4.png in the explorer: "Compare with…" compares the two', async () => {
      await wb.closeNotifications();
      const a = await wb.explorerRow('photo.png');
      const b = await wb.explorerRow('photo.x4.png');
      // The explorer re-renders when files appear: selectRows retries a selection it drops
      // (the command would then ask for the second file).
      const select = () =>
        wb.selectRows([a, b], { message: 'photo.png and photo.x4.png both selected in the explorer' });
      await wb.contextMenu(b, 'Compare with…', { before: select });
      const f = await compareFrame();
      await wb.waitFor(
        async () =>
          /photo\.x4\.png/.test(await f.locator('.info .file-after').textContent()) &&
          /photo\.png/.test(await f.locator('.info .file-before').textContent()),
        { message: 'photo.png vs photo.x4.png in the compare view' },
      );
      await f.locator('[data-mode="side"]').click();
    });

    for (const theme of ['Dark High Contrast', 'Dark Modern']) {
      await wb.step(`the compare view follows the "${theme}" theme`, async () => {
        await wb.runCommand('Preferences: Color Theme');
        await wb.pickQuickPick(theme, { filter: theme });
        await new Promise((r) => setTimeout(r, 1500));
      });
    }
  },
};
