// Drives the VS Code workbench that code-server serves, the way a user does: command
// palette, quick picks, explorer context menus, view containers, webviews, notifications.
// Every step() leaves a screenshot in the scenario's results folder.
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exact = (s) => new RegExp(`^\\s*${escapeRe(s)}\\s*$`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A step that failed: which one, and why. */
export class StepError extends Error {
  constructor(index, name, cause) {
    super(`step ${index} "${name}" failed: ${cause?.message ?? cause}`);
    this.index = index;
    this.step = name;
    this.cause = cause;
  }
}

export class Workbench {
  /**
   * @param page a Playwright page
   * @param server the CodeServer serving it
   * @param outDir where this scenario's screenshots go
   */
  constructor(page, server, outDir) {
    this.page = page;
    this.server = server;
    this.outDir = outDir;
    this.stepNo = 0;
    this.screenshots = [];
    this.consoleErrors = [];
    this.log = [];
    this.failOnErrorNotification = true;
    mkdirSync(outDir, { recursive: true });
    page.on('console', (m) => {
      if (m.type() === 'error') this.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => this.consoleErrors.push(`pageerror: ${e.message}`));
  }

  // ---------------------------------------------------------------- steps and screenshots

  /** Runs fn as a named step; screenshots after it (or at the failure, then rethrows as StepError). */
  async step(name, fn) {
    const index = ++this.stepNo;
    const slug = `${String(index).padStart(2, '0')}-${name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60)}`;
    const t0 = Date.now();
    this.currentStep = `${index} "${name}"`;
    try {
      const result = await fn();
      await this.screenshot(slug);
      this.log.push(`    ok   ${index}. ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      console.log(this.log.at(-1));
      return result;
    } catch (e) {
      await this.screenshot(`${slug}-FAILED`);
      this.log.push(`    FAIL ${index}. ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      console.log(this.log.at(-1));
      throw e instanceof StepError ? e : new StepError(index, name, e);
    }
  }

  async screenshot(name) {
    const file = path.join(this.outDir, `${name}.png`);
    try {
      await this.page.screenshot({ path: file, timeout: 15_000 });
      this.screenshots.push(file);
    } catch (e) {
      console.log(`    (no screenshot ${name}: ${e.message.split('\n')[0]})`);
    }
    return file;
  }

  // ---------------------------------------------------------------- the workbench

  /** Loads the workbench and waits until the workspace folder shows in the explorer. */
  async open({ timeout = 90_000 } = {}) {
    const { page } = this;
    await page.goto(this.server.url, { timeout });
    await page.locator('.monaco-workbench').waitFor({ timeout });
    await page.locator('.part.activitybar, .part.statusbar').first().waitFor({ timeout });
    const folderName = path.basename(this.server.folder);
    await page
      .locator('.explorer-folders-view, .pane-header')
      .filter({ hasText: new RegExp(escapeRe(folderName), 'i') })
      .first()
      .waitFor({ timeout })
      .catch(() => {
        throw new Error(`the explorer never showed the workspace folder ${folderName}`);
      });
    await this.closeNotifications();
  }

  /**
   * Waits for a condition (async fn returning truthy), polling; throws `message` on timeout
   * (a function is called then, so it can describe what the page shows at that moment).
   * Fails at once when an error notification shows (unless `allowErrorNotifications` or
   * wb.failOnErrorNotification = false): a failure the user sees should not wait out a timeout.
   */
  async waitFor(fn, { timeout = 30_000, interval = 250, message = 'condition', allowErrorNotifications = false } = {}) {
    const t0 = Date.now();
    let last;
    for (;;) {
      if (this.failOnErrorNotification && !allowErrorNotifications) {
        const err = (await this.notifications().catch(() => [])).find((n) => n.severity === 'error');
        if (err)
          throw new Error(
            `an error notification showed while waiting for ${typeof message === 'function' ? 'a condition' : message}: "${err.text}"`,
          );
      }
      try {
        last = await fn();
        if (last) return last;
      } catch (e) {
        last = e;
      }
      if (Date.now() - t0 > timeout) {
        const why = last instanceof Error ? ` (last error: ${last.message.split('\n')[0]})` : '';
        const what =
          typeof message === 'function'
            ? await Promise.resolve()
                .then(message)
                .catch((e) => `(message failed: ${e.message})`)
            : message;
        throw new Error(`timed out after ${(timeout / 1000).toFixed(0)} s waiting for ${what}${why}`);
      }
      await sleep(interval);
    }
  }

  // ---------------------------------------------------------------- command palette and quick input

  get quickInput() {
    return this.page.locator('.quick-input-widget');
  }

  async closeQuickInput() {
    if (await this.quickInput.isVisible().catch(() => false)) {
      await this.page.keyboard.press('Escape');
      await this.quickInput.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
    }
  }

  /** Opens the command palette with `text` typed (">" prefix for commands). */
  async openPalette(text = '>') {
    await this.closeQuickInput();
    await this.page
      .locator('.monaco-workbench')
      .click({ position: { x: 5, y: 5 }, trial: true })
      .catch(() => {});
    const input = this.quickInput.locator('.quick-input-box input');
    // While an editor that just opened (an image preview: a webview) is still taking focus, F1
    // can get lost or the palette close again as focus lands: open it again rather than wait
    // for a palette that is gone.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.page.keyboard.press('F1');
        await input.waitFor({ state: 'visible', timeout: 4000 });
        await input.fill(text, { timeout: 4000 });
        if (await input.isVisible()) return input;
        throw new Error('the command palette closed as it opened');
      } catch (e) {
        if (attempt === 4) throw e;
        await this.closeQuickInput();
        await sleep(1000);
      }
    }
  }

  /** The labels the open quick input lists right now (only rendered rows: the list is virtual). */
  async quickPickLabels() {
    return this.quickInput
      .locator('.quick-input-list .monaco-list-row .label-name')
      .evaluateAll((els) => els.map((e) => e.textContent.trim()));
  }

  /** The row of the open quick input whose label is exactly `label`; waits for it. */
  async quickPickRow(label, { timeout = 15_000 } = {}) {
    const row = this.quickInput
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exact(label) }) })
      .first();
    try {
      await row.waitFor({ state: 'visible', timeout });
    } catch {
      const shown = await this.quickPickLabels().catch(() => []);
      const msg = await this.quickInput
        .locator('.quick-input-message, .quick-input-list .monaco-list-row.empty')
        .allTextContents()
        .catch(() => []);
      throw new Error(
        `"${label}" is not in the quick pick; it lists [${shown.map((s) => JSON.stringify(s)).join(', ')}]${msg.join(' ').trim() ? ` (${msg.join(' ').trim()})` : ''}`,
      );
    }
    return row;
  }

  /** Runs a command from the palette by its full title as shown ("GAN: Train GAN"). */
  async runCommand(title, { timeout = 15_000 } = {}) {
    await this.openPalette(`>${title}`);
    const row = await this.quickPickRow(title, { timeout });
    await row.click();
    await this.quickInput.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
  }

  /** True if the palette lists a command with exactly this title. */
  async paletteHas(title, { timeout = 5000 } = {}) {
    await this.openPalette(`>${title}`);
    try {
      await this.quickPickRow(title, { timeout });
      return true;
    } catch {
      return false;
    } finally {
      await this.closeQuickInput();
    }
  }

  /**
   * Accepts the open quick input's highlighted item with Enter and waits for it to close. As
   * with F1 in openPalette, an editor still taking focus (an image preview: a webview) can
   * swallow the key: Enter is pressed again only while the quick input is still open, which a
   * second accept of the same pick cannot harm.
   */
  async acceptQuickPick({ timeout = 15_000 } = {}) {
    await this.page.keyboard.press('Enter');
    await this.waitFor(
      async () => {
        if (!(await this.quickInput.isVisible().catch(() => false))) return true;
        await this.page.keyboard.press('Enter');
        return false;
      },
      { timeout, interval: 1000, message: 'the quick input closes on Enter' },
    );
  }

  /** In an open quick pick (shown by a command), chooses the item labelled `label`. Types `filter` first if given. */
  async pickQuickPick(label, { filter, timeout = 15_000 } = {}) {
    await this.quickInput.waitFor({ state: 'visible', timeout });
    if (filter !== undefined) await this.quickInput.locator('.quick-input-box input').fill(filter);
    const row = await this.quickPickRow(label, { timeout });
    await row.click();
  }

  /** In an open input box (shown by a command), types `text` and presses Enter. */
  async answerInputBox(text, { timeout = 15_000 } = {}) {
    const input = this.quickInput.locator('.quick-input-box input');
    await input.waitFor({ state: 'visible', timeout });
    await input.fill(text);
    await input.press('Enter');
  }

  /**
   * Answers an open/save dialog. In the browser VS Code shows its "simple file dialog", a quick
   * input whose box holds a path: type the folder (with a trailing slash, so the dialog goes
   * into it), wait until it lists that folder, then press the dialog's OK button (`okLabel`).
   */
  async answerFileDialog(folderPath, { okLabel, timeout = 15_000 } = {}) {
    const input = this.quickInput.locator('.quick-input-box input');
    await input.waitFor({ state: 'visible', timeout });
    const want = folderPath.endsWith('/') ? folderPath : `${folderPath}/`;
    // The dialog may still be loading its start folder, which resets the box: type again
    // until the box keeps the path and the dialog has stopped loading.
    const busy = () =>
      this.quickInput
        .locator('.quick-input-progress .progress-bit')
        .isVisible()
        .catch(() => false);
    let kept = 0;
    await this.waitFor(
      async () => {
        if ((await input.inputValue()) !== want) {
          kept = 0;
          await input.fill(want);
          return false;
        }
        return !(await busy()) && ++kept >= 3;
      },
      { timeout, message: async () => `the file dialog to keep ${want} (it shows "${await input.inputValue()}")` },
    );
    const ok = this.quickInput
      .locator('.quick-input-action .monaco-button, .quick-input-header .monaco-button', {
        hasText: okLabel ? exact(okLabel) : /./,
      })
      .first();
    await ok.waitFor({ state: 'visible', timeout }).catch(async () => {
      const shown = await this.quickInput.locator('.monaco-button').allTextContents();
      throw new Error(`the file dialog has no "${okLabel}" button; it shows [${shown.join(', ')}]`);
    });
    await ok.click();
    // Accepted = the dialog's own button is gone. The quick input itself may stay open: the
    // command's next question (a quick pick) reuses the same widget at once.
    await ok.waitFor({ state: 'hidden', timeout }).catch(async () => {
      const msg = await this.quickInput
        .locator('.quick-input-message')
        .textContent()
        .catch(() => '');
      throw new Error(`the file dialog did not accept ${want}${msg?.trim() ? `: "${msg.trim()}"` : ''}`);
    });
  }

  // ---------------------------------------------------------------- editors

  /** The editor tabs (all groups): { label: file name, description, active }. */
  async editorTabs() {
    return this.page.locator('.tabs-container .tab').evaluateAll((els) =>
      els.map((e) => ({
        // The file name with its extension (.label-name holds only "gan.config" of it).
        label: (e.getAttribute('aria-label') ?? '').split(',')[0].trim(),
        description: (e.querySelector('.label-description')?.textContent ?? '').trim(),
        active: e.classList.contains('active'),
      })),
    );
  }

  /** The titles of the CodeLenses the visible editors show right now. */
  async codeLensTitles() {
    return this.page
      .locator('.editor-instance .codelens-decoration a, .editor-instance .codelens-decoration span')
      .evaluateAll((els) => els.map((e) => e.textContent.trim()).filter(Boolean));
  }

  /** Waits for a CodeLens whose title matches `title` (string = exact; a RegExp sees the text after the icon's space) and clicks it. */
  async clickCodeLens(title, { timeout = 30_000 } = {}) {
    const re = title instanceof RegExp ? title : exact(title);
    const lens = this.page.locator('.editor-instance .codelens-decoration a').filter({ hasText: re }).first();
    await this.waitFor(() => lens.isVisible(), { timeout, message: `a CodeLens ${re}` }).catch(async (e) => {
      throw new Error(
        `${e.message}; the editors show lenses [${(await this.codeLensTitles()).map((s) => JSON.stringify(s)).join(', ')}]`,
      );
    });
    await lens.click();
  }

  // ---------------------------------------------------------------- explorer

  /** Shows the explorer and returns the row of a workspace-relative path, expanding folders on the way. */
  async explorerRow(relPath, { timeout = 15_000 } = {}) {
    const { page } = this;
    await this.runCommand('View: Show Explorer');
    const view = page.locator('.explorer-folders-view');
    await view.waitFor({ timeout });
    const parts = relPath.split('/').filter(Boolean);
    let row;
    for (let i = 0; i < parts.length; i++) {
      row = view
        .locator('.monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: exact(parts[i]) }) })
        .first();
      await row.waitFor({ timeout }).catch(async () => {
        const shown = await view.locator('.monaco-list-row .label-name').allTextContents();
        throw new Error(`explorer has no "${parts.slice(0, i + 1).join('/')}"; it shows [${shown.join(', ')}]`);
      });
      if (i < parts.length - 1 && (await row.getAttribute('aria-expanded')) === 'false') await row.click();
    }
    return row;
  }

  /** Right-clicks a file in the explorer and chooses a context menu item by its label. */
  async explorerContextMenu(relPath, itemLabel, { timeout = 15_000 } = {}) {
    const row = await this.explorerRow(relPath, { timeout });
    await this.contextMenu(row, itemLabel, { before: () => row.click(), timeout });
  }

  /** Selects exactly `rows` of a list or tree (click, then Ctrl+click), retried until all are
   * selected: a list that re-renders (new files, a refreshed tree) drops a selection made
   * mid-refresh. */
  async selectRows(rows, { message = 'the rows selected', timeout = 20_000 } = {}) {
    await this.waitFor(
      async () => {
        for (const [i, row] of rows.entries()) await row.click(i ? { modifiers: ['Control'] } : {});
        for (const row of rows) if ((await row.getAttribute('aria-selected')) !== 'true') return false;
        return true;
      },
      { timeout, interval: 1000, message },
    );
  }

  /** Right-clicks `target` and chooses a context menu item by its label. A right-click that
   * lands while a tree re-renders opens no menu, so it is tried again, after `before` (e.g.
   * selecting the rows again) each time. */
  async contextMenu(target, itemLabel, { before, tries = 4, timeout = 15_000 } = {}) {
    const menu = this.page.locator('.context-view .monaco-menu').first();
    for (let i = 1; ; i++) {
      if (before) await before();
      await target.click({ button: 'right' });
      const shown = await menu.waitFor({ timeout: 4000 }).then(
        () => true,
        () => false,
      );
      if (shown) break;
      if (i >= tries) throw new Error(`no context menu opened after ${tries} right-clicks`);
      console.log(`    (no context menu after right-click ${i} for "${itemLabel}": trying again)`);
      await this.page.keyboard.press('Escape');
    }
    await this.chooseMenuItem(itemLabel, { timeout });
  }

  /** Chooses an item of the open context menu (menus live in a shadow root; locators pierce it). */
  async chooseMenuItem(itemLabel, { timeout = 15_000 } = {}) {
    const menu = this.page.locator('.context-view .monaco-menu').first();
    await menu.waitFor({ timeout });
    const item = menu
      .locator('.action-item')
      .filter({ has: this.page.locator('.action-label', { hasText: exact(itemLabel) }) })
      .first();
    if (!(await item.count())) {
      const shown = await menu.locator('.action-item .action-label').allTextContents();
      await this.page.keyboard.press('Escape');
      throw new Error(
        `the context menu has no "${itemLabel}"; it lists [${shown
          .filter((s) => s.trim())
          .map((s) => JSON.stringify(s.trim()))
          .join(', ')}]`,
      );
    }
    await item.click();
    // A click that lands just as the menu opens can be swallowed (the menu then stays open with
    // the item highlighted): activate the highlighted item from the keyboard instead.
    await menu.waitFor({ state: 'hidden', timeout: 2000 }).catch(async () => {
      await item.hover();
      await this.page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden', timeout });
    });
  }

  // ---------------------------------------------------------------- views

  /** Clicks a view container in the activity bar (e.g. "GAN Studio") unless it is already open. */
  async openViewContainer(title, { timeout = 15_000 } = {}) {
    const item = this.page
      .locator(`.part.activitybar .action-item a[aria-label^="${title.replace(/"/g, '\\"')}"]`)
      .first();
    await item.waitFor({ timeout }).catch(async () => {
      const shown = await this.page
        .locator('.part.activitybar .action-item a')
        .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
      throw new Error(`no "${title}" in the activity bar; it shows [${shown.join(', ')}]`);
    });
    const li = item.locator('xpath=..');
    const shownTitle = this.page
      .locator('.part.sidebar .composite.title')
      .filter({ hasText: new RegExp(escapeRe(title), 'i') })
      .first();
    const isChecked = async () =>
      (await li.getAttribute('aria-pressed')) === 'true' || /checked/.test((await li.getAttribute('class')) ?? '');
    // Clicking an already-open container closes the side bar, and the extension may reveal its
    // own view at any moment (a run starting does): so look, click only when closed, look again.
    await this.waitFor(
      async () => {
        if (await shownTitle.isVisible()) return true;
        if (!(await isChecked())) {
          await item.click();
          await shownTitle.waitFor({ timeout: 1500 }).catch(() => {});
        }
        return shownTitle.isVisible();
      },
      { timeout, interval: 500, message: `the side bar to show "${title}"` },
    );
  }

  /** The header of a view pane in the side bar, by its name ("Runs"). Expands it if collapsed. */
  async viewPane(name, { timeout = 15_000 } = {}) {
    const pane = this.page
      .locator('.part.sidebar .pane')
      .filter({ has: this.page.locator('.pane-header .title', { hasText: exact(name) }) })
      .first();
    await pane.waitFor({ timeout }).catch(async () => {
      const shown = await this.page.locator('.part.sidebar .pane-header .title').allTextContents();
      throw new Error(`no view "${name}" in the side bar; it shows [${shown.join(', ')}]`);
    });
    const header = pane.locator('.pane-header').first();
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    return pane;
  }

  /** Labels of the rows of a tree view ("Runs"), as rendered. */
  async treeLabels(viewName) {
    const pane = await this.viewPane(viewName);
    return pane
      .locator('.monaco-list-row .label-name, .monaco-list-row .monaco-highlighted-label')
      .evaluateAll((els) => [...new Set(els.map((e) => e.textContent.trim()))].filter(Boolean));
  }

  /** The row of a tree view whose label is `label` (exact string or RegExp); waits for it. */
  async treeRow(viewName, label, { timeout = 15_000 } = {}) {
    const pane = await this.viewPane(viewName, { timeout });
    const re = label instanceof RegExp ? label : exact(label);
    const row = pane
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name, .monaco-highlighted-label', { hasText: re }) })
      .first();
    await row.waitFor({ timeout }).catch(async () => {
      const shown = await pane
        .locator('.monaco-list-row .label-name')
        .allTextContents()
        .catch(() => []);
      throw new Error(
        `the "${viewName}" view has no row ${re}; it shows [${shown.map((s) => JSON.stringify(s.trim())).join(', ')}]`,
      );
    });
    return row;
  }

  /** Expands a collapsed tree row and waits until it is expanded. */
  async expandTreeRow(row, { timeout = 10_000 } = {}) {
    if ((await row.getAttribute('aria-expanded')) === 'false') {
      await row
        .locator('.monaco-tl-twistie')
        .click()
        .catch(() => row.click());
    }
    await this.waitFor(async () => (await row.getAttribute('aria-expanded')) !== 'false', {
      timeout,
      message: 'the tree row to expand',
    });
  }

  // ---------------------------------------------------------------- webviews

  /**
   * The frame of a webview (panel or view) whose document has `selector`. Webviews are nested
   * iframes (an outer host frame and the inner content frame); this finds the inner one.
   */
  async webview(selector, { timeout = 30_000 } = {}) {
    return this.waitFor(
      async () => {
        for (const f of this.page.frames()) {
          if (f === this.page.mainFrame() || !f.parentFrame()) continue;
          if (
            await f
              .locator(selector)
              .count()
              .catch(() => 0)
          )
            return f;
        }
        return undefined;
      },
      { timeout, message: `a webview containing ${selector} (webview frames: ${this.page.frames().length - 1})` },
    );
  }

  // ---------------------------------------------------------------- notifications

  /** Current notifications: { text, severity: 'error'|'warning'|'info' }. */
  async notifications() {
    return this.page.locator('.notification-list-item').evaluateAll((els) =>
      els.map((e) => ({
        text: (e.querySelector('.notification-list-item-message')?.textContent ?? '').trim(),
        severity: e.querySelector('.codicon-error, .codicon-notifications-error, .severity-error')
          ? 'error'
          : e.querySelector('.codicon-warning, .codicon-notifications-warning, .severity-warning')
            ? 'warning'
            : 'info',
      })),
    );
  }

  /** Waits for a notification whose text matches `re`; returns it. */
  async waitForNotification(re, { timeout = 30_000 } = {}) {
    const pattern = typeof re === 'string' ? new RegExp(escapeRe(re)) : re;
    return this.waitFor(async () => (await this.notifications()).find((n) => pattern.test(n.text)), {
      timeout,
      allowErrorNotifications: true,
      message: `a notification matching ${pattern}`,
    }).catch(async (e) => {
      const shown = await this.notifications().catch(() => []);
      throw new Error(
        `${e.message}; notifications shown: [${shown.map((n) => `${n.severity}: ${n.text}`).join(' | ')}]`,
      );
    });
  }

  async closeNotifications() {
    await this.page.keyboard.press('Escape').catch(() => {});
    const close = this.page.locator(
      '.notification-toast .codicon-notifications-clear, .notification-toast .codicon-close',
    );
    for (let i = 0; i < 10 && (await close.count()); i++)
      await close
        .first()
        .click({ timeout: 2000 })
        .catch(() => {});
  }
}
