// The dataset check behind `gan check <config>` (and the extension's "Check Dataset"): reads
// every file the config's data set would train on and reports counts, image sizes, names
// without a partner and unreadable files. `problems` are what stops training from starting;
// `warnings` are what training works around (unreadable files are skipped, unmatched names
// left out, small images upscaled).
import * as path from 'node:path';
import type { GanConfig } from '../../shared/config';
import type { CheckReport, CheckSet } from '../../shared/datasetCheckProtocol';
import { readImage, ImageDecodeError } from '../engine/image/codec';
import { listFolder, loadFolderData } from './folder';
import { loadDataset } from './index';
import { DataError } from './mnist';
import { listImageSets, type ImageRef, type ImageSets, type Unmatched } from './pairedFiles';

// The report's shape is the protocol the extension validates and shows (one definition).
export type SetReport = CheckSet & { role: 'train' | 'held-out' };
export type DatasetReport = CheckReport;

function checkSets(sets: ImageSets, role: SetReport['role'], imageSize: number): SetReport {
  const sizes = new Map<string, number>();
  const bad = new Map<string, string>();
  let small = 0;
  const seen = new Map<string, boolean>();
  /** Decodes each file once; false when it cannot be used. */
  const ok = (r: ImageRef): boolean => {
    const known = seen.get(r.file);
    if (known !== undefined) return known;
    let good = true;
    try {
      const img = readImage(r.file);
      const key = `${img.width}x${img.height}`;
      sizes.set(key, (sizes.get(key) ?? 0) + 1);
      const w = r.half ? Math.floor(img.width / 2) : img.width;
      if (r.half && (img.width < 1.5 * img.height || img.width < 2)) {
        bad.set(r.file, `not an A|B image: ${img.width}x${img.height}, expected about twice as wide as high`);
        good = false;
      } else if (Math.min(w, img.height) < imageSize) small++;
    } catch (e) {
      if (!(e instanceof ImageDecodeError)) throw e;
      bad.set(r.file, e.message);
      good = false;
    }
    seen.set(r.file, good);
    return good;
  };
  let usable = 0,
    usableB: number | undefined;
  if (sets.aligned) {
    for (let i = 0; i < sets.a.length; i++) if (ok(sets.a[i]) && ok(sets.b[i])) usable++;
  } else {
    usable = sets.a.filter(ok).length;
    usableB = sets.b.filter(ok).length;
  }
  return {
    role,
    describe: sets.describe,
    filesA: sets.a.length,
    filesB: sets.b.length,
    usable,
    usableB,
    aligned: sets.aligned,
    sizes: [...sizes].sort((x, y) => y[1] - x[1]).map(([size, count]) => ({ size, count })),
    unreadable: [...bad].map(([file, reason]) => ({ file, reason })),
    unmatched: sets.unmatched,
    smallerThanImageSize: small,
  };
}

export function checkDataset(cfg: GanConfig, configDir: string): DatasetReport {
  const ds = cfg.dataset;
  const report: DatasetReport = {
    name: cfg.name,
    model: cfg.model,
    dataset: ds.kind,
    imageSize: cfg.imageSize,
    batchSize: cfg.batchSize,
    sets: [],
    problems: [],
    warnings: [],
    ok: false,
  };
  if (ds.kind === 'folder') return checkFolder(cfg, report);
  if (ds.kind !== 'paired' && ds.kind !== 'unpaired') {
    try {
      const d = loadDataset(ds, configDir, { imageSize: cfg.imageSize, seed: cfg.seed });
      report.summary = `${d.name}: ${d.count} images of ${d.width}x${d.height}x${d.channels}`;
      if (d.count < cfg.batchSize)
        report.problems.push(`"batchSize" ${cfg.batchSize} is larger than the data set (${d.count} images)`);
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      report.problems.push(e.message);
    }
    report.ok = report.problems.length === 0;
    return report;
  }
  for (const role of ['train', 'held-out'] as const) {
    let sets: ImageSets | undefined;
    try {
      sets = listImageSets(ds, role === 'train' ? 'train' : 'val');
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      report.problems.push(`${role}: ${e.message}`);
      continue;
    }
    if (!sets) continue;
    const r = checkSets(sets, role, cfg.imageSize);
    report.sets.push(r);
    const what = r.aligned ? 'pairs' : 'images';
    const least = r.aligned ? r.usable : Math.min(r.usable, r.usableB ?? 0);
    if (least === 0) {
      report.problems.push(
        `${role}: no usable ${r.aligned ? 'pairs' : `${r.usable ? 'B' : 'A'} images`} in ${r.describe}`,
      );
    } else if (role === 'train' && least < cfg.batchSize) {
      report.problems.push(`"batchSize" ${cfg.batchSize} is larger than the ${least} usable training ${what}`);
    }
    if (r.unreadable.length)
      report.warnings.push(
        `${role}: ${r.unreadable.length} unreadable file${r.unreadable.length > 1 ? 's' : ''} (training skips ${r.unreadable.length > 1 ? 'them' : 'it'})`,
      );
    if (r.unmatched.length)
      report.warnings.push(
        `${role}: ${r.unmatched.length} file${r.unmatched.length > 1 ? 's' : ''} without a partner (left out)`,
      );
    if (r.smallerThanImageSize)
      report.warnings.push(
        `${role}: ${r.smallerThanImageSize} image${r.smallerThanImageSize > 1 ? 's' : ''} smaller than imageSize ${cfg.imageSize} (upscaled, so blurrier)`,
      );
  }
  report.ok = report.problems.length === 0;
  return report;
}

