// The inference commands' menu `when` clauses: Upscale and Translate for PNG, JPEG, WebP, AVIF,
// TIFF and GIF (what the engine decodes), Compare for PNG, JPEG and WebP; in the explorer, an editor's title bar and tab, the
// palette; never for folders or other files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { IMAGE_EXT_WHEN_REGEX, INFER_EXT_WHEN_REGEX } from '../../../src/shared/imageFiles';

const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
const OURS = ['ganStudio.upscaleImage', 'ganStudio.translateImage', 'ganStudio.compareImages'];
type Ctx = Record<string, string | boolean | undefined>;

/** The subset of VS Code's when-clause language these menus use: terms joined by &&. */
function evaluate(when: string, ctx: Ctx): boolean {
  assert.ok(!when.includes('||'), `unexpected || in ${when}`);
  return when
    .split('&&')
    .map((t) => t.trim())
    .every((t) => {
      let m = /^(\w+) =~ \/(.*)\/(\w*)$/.exec(t);
      if (m) return new RegExp(m[2], m[3]).test(String(ctx[m[1]] ?? ''));
      m = /^(\w+) == ([\w.]+)$/.exec(t);
      if (m) return String(ctx[m[1]]) === m[2];
      m = /^(!?)([\w.]+)$/.exec(t);
      if (m) return m[1] ? !ctx[m[2]] : !!ctx[m[2]];
      throw new Error(`cannot evaluate "${t}"`);
    });
}

const file = (name: string, extra: Ctx = {}): Ctx => ({
  resourceScheme: 'file',
  resourceExtname: path.extname(name),
  resourceFilename: name,
  explorerResourceIsFolder: false,
  ...extra,
});

const entries = () =>
  Object.entries(pkg.contributes.menus as Record<string, { command: string; when?: string }[]>).flatMap(
    ([menu, items]) => items.filter((i) => OURS.includes(i.command)).map((i) => ({ menu, ...i })),
  );

test('every command is contributed and every image menu uses the shared regex', () => {
  const cmds = (pkg.contributes.commands as { command: string; title: string; category: string }[]).filter((c) =>
    OURS.includes(c.command),
  );
  assert.deepEqual(
    cmds.map((c) => c.title),
    ['Upscale with SRGAN', 'Translate Image with Model…', 'Compare with…'],
  );
  for (const m of ['explorer/context', 'editor/title', 'editor/title/context', 'commandPalette']) {
    for (const id of OURS)
      assert.ok(
        entries().some((e) => e.menu === m && e.command === id),
        `${id} in ${m}`,
      );
  }
  for (const e of entries().filter((x) => x.menu !== 'view/item/context')) {
    const re = e.command === 'ganStudio.compareImages' ? IMAGE_EXT_WHEN_REGEX : INFER_EXT_WHEN_REGEX;
    assert.ok(e.when?.includes(`resourceExtname =~ ${re}`), `${e.menu} ${e.command}: ${e.when}`);
  }
});

test('image menus show for their image types in any case, and nothing else', () => {
  const everywhere = ['photo.png', 'photo.PNG', 'a.jpg', 'a.JPEG', 'a.jpeg', 'b.webp', 'c.WebP'];
  const engineOnly = ['a.avif', 'a.tif', 'a.TIFF', 'a.gif'];
  const no = ['a.bmp', 'a.svg', 'a.txt', 'a.png.txt', 'a.pngx', 'gan.config.json', 'noext', 'a.heic'];
  for (const e of entries().filter((x) => x.menu !== 'view/item/context')) {
    const compare = e.command === 'ganStudio.compareImages';
    for (const n of [...everywhere, ...(compare ? [] : engineOnly)])
      assert.ok(evaluate(e.when as string, file(n)), `${e.menu} ${e.command} hides ${n}`);
    for (const n of [...no, ...(compare ? engineOnly : [])])
      assert.ok(!evaluate(e.when as string, file(n)), `${e.menu} ${e.command} shows ${n}`);
    // Not for remote/virtual files (the engine reads local paths).
    assert.ok(
      !evaluate(e.when as string, file('a.png', { resourceScheme: 'untitled' })),
      `${e.menu} ${e.command} on untitled`,
    );
  }
  for (const e of entries().filter((x) => x.menu === 'explorer/context')) {
    assert.ok(
      !evaluate(e.when as string, file('folder.png', { explorerResourceIsFolder: true })),
      `${e.command} on a folder named *.png`,
    );
  }
});

test('translate from the Runs tree: checkpoints only', () => {
  const e = entries().find((x) => x.menu === 'view/item/context');
  assert.equal(e?.command, 'ganStudio.translateImage');
  const ctx = (viewItem: string): Ctx => ({ view: 'ganStudio.runs', viewItem });
  assert.ok(evaluate(e.when as string, ctx('ganCheckpoint latest')));
  assert.ok(evaluate(e.when as string, ctx('ganCheckpoint')));
  assert.ok(!evaluate(e.when as string, ctx('ganSample')));
  assert.ok(!evaluate(e.when as string, ctx('ganRun idle resumable')));
});

test('a setting skips the choice; the compare view restores after a reload', () => {
  const s = pkg.contributes.configuration.properties['ganStudio.upscale.askForModel'];
  assert.equal(s.type, 'boolean');
  assert.equal(s.default, true);
  assert.ok(pkg.activationEvents.includes('onWebviewPanel:ganStudio.compare'));
});
