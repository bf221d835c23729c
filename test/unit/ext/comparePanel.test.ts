// The compare panel on the mocked `vscode`: the page and its narrow roots, one panel reused for
// every pair, the page's "ready" answered with a valid "show", and closing the panel taking
// its listeners off (a new one opens next time).
import { mock } from './installVscodeMock';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ComparePanel } from '../../../src/extension/compare/comparePanel';
import { parseCompareHostMessage } from '../../../src/shared/compareProtocol';
import { fakePanel, until } from './fakePanel';

test('compare panel: one panel for every pair, "ready" answered, closing it takes its listeners off', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gan-compare-'));
  const [a, b, c] = ['a.png', 'a.x4.png', 'b.png'].map((n) => path.join(dir, n));
  for (const f of [a, b, c]) writeFileSync(f, 'not really a PNG');
  const panels: ReturnType<typeof fakePanel>[] = [];
  Object.assign(mock.vscode.window, { createWebviewPanel: () => panels[panels.push(fakePanel()) - 1] });
  const ext = mock.vscode.Uri.file('/ext') as unknown as import('vscode').Uri;
  try {
    ComparePanel.show(ext, a, b, 'Upscaled ×4');
    assert.equal(panels.length, 1);
    const p = panels[0];
    assert.match(p.webview.html, /<body data-view="compare">/);
    assert.match(
      p.webview.html,
      /src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\/compare\.js"/,
    );
    assert.ok(!p.webview.html.includes('aria-live'), 'the compare page changes on every key press: not live');
    assert.deepEqual(
      p.webview.options.localResourceRoots?.map((u) => u.fsPath),
      ['/ext/dist/webview', dir],
    );
    assert.equal(p.title, 'a.png ↔ a.x4.png');

    p.message.fire({ type: 'ready' });
    await until(() => p.posted.length > 0);
    const show = parseCompareHostMessage(p.posted[0]);
    assert.deepEqual([show?.files, show?.note, show?.after.name], [{ before: a, after: b }, 'Upscaled ×4', 'a.x4.png']);

    ComparePanel.show(ext, a, c);
    assert.deepEqual([panels.length, p.revealed, p.title], [1, 1, 'a.png ↔ b.png']);

    p.dispose();
    assert.deepEqual([p.message.listeners.size, p.disposed.listeners.size], [0, 0]);
    ComparePanel.show(ext, a, b);
    assert.equal(panels.length, 2, 'a closed panel is not reused');
    panels[1].dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