/** A folder data set: every file decoded once, counted per class; the channels training will use. */
function checkFolder(cfg: GanConfig, report: DatasetReport): DatasetReport {
  const ds = cfg.dataset;
  if (ds.kind !== 'folder') throw new Error('checkFolder: not a folder dataset');
  try {
    const listing = listFolder(ds);
    const describe = ds.labels === 'subfolders' ? `class subfolders of ${ds.path}` : `images in ${ds.path}`;
    const r: SetReport = {
      ...checkSets(
        {
          layout: 'unpaired',
          aligned: false,
          a: listing.files.map((file) => ({ file })),
          b: [],
          unmatched: [],
          describe,
        },
        'train',
        cfg.imageSize,
      ),
      filesB: 0,
      usableB: undefined,
      single: true,
    };
    report.sets.push(r);
    const bad = new Set(r.unreadable.map((u) => u.file));
    if (listing.classNames.length) {
      report.classes = listing.classNames.map((name, k) => ({
        name,
        count: listing.files.slice(listing.classStart[k], listing.classStart[k + 1]).filter((f) => !bad.has(f)).length,
      }));
      for (const c of report.classes)
        if (!c.count) report.problems.push(`class "${c.name}" has no readable images (${path.join(ds.path, c.name)})`);
    }
    if (!r.usable) report.problems.push(`no usable images in ${ds.path}`);
    else if (r.usable < cfg.batchSize)
      report.problems.push(`"batchSize" ${cfg.batchSize} is larger than the ${r.usable} usable training images`);
    if (!report.problems.length) {
      // The channels training will use (the loader decides from a sample of the images).
      const d = loadFolderData(ds, cfg.imageSize);
      report.summary = `${r.usable} usable images${listing.classNames.length ? ` in ${listing.classNames.length} classes` : ''}, trained as ${d.channels === 1 ? 'grey' : 'RGB'} ${cfg.imageSize}x${cfg.imageSize}x${d.channels}${ds.channels === 'auto' ? ' (decided from the images; set "channels" to choose)' : ''}`;
    }
    if (r.unreadable.length)
      report.warnings.push(
        `train: ${r.unreadable.length} unreadable file${r.unreadable.length > 1 ? 's' : ''} (training skips ${r.unreadable.length > 1 ? 'them' : 'it'})`,
      );
    if (listing.ignored.length)
      report.warnings.push(
        `${listing.ignored.length} image${listing.ignored.length > 1 ? 's' : ''} directly in ${ds.path} belong${listing.ignored.length > 1 ? '' : 's'} to no class subfolder (left out)`,
      );
    if (r.smallerThanImageSize)
      report.warnings.push(
        `train: ${r.smallerThanImageSize} image${r.smallerThanImageSize > 1 ? 's' : ''} smaller than imageSize ${cfg.imageSize} on the shorter side (upscaled, so blurrier)`,
      );
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    report.problems.push(e.message);
  }
  report.ok = report.problems.length === 0;
  return report;
}

const list = (items: Unmatched[], max = 20) => [
  ...items.slice(0, max).map((u) => `    ${u.file}: ${u.reason}`),
  ...(items.length > max ? [`    ... and ${items.length - max} more`] : []),
];

/** The report as the CLI prints it. */
export function formatReport(r: DatasetReport, configPath: string): string[] {
  const out = [
    `dataset of ${path.basename(configPath)} (model ${r.model}, ${r.dataset}, imageSize ${r.imageSize}, batchSize ${r.batchSize})`,
  ];
  if (r.summary) out.push(`  ${r.summary}`);
  for (const s of r.sets) {
    const files = s.single
      ? `${s.filesA} files`
      : s.aligned
        ? `${s.filesA} pairs found`
        : `${s.filesA} A and ${s.filesB} B files`;
    const usable = s.single
      ? `${s.usable} usable images`
      : s.aligned
        ? `${s.usable} usable pairs`
        : `${s.usable} usable A and ${s.usableB} usable B images`;
    out.push(`${s.role}: ${s.describe}: ${files}, ${usable}`);
    if (s.sizes.length)
      out.push(
        `  sizes: ${s.sizes
          .slice(0, 6)
          .map((x) => `${x.size} (${x.count})`)
          .join(', ')}${s.sizes.length > 6 ? `, and ${s.sizes.length - 6} more sizes` : ''}`,
      );
    if (s.unreadable.length) out.push(`  unreadable (${s.unreadable.length}):`, ...list(s.unreadable));
    if (s.unmatched.length) out.push(`  without a partner (${s.unmatched.length}):`, ...list(s.unmatched));
  }
  if (r.classes)
    out.push(
      `classes (${r.classes.length}, label order): ${r.classes.map((c, k) => `${k} ${JSON.stringify(c.name)} (${c.count})`).join(', ')}`,
    );
  for (const w of r.warnings) out.push(`warning: ${w}`);
  for (const p of r.problems) out.push(`problem: ${p}`);
  out.push(
    r.ok
      ? 'ready: training can start'
      : `cannot train: ${r.problems.length} problem${r.problems.length > 1 ? 's' : ''}`,
  );
  return out;
}
