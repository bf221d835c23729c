// Host side of projects: the last run of a config, CodeLens on gan.config.json, model-file
// error lines to diagnostics, and the Dataset Check messages (validated both ways).
import './installVscodeMock';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configName, findLastRun, runPrefix } from '../../../src/extension/project/lastRun';
import { parseModelError } from '../../../src/extension/project/modelDiagnostics';
import { ConfigCodeLensProvider } from '../../../src/extension/project/configCodeLens';
import type { TrainingManager } from '../../../src/extension/trainer/manager';
import {
  parseCheckHostMessage,
  parseCheckPageMessage,
  parseCheckReport,
  type CheckReport,
} from '../../../src/shared/datasetCheckProtocol';
import { PROJECT_TEMPLATES, projectTemplate } from '../../../src/shared/projectTemplates';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'gan-proj-'));

function makeRun(root: string, name: string, file = 'metrics.jsonl'): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, file), '');
  return dir;
}

test('lastRun: the newest <name>-<timestamp> run folder of the config in any runs root', async () => {
  const ws = tmp(),
    local = tmp();
  makeRun(ws, 'mnist-dcgan-20260101-120000');
  const newest = makeRun(local, 'mnist-dcgan-20260102-090000', 'events.log');
  makeRun(ws, 'mnist-dcgan-x-20260105-000000'); // another config's name
  fs.mkdirSync(path.join(ws, 'mnist-dcgan-20260109-000000')); // empty: not a run
  makeRun(ws, 'mnist-dcgan-notes');
  assert.equal(await findLastRun([ws, local, path.join(ws, 'missing')], 'mnist-dcgan'), newest);
  assert.equal(await findLastRun([ws], 'other'), undefined);
  assert.equal(runPrefix('my gan!'), 'my-gan');
  assert.equal(configName('{"name":"abc","model":"gan"}', '/p/q/gan.config.json'), 'abc');
  assert.equal(configName('{ broken', '/p/q/gan.config.json'), 'q');
});

test('modelDiagnostics: the trainer\'s "file:line:col: message" lines', () => {
  assert.deepEqual(parseModelError('model.ts:12:5: Unexpected ";"', '/proj'), {
    file: '/proj/model.ts',
    line: 12,
    column: 5,
    message: 'Unexpected ";"',
  });
  assert.deepEqual(
    parseModelError(
      "nets/g.ts:3:1: the generator's output [14, 14, 1] does not fit the discriminator's input [28, 28, 1]",
      '/proj',
    ),
    {
      file: '/proj/nets/g.ts',
      line: 3,
      column: 1,
      message: "the generator's output [14, 14, 1] does not fit the discriminator's input [28, 28, 1]",
    },
  );
  assert.deepEqual(parseModelError('model.ts: model file not found', '/proj'), {
    file: '/proj/model.ts',
    line: undefined,
    column: undefined,
    message: 'model file not found',
  });
  assert.equal(parseModelError('"batchSize" 64 is larger than the data set (10 images)', '/proj'), undefined);
  assert.equal(parseModelError('gan.config.json: unknown key "x"', '/proj'), undefined);
});

