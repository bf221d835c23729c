// Scenario 1: the installed .vsix activates with no errors, shows its activity bar container
// and views, registers a handler for every command it contributes, and the palette lists
// every GAN command. Everything expected comes from package.json, so this follows the
// manifest as features land.
import assert from 'node:assert/strict';
import { contributedCommands, activityBarContainers } from '../lib/manifest.mjs';
import { formatEntries } from '../lib/logs.mjs';

export default {
  name: 'activation: no errors, views shown, every GAN command registered and in the palette',
  timeout: 240_000,
  async run({ wb, manifest, extensionId, extensionLog, probe }) {
    const commands = contributedCommands(manifest);
    const containers = activityBarContainers(manifest);

    await wb.step('open the workbench on the workspace', () => wb.open());

    await wb.step('the manifest contributes GAN commands and a view container', async () => {
      assert.ok(commands.length > 0, 'package.json contributes no commands');
      const notGan = commands.filter((c) => c.category !== 'GAN');
      assert.deepEqual(
        notGan.map((c) => c.id),
        [],
        'every command should be in category "GAN"',
      );
      assert.ok(containers.length > 0, 'package.json contributes no activity bar container');
    });

    for (const container of containers) {
      await wb.step(`open "${container.title}" in the activity bar; its views show`, async () => {
        await wb.openViewContainer(container.title);
        for (const v of container.views) await wb.viewPane(v.name);
      });
    }

    await wb.step('the extension host activated the extension without an error', async () => {
      await wb.waitFor(() => extensionLog().activated, {
        timeout: 60_000,
        message: `"_doActivateExtension ${extensionId}" in the extension host log`,
      });
      await new Promise((r) => setTimeout(r, 1000)); // activate() runs after that line is logged
      const failed = extensionLog().errors.filter(
        (e) => /activating extension .* failed/i.test(e.text) || /^Error:/m.test(e.text),
      );
      assert.equal(failed.length, 0, `activate() failed:\n${formatEntries(extensionLog().errors)}`);
    });

    await wb.step('the Live Preview webview renders (its script ran under the webview CSP)', async () => {
      await wb.openViewContainer(containers[0].title);
      const frame = await wb.webview('body[data-view="preview"]', { timeout: 60_000 });
      await wb.waitFor(async () => (await frame.locator('#app').evaluate((e) => e.childElementCount)) > 0, {
        timeout: 30_000,
        message: 'the Live Preview to render into #app',
      });
    });

    await wb.step('every contributed command has a registered handler', async () => {
      const report = await probe();
      assert.ok(report.extension, `the extension host does not know ${extensionId}`);
      assert.equal(report.extension.isActive, true, `${extensionId} is installed but not active`);
      const registered = new Set(report.commands);
      const missing = commands.filter((c) => !registered.has(c.id)).map((c) => `${c.id} ("${c.paletteTitle}")`);
      assert.deepEqual(
        missing,
        [],
        `contributed in package.json but not registered by activate(): ${missing.join(', ')}`,
      );
    });

    await wb.step('the palette lists the GAN commands', async () => {
      await wb.openPalette('>GAN: ');
      await wb.quickPickRow(commands.find((c) => c.inIdlePalette).paletteTitle);
    });

    await wb.step(
      'every GAN command meant for an idle workspace can be found in the palette by its title',
      async () => {
        const absent = [];
        for (const c of commands.filter((x) => x.inIdlePalette))
          if (!(await wb.paletteHas(c.paletteTitle))) absent.push(c.paletteTitle);
        assert.deepEqual(absent, [], `not in the command palette: ${absent.join(', ')}`);
      },
    );

    await wb.step('no errors from the extension: host log, notifications, browser console', async () => {
      const log = extensionLog();
      assert.equal(
        log.errors.length,
        0,
        `extension host log errors about ${extensionId}:\n${formatEntries(log.errors)}`,
      );
      const errs = (await wb.notifications()).filter((n) => n.severity === 'error');
      assert.deepEqual(
        errs.map((n) => n.text),
        [],
        'error notifications are showing',
      );
      const consoleOurs = wb.consoleErrors.filter((t) => t.includes(extensionId) || /ganStudio\./.test(t));
      assert.deepEqual(consoleOurs, [], 'browser console errors naming the extension');
    });
  },
};
