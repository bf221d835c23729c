// "Explore Latent Space" on the mocked `vscode`: a checkpoint row of the Runs tree opens the page
// `explore` (the bundle its only resource root: images come as data: URLs), "ready" is answered
// with the checkpoint's classes, a grid request goes to the inference service and its images to
// the page, hostile messages are ignored, the same checkpoint reuses its panel; the palette
// offers latent runs only; a translating checkpoint gets an error and no panel.
import { mock } from './installVscodeMock';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exploreCommand } from '../../../src/extension/explore/exploreCommand';
import type { InferContext } from '../../../src/extension/infer/context';
import type { InferService } from '../../../src/extension/infer/inferService';
import type { RunSummary } from '../../../src/extension/runIndex/runsIndex';
import type { LatentSamplesJob } from '../../../src/shared/inferProtocol';
import { fakePanel, until } from './fakePanel';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'checkpoints-8094b05');
// folderOf tells Uris by `instanceof vscode.Uri`: the mock's Uri must be a class for that.
mock.vscode.Uri = Object.assign(class {}, mock.vscode.Uri);

function setup() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gan-explore-panel-'));
  const run = path.join(root, 'digits');
  cpSync(path.join(FIXTURES, 'cgan'), path.join(run, 'checkpoints', 'latest'), { recursive: true });
  writeFileSync(path.join(run, 'config.json'), JSON.stringify({ model: 'cgan' }));
  const jobs: LatentSamplesJob[] = [];
  const service = {
    submit: (job: LatentSamplesJob) => {
      jobs.push(job);
      const n = job.seeds.length * (job.labels?.length ?? 1);
      const images = Array.from({ length: n }, () => 'iVBORw0KGgo=');
      return {
        id: jobs.length,
        cancel() {
          /* */
        },
        result: Promise.resolve({
          status: 'done',
          result: { kind: 'latentSamples', width: 12, height: 12, images, model: 'cgan', seconds: 0 },
        }),
      };
    },
  } as unknown as InferService;
  const summary = (runDir: string, model: string) =>
    ({ runDir, name: path.basename(runDir), model, step: 2, hasLatest: true }) as unknown as RunSummary;
  const ctx = { service, runs: () => [summary(run, 'cgan'), summary('/w/pix', 'pix2pix')] } as unknown as InferContext;
  const panels: ReturnType<typeof fakePanel>[] = [];
  const titles: string[] = [];
  Object.assign(mock.vscode.window, {
    createWebviewPanel: (_id: string, title: string) => {
      titles.push(title);
      return panels[panels.push(fakePanel()) - 1];
    },
  });
  const ext = mock.vscode.Uri.file('/ext') as unknown as import('vscode').Uri;
  return { root, run, jobs, ctx, panels, titles, ext, done: () => rmSync(root, { recursive: true, force: true }) };
}

test('a checkpoint row opens the explorer; ready -> classes; grid -> the service -> images', async () => {
  const t = setup();
  try {
    const ck = path.join(t.run, 'checkpoints', 'latest');
    await exploreCommand(t.ctx, t.ext, { kind: 'checkpoint', run: { runDir: t.run }, checkpoint: { path: ck } });
    const p = t.panels[0];
    assert.match(p.webview.html, /<body data-view="explore">/);
    assert.deepEqual(
      p.webview.options.localResourceRoots?.map((u) => u.fsPath),
      ['/ext/dist/webview'],
    );
    assert.deepEqual(t.titles, ['Explore: digits · latest (step 2)']);

    p.message.fire({ type: 'ready' });
    await until(() => p.posted.length > 0);
    assert.deepEqual(p.posted[0], {
      type: 'init',
      info: {
        title: 'digits · latest (step 2)',
        family: 'cGAN',
        step: 2,
        classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      },
    });

    for (const bad of [
      { type: 'grid', seeds: [1], truncation: 7 },
      { type: 'saveImage', view: 'grid', index: 0 },
      { type: 'open', path: '/etc/passwd' },
    ])
      p.message.fire(bad);
    p.message.fire({ type: 'grid', seeds: [3, 4], truncation: 0.5 });
    await until(() => p.posted.some((m) => (m as { type: string }).type === 'grid'));
    assert.deepEqual(t.jobs, [
      { kind: 'latentSamples', checkpoint: ck, seeds: [3, 4], truncation: 0.5, labels: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] },
    ]);
    const grid = p.posted.find((m) => (m as { type: string }).type === 'grid') as { images: string[] };
    assert.equal(grid.images.length, 20);

    await exploreCommand(t.ctx, t.ext, t.run);
    assert.deepEqual([t.panels.length, p.revealed], [1, 1], 'the run means its latest: the same panel');
    p.dispose();
    assert.deepEqual([p.message.listeners.size, p.disposed.listeners.size], [0, 0]);
  } finally {
    t.done();
  }
});

test('the palette offers latent runs only; a translating checkpoint is refused', async () => {
  const t = setup();
  const errors: string[] = [];
  let offered: string[] = [];
  Object.assign(mock.vscode.window, {
    showQuickPick: async (items: { label: string; dir?: string }[]) => {
      offered = items.map((i) => i.label);
      return items[0];
    },
    showErrorMessage: async (m: string) => {
      errors.push(m);
      return undefined;
    },
  });
  try {
    const ck = await exploreCommand(t.ctx, t.ext, undefined);
    assert.deepEqual(offered, ['digits', '$(folder-opened) Choose a checkpoint or run folder…']);
    assert.equal(ck?.dir, path.join(t.run, 'checkpoints', 'latest'));
    t.panels[0].dispose();
    assert.equal(await exploreCommand(t.ctx, t.ext, path.join(FIXTURES, 'pix2pix')), undefined);
    assert.match(
      errors[0],
      /^Explore Latent Space: pix2pix is a "pix2pix" model; exploring a latent space needs GAN, DCGAN or cGAN\.$/,
    );
    assert.equal(t.panels.length, 1);
  } finally {
    t.done();
  }
});
