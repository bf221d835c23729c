// Streaming line charts on uPlot (small, canvas, made for many points). Each named series is
// drawn twice: the raw values faint, the smoothed ones on top. Drag to zoom on x, double-click
// to reset. The page talks to this through the Chart interface, so its logic is testable
// without a canvas.
import uPlot from 'uplot';
import { themeColor } from './dom';

export interface ChartSeries {
  name: string;
  color: string;
  raw: (number | null)[];
  smooth: (number | null)[];
  visible: boolean;
}

export interface ChartData {
  xs: number[];
  series: ChartSeries[];
  /** y scale: 1 linear, 3 log10, 4 asinh (log-like, allows <= 0). */
  distr: 1 | 3 | 4;
  showRaw: boolean;
  /** The x axis title; 'step' when absent. */
  xLabel?: string;
  /** Draw lines across missing points: runs overlaid on one axis have a value at only some x. */
  spanGaps?: boolean;
}

export interface Chart {
  update(d: ChartData): void;
  /** Show x in [min, max]; undefined = everything. */
  zoom(range?: { min: number; max: number }): void;
  destroy(): void;
}

export interface ChartOptions {
  label: string;
  height?: number;
  /** Index into xs under the cursor, or null when it leaves. */
  onHover(idx: number | null): void;
}

export type ChartFactory = (el: HTMLElement, opts: ChartOptions) => Chart;

/** The shape key: uPlot needs a rebuild when series or the scale type change, not for new data. */
function shapeOf(d: ChartData): string {
  return `${d.distr}|${d.showRaw}|${d.xLabel}|${d.spanGaps}|${d.series.map((s) => `${s.name}:${s.color}`).join(',')}`;
}

export const uplotChart: ChartFactory = (el, opts) => {
  let plot: uPlot | undefined;
  let shape = '';
  let last: ChartData | undefined;
  let zoomed = false;
  const height = opts.height ?? 240;

  const build = (d: ChartData) => {
    plot?.destroy();
    const fg = themeColor('--vscode-descriptionForeground', '#888');
    const grid = themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
    const axis = {
      stroke: fg,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      font: '11px var(--vscode-font-family)',
    };
    const xLabel = d.xLabel ?? 'step';
    const spanGaps = d.spanGaps ?? false;
    const series: uPlot.Series[] = [{ label: xLabel }];
    for (const s of d.series) {
      series.push({
        label: `${s.name} (raw)`,
        stroke: s.color,
        width: 1,
        alpha: 0.3,
        show: s.visible && d.showRaw,
        spanGaps,
      });
      series.push({ label: s.name, stroke: s.color, width: 2, show: s.visible, spanGaps });
    }
    plot = new uPlot(
      {
        width: Math.max(200, el.clientWidth || 600),
        height,
        legend: { show: false },
        scales: { x: { time: false }, y: { distr: d.distr, log: 10 } },
        axes: [
          { ...axis, label: xLabel, labelSize: 16 },
          { ...axis, size: 56, label: opts.label, labelSize: 16 },
        ],
        cursor: { drag: { x: true, y: false, setScale: true }, points: { size: 6 } },
        series,
        hooks: {
          setCursor: [(u) => opts.onHover(u.cursor.idx ?? null)],
          setScale: [
            (u, key) => {
              if (key !== 'x' || !last?.xs.length) return;
              const min = u.scales.x.min ?? -Infinity;
              const max = u.scales.x.max ?? Infinity;
              zoomed = min > last.xs[0] || max < last.xs[last.xs.length - 1];
            },
          ],
        },
      },
      toAligned(d),
      el,
    );
    shape = shapeOf(d);
  };

  const ro = new ResizeObserver(() => plot?.setSize({ width: Math.max(200, el.clientWidth), height }));
  ro.observe(el);

  return {
    update(d) {
      last = d;
      if (!plot || shape !== shapeOf(d)) {
        build(d);
        zoomed = false;
        return;
      }
      d.series.forEach((s, i) => {
        plot!.setSeries(1 + 2 * i, { show: s.visible && d.showRaw }, false);
        plot!.setSeries(2 + 2 * i, { show: s.visible }, false);
      });
      // Keep the user's zoom while new points stream in.
      plot.setData(toAligned(d), !zoomed);
    },
    zoom(range) {
      if (!plot || !last?.xs.length) return;
      const r = range ?? { min: last.xs[0], max: last.xs[last.xs.length - 1] };
      plot.setScale('x', r);
    },
    destroy() {
      ro.disconnect();
      plot?.destroy();
      plot = undefined;
    },
  };
};

function toAligned(d: ChartData): uPlot.AlignedData {
  const cols: (number | null)[][] = [];
  for (const s of d.series) cols.push(s.raw, s.smooth);
  return [d.xs, ...cols] as uPlot.AlignedData;
}