test('codeLens: Train / Check dataset / Open dashboard, Stop while training', async () => {
  const dir = tmp();
  const configPath = path.join(dir, 'gan.config.json');
  fs.writeFileSync(configPath, '{ "name": "lens", "model": "gan" }');
  const runDir = makeRun(path.join(dir, 'runs'), 'lens-20260101-000000');
  let live: { runDir: string; step: number; totalSteps: number } | undefined;
  let sessionsChanged = () => {
    /* */
  };
  let stepChanged = (_c: string) => {
    /* */
  };
  const session = {
    get runDir() {
      return live?.runDir;
    },
    get step() {
      return live?.step;
    },
    get totalSteps() {
      return live?.totalSteps;
    },
    onDidChange: (fn: (c: string) => void) => {
      stepChanged = fn;
      return {
        dispose() {
          /* */
        },
      };
    },
  };
  const manager = {
    onDidChangeSessions: (fn: () => void) => {
      sessionsChanged = fn;
      return {
        dispose() {
          /* */
        },
      };
    },
    liveByKey: () => live,
    live: () => (live ? [session] : []),
  } as unknown as TrainingManager;
  const provider = new ConfigCodeLensProvider(manager, 20);
  let redraws = 0;
  provider.onDidChangeCodeLenses(() => redraws++);
  const doc = {
    uri: { fsPath: configPath, toString: () => configPath },
    getText: () => fs.readFileSync(configPath, 'utf8'),
  };
  type Lens = { command?: { title: string; command: string; arguments?: unknown[] } };
  const lenses = provider.provideCodeLenses(doc as never) as unknown as Lens[];
  assert.deepEqual(
    lenses.slice(0, 2).map((l) => [l.command?.title, l.command?.command]),
    [
      ['$(play) Train', 'ganStudio.train'],
      ['$(checklist) Check dataset', 'ganStudio.checkDataset'],
    ],
  );
  const dash = (await provider.resolveCodeLens(lenses[2] as never)) as unknown as Lens;
  assert.deepEqual([dash.command?.command, dash.command?.arguments], ['ganStudio.openDashboard', [runDir]]);

  live = { runDir: '/elsewhere/run', step: 5, totalSteps: 10 };
  const during = provider.provideCodeLenses(doc as never) as unknown as Lens[];
  assert.deepEqual(
    [during[0].command?.title, during[0].command?.command],
    ['$(debug-stop) Stop (step 5/10)', 'ganStudio.stopTraining'],
  );
  // The step in the lens follows the run: a burst of metrics redraws it once, soon after.
  sessionsChanged();
  assert.equal(redraws, 1, 'a run starting redraws');
  redraws = 0;
  live.step = 6;
  for (let i = 0; i < 5; i++) stepChanged('status');
  stepChanged('sample');
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(redraws, 1, 'one redraw per burst of steps');
  // Nothing new to show, no redraw: a redraw releases the commands of the lenses on screen,
  // and a click landing then fails with "command not found".
  stepChanged('status');
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(redraws, 1, 'no redraw when the step did not move');
  assert.deepEqual(((await provider.resolveCodeLens(during[2] as never)) as unknown as Lens).command?.arguments, [
    '/elsewhere/run',
  ]);
  // The run ends: one redraw ("Train" again); its last status and a second session event
  // afterwards change nothing on screen.
  live = undefined;
  sessionsChanged();
  stepChanged('status');
  sessionsChanged();
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(redraws, 2, 'one redraw when the run ends');
  fs.rmSync(path.join(dir, 'runs'), { recursive: true });
  assert.equal(
    ((await provider.resolveCodeLens(provider.provideCodeLenses(doc as never)[2])) as unknown as Lens).command?.command,
    '',
  );
  provider.dispose();
});

const report: CheckReport = {
  name: 'p',
  model: 'pix2pix',
  dataset: 'paired',
  imageSize: 64,
  batchSize: 1,
  problems: [],
  warnings: ['train: 1 unreadable file (training skips it)'],
  ok: true,
  sets: [
    {
      role: 'train',
      describe: 'A|B images in data/pairs',
      filesA: 3,
      filesB: 3,
      usable: 2,
      aligned: true,
      sizes: [{ size: '256x128', count: 2 }],
      unreadable: [{ file: 'data/pairs/3.png', reason: 'not a PNG or JPEG image' }],
      unmatched: [],
      smallerThanImageSize: 0,
    },
  ],
};

test('dataset check protocol: reports and messages are validated', () => {
  assert.deepEqual(parseCheckReport(JSON.parse(JSON.stringify(report))), {
    ...report,
    summary: undefined,
    sets: [{ ...report.sets[0], usableB: undefined }],
  });
  assert.equal(parseCheckReport({ ...report, imageSize: '64' }), undefined);
  assert.equal(parseCheckReport({ ...report, sets: [{ ...report.sets[0], unreadable: [{ file: 3 }] }] }), undefined);
  assert.equal(parseCheckReport({ ...report, problems: 'none' }), undefined);
  const many = {
    ...report,
    sets: [
      { ...report.sets[0], unreadable: Array.from({ length: 5000 }, (_, i) => ({ file: `${i}.png`, reason: 'x' })) },
    ],
  };
  assert.equal(parseCheckReport(many)?.sets[0].unreadable.length, 200, 'long lists are cut');
  assert.equal(parseCheckHostMessage({ type: 'report', config: '/c.json', report, seconds: 1 })?.type, 'report');
  assert.equal(parseCheckHostMessage({ type: 'report', config: '/c.json', report: {}, seconds: 1 }), undefined);
  assert.equal(parseCheckHostMessage({ type: 'checking' }), undefined);
  for (const ok of ['ready', 'recheck', 'openConfig', 'train'])
    assert.deepEqual(parseCheckPageMessage({ type: ok }), { type: ok });
  for (const bad of [
    null,
    'train',
    { type: 'run', cmd: 'rm' },
    { type: 'train', config: '/etc/passwd' },
    { type: ['train'] },
  ])
    assert.equal(parseCheckPageMessage(bad), undefined, JSON.stringify(bad));
});

test('project templates: six families, the image ones flagged', () => {
  assert.deepEqual(
    PROJECT_TEMPLATES.map((t) => [t.label, t.images]),
    [
      ['GAN', false],
      ['DCGAN', false],
      ['cGAN', false],
      ['pix2pix', true],
      ['CycleGAN', true],
      ['SRGAN', true],
    ],
  );
  for (const t of PROJECT_TEMPLATES) assert.ok(t.description.length > 20 && t.description.length < 100, t.kind);
  assert.equal(projectTemplate('stylegan'), undefined);
});
