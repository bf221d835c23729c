// "Upscale with SRGAN": images from the explorer (multi-select), an editor's title bar or the
// palette -> one scale/model choice (shipped, imported or the user's run; or a model file
// imported from the pick) -> checks every file's header (unsupported or corrupt: an error
// naming it, nothing queued) -> a warning with the estimated time for huge inputs ->
// queued jobs with one progress notification -> `<name>.x4.png` beside each original, and the
// compare view for the result.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatDuration } from '../../shared/format';
import { formatMegapixels } from '../../shared/imageFiles';
import { SELF_ENSEMBLE_PASSES, type InferResult, type UpscaleJob } from '../../shared/inferProtocol';
import { firstFreeName, upscaleOutputName } from '../../shared/outputNames';
import { isHuge, learnRate, migrateRates, secondsFor, type Rates } from './estimate';
import { reportFailures, runBatch } from './batch';
import { askForModelFile, importModelFile } from './importCommand';
import { chooseUpscale, modelName, type UpscaleChoice } from './upscaleChoices';
import { INFER_FORMATS, commandResources, inspectImage, splitImages } from './targets';
import type { InferContext } from './context';

const RATES_KEY = 'ganStudio.upscale.rates';

interface Checked {
  file: string;
  width: number;
  height: number;
}

/** Header checks; shows one error per unusable file. */
export async function checkImages(verb: string, files: string[]): Promise<Checked[]> {
  const ok: Checked[] = [];
  for (const file of files) {
    const h = await inspectImage(file);
    if (typeof h === 'string') {
      void vscode.window.showErrorMessage(`Cannot ${verb} "${path.basename(file)}": ${h}. Nothing was written.`);
      continue;
    }
    ok.push({ file, width: h.width ?? 0, height: h.height ?? 0 });
  }
  return ok;
}

/** This machine's measured rates (saved under the old model names too). */
const savedRates = (ctx: InferContext): Rates => migrateRates(ctx.memento.get<Rates>(RATES_KEY) ?? {});

/** The estimate's key: a shipped or imported model's name, or a checkpoint's folder. */
const rateModel = (c: UpscaleChoice): string => c.imported?.name ?? c.model;

/**
 * The compare view's note: shipped and imported models by name, a run as the engine names its
 * checkpoint (with "(self-ensemble x8)" when it ran as one: the engine's name says so for a run).
 */
export function resultNote(choice: UpscaleChoice, result: InferResult, passes = 1): string {
  const byName = choice.imported || !/[\\/]/.test(choice.model);
  const name = byName ? `${modelName(choice)}${passes > 1 ? ` (self-ensemble x${passes})` : ''}` : result.model;
  return `Upscaled ×${choice.scale} with ${name} in ${result.seconds.toFixed(1)} s`;
}

/** Runs of the model per tile: 8 with the self-ensemble setting. Rates are kept per run. */
const passes = (ctx: InferContext): number => (ctx.selfEnsemble() ? SELF_ENSEMBLE_PASSES : 1);

/**
 * For inputs expected to take long: a modal warning with the estimate (`n` runs of the model
 * per tile). False = the user declined.
 */
async function confirmHuge(ctx: InferContext, choice: UpscaleChoice, images: Checked[], n: number): Promise<boolean> {
  const rates = savedRates(ctx);
  const each = images.map((i) => ({
    ...i,
    secs: n * secondsFor(rates, choice.scale, rateModel(choice), i.width, i.height, choice.imported?.params),
  }));
  const huge = each.filter((i) => i.width && isHuge(i.secs, i.width, i.height));
  if (!huge.length) return true;
  const total = each.reduce((a, i) => a + i.secs, 0);
  const big = huge[0];
  const detail =
    `${path.basename(big.file)} is ${big.width}×${big.height} (${formatMegapixels(big.width, big.height)}); ` +
    `the result will be ${big.width * choice.scale}×${big.height * choice.scale} (${formatMegapixels(big.width * choice.scale, big.height * choice.scale)}).` +
    `${huge.length > 1 ? ` ${huge.length - 1} more selected image${huge.length > 2 ? 's are' : ' is'} large too.` : ''}` +
    ' Upscaling runs in the background and can be cancelled from its notification.';
  const go = await vscode.window.showWarningMessage(
    `Upscaling ×${choice.scale} will take about ${formatDuration(total)} on this machine.`,
    { modal: true, detail },
    'Upscale',
  );
  return go === 'Upscale';
}

export async function upscaleCommand(ctx: InferContext, arg: unknown, multi: unknown): Promise<void> {
  const { images, skipped } = splitImages(commandResources(arg, multi), true);
  if (!images.length) {
    void vscode.window.showWarningMessage(
      skipped[0]
        ? `Upscale with SRGAN: ${skipped[0]}.`
        : `Upscale with SRGAN: open or select a ${INFER_FORMATS} image first.`,
    );
    return;
  }
  const choice = await chooseUpscale({
    extensionPath: ctx.extensionPath,
    runs: ctx.runs(),
    memento: ctx.memento,
    ask: ctx.askForChoice(),
    store: ctx.upscalerStore(),
    cliStore: ctx.cliUpscalerStore(),
    importModel: async () => {
      const file = await askForModelFile();
      return file ? (await importModelFile(ctx, file))?.model : undefined;
    },
    log: (l) => ctx.log(l),
  });
  if (!choice) return;
  const checked = await checkImages(
    'upscale',
    images.map((u) => u.fsPath),
  );
  // Read once: the estimate, the jobs and the learnt rate all count the same passes.
  const n = passes(ctx);
  if (!checked.length || !(await confirmHuge(ctx, choice, checked, n))) return;

  const items = checked.map((c) => {
    const job: UpscaleJob = {
      kind: 'upscale',
      input: c.file,
      scale: choice.scale,
      model: choice.model,
      ...(n > 1 ? { ensemble: true } : {}),
      output: firstFreeName(upscaleOutputName(c.file, choice.scale), (p) => fs.existsSync(p)),
    };
    return { job };
  });
  const title =
    (items.length === 1
      ? `Upscaling ${path.basename(items[0].job.input)} ×${choice.scale}`
      : `Upscaling ${items.length} images ×${choice.scale}`) + (n > 1 ? ` (self-ensemble, ${n} passes)` : '');
  const outcomes = await runBatch(ctx.service, items, title, (l) => ctx.log(l));
  reportFailures('upscale', outcomes, () => ctx.showLog());

  let rates = savedRates(ctx);
  const done = outcomes.flatMap((o) =>
    o.outcome.status === 'done' ? [{ job: o.item.job, result: o.outcome.result }] : [],
  );
  for (const { result } of done)
    rates = learnRate(
      rates,
      choice.scale,
      rateModel(choice),
      result.inputWidth,
      result.inputHeight,
      result.seconds / n,
    );
  await ctx.memento.update(RATES_KEY, rates);

  const cancelled = outcomes.filter((o) => o.outcome.status === 'cancelled').length;
  if (cancelled)
    void vscode.window.showInformationMessage(
      `Upscaling cancelled${items.length > 1 ? ` for ${cancelled} image${cancelled > 1 ? 's' : ''}` : ''}: nothing was written.`,
    );
  const last = done[done.length - 1];
  if (last) {
    ctx.compare(last.job.input, last.result.output, resultNote(choice, last.result, n));
    if (done.length > 1)
      void vscode.window.showInformationMessage(
        `Upscaled ${done.length} images ×${choice.scale}; each result is beside its original.`,
      );
  }
}
