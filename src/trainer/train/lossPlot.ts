// loss.png: every loss against the step, drawn by a small rasteriser straight into an RGBA
// buffer (no canvas dependency): white background, grid, axis numbers, one coloured line per
// loss and a legend.
import { encodePng } from '../engine/imageGrid';
import { drawText, GLYPH_H, textWidth } from './pixelFont';

export interface LossSeries {
  name: string;
  points: Array<[number, number]>;
}

type Rgb = [number, number, number];
const PALETTE: Rgb[] = [
  [31, 119, 180],
  [214, 39, 40],
  [44, 160, 44],
  [255, 127, 14],
  [148, 103, 189],
  [140, 86, 75],
];
const INK: Rgb = [40, 40, 40];
const GRID: Rgb = [225, 225, 225];

/** A round tick step giving about `target` ticks over `range` (1, 2 or 5 times a power of ten). */
function niceStep(range: number, target: number): number {
  const raw = range / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

function fmt(v: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(Math.min(decimals, 6));
}

export function renderLossPlot(series: LossSeries[], width = 800, height = 400): Buffer {
  const rgba = new Uint8Array(width * height * 4).fill(255);
  const plot = (x: number, y: number, c: Rgb) => {
    x = Math.round(x);
    y = Math.round(y);
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const i = (y * width + x) * 4;
    rgba[i] = c[0];
    rgba[i + 1] = c[1];
    rgba[i + 2] = c[2];
  };
  const S = 2; // font scale
  const left = 70,
    right = 20,
    top = 36,
    bottom = 40;
  const pw = width - left - right,
    ph = height - top - bottom;

  const finite = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  let [x0, x1] = [0, 1],
    [y0, y1] = [0, 1];
  if (finite.length) {
    x0 = Math.min(...finite.map((p) => p[0]));
    x1 = Math.max(...finite.map((p) => p[0]));
    y0 = Math.min(...finite.map((p) => p[1]));
    y1 = Math.max(...finite.map((p) => p[1]));
    if (x1 === x0) x1 = x0 + 1;
    if (y1 === y0) {
      y0 -= 0.5;
      y1 += 0.5;
    }
    const padY = (y1 - y0) * 0.05;
    y0 -= padY;
    y1 += padY;
  }
  const X = (v: number) => left + ((v - x0) / (x1 - x0)) * pw;
  const Y = (v: number) => top + ph - ((v - y0) / (y1 - y0)) * ph;

  // Grid and axis numbers.
  const ys = niceStep(y1 - y0, 5);
  for (let v = Math.ceil(y0 / ys) * ys; v <= y1; v += ys) {
    const y = Y(v);
    for (let x = left; x <= left + pw; x++) plot(x, y, GRID);
    const label = fmt(v, ys);
    drawText(label, left - 6 - textWidth(label, S), y - (GLYPH_H * S) / 2, S, (px, py) => plot(px, py, INK));
  }
  const xs = Math.max(1, niceStep(x1 - x0, 6));
  for (let v = Math.ceil(x0 / xs) * xs; v <= x1; v += xs) {
    const x = X(v);
    for (let y = top; y <= top + ph; y++) plot(x, y, GRID);
    const label = fmt(v, xs);
    drawText(label, x - textWidth(label, S) / 2, top + ph + 8, S, (px, py) => plot(px, py, INK));
  }
  for (let x = left; x <= left + pw; x++) plot(x, top + ph, INK);
  for (let y = top; y <= top + ph; y++) plot(left, y, INK);
  drawText('step', left + pw - textWidth('step', S), height - 12, S, (px, py) => plot(px, py, INK));

  // Lines (2 px wide), NaN/Inf points break the line.
  series.forEach((s, k) => {
    const c = PALETTE[k % PALETTE.length];
    let prev: [number, number] | undefined;
    for (const [sx, sy] of s.points) {
      if (!Number.isFinite(sx) || !Number.isFinite(sy)) {
        prev = undefined;
        continue;
      }
      const p: [number, number] = [X(sx), Y(sy)];
      if (prev)
        line(prev, p, (x, y) => {
          plot(x, y, c);
          plot(x, y + 1, c);
        });
      else plot(p[0], p[1], c);
      prev = p;
    }
  });

  // Legend along the top.
  let lx = left;
  series.forEach((s, k) => {
    const c = PALETTE[k % PALETTE.length];
    for (let y = 12; y < 12 + GLYPH_H * S; y++) for (let x = lx; x < lx + 14; x++) plot(x, y, c);
    drawText(s.name, lx + 20, 12, S, (px, py) => plot(px, py, INK));
    lx += 20 + textWidth(s.name, S) + 24;
  });
  return encodePng(width, height, rgba);
}

function line(a: [number, number], b: [number, number], plot: (x: number, y: number) => void): void {
  const n = Math.max(1, Math.ceil(Math.max(Math.abs(b[0] - a[0]), Math.abs(b[1] - a[1]))));
  for (let i = 0; i <= n; i++) plot(a[0] + ((b[0] - a[0]) * i) / n, a[1] + ((b[1] - a[1]) * i) / n);
}
