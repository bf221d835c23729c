// The Run Comparison page (page `runs`): several training runs side by side. One chart per
// metric every run reports, one colour per run, smoothing and zoom as on the dashboard, x as
// step or training time; the config keys that differ; the runs' sample grids at one step.
// View settings persist in webview state; the data comes from the host on every load.
import type { ConfigDiffRow } from '../../src/shared/configDiff';
import { formatNumber } from '../../src/shared/format';
import {
  parseRunComparisonHostMessage,
  type RunComparisonHostMessage,
  type RunComparisonState,
  type RunComparisonWebviewMessage,
} from '../../src/shared/runComparisonProtocol';
import type { MetricPoint, RunInfo } from '../../src/shared/webviewProtocol';
import { validated, type Channel } from './vscodeApi';
import { h, seriesColors } from './dom';
import { smooth, toColumns } from './smoothing';
import {
  addSteps,
  emptyScrub,
  nearestIndex,
  restoreScrub,
  scrubSettings,
  selectIndex,
  setFollow,
  type ScrubState,
} from './scrubber';
import { statusLine } from './runView';
import { rangeControl, scrubberInput, showScrub, smoothingControl, zoomWindow } from './chartControls';
import { alignColumns, pointMetrics, sharedMetrics, xValues } from './metricAlign';
import type { Chart, ChartFactory } from './lossChart';

export type RunComparisonChannel = Channel<RunComparisonWebviewMessage, RunComparisonState>;

const METRIC_TITLES: Record<string, string> = { dReal: 'D(x) real', dFake: 'D(G(z)) fake', msPerStep: 'ms/step' };
const HINT = 'Hover a chart for values; drag to zoom, double-click to reset.';

export function defaultRunComparisonState(): RunComparisonState {
  return { runDirs: [], smoothing: 0.6, xAxis: 'step', zoom: 1, scrubStep: null, followLatest: true };
}

interface RunView {
  info: RunInfo;
  family?: string;
  points: MetricPoint[];
  /** Sample grids: step -> webview URI, and their steps ascending. */
  samples: Map<number, string>;
  steps: number[];
}

export class RunComparisonApp {
  private st: RunComparisonState;
  private runs: RunView[] = [];
  /** Each run's status line in the runs list, redrawn alone on a status (renderStatus). */
  private statusLines: HTMLElement[] = [];
  private diff: ConfigDiffRow[] = [];
  private scrub: ScrubState = emptyScrub();
  private readonly charts = new Map<string, { chart: Chart; box: HTMLElement }>();
  private readonly el: Record<string, HTMLElement> = {};
  /** The last render's x values and raw columns (metric -> run -> column), for the readout. */
  private shown: { xs: number[]; cols: Map<string, (number | null)[][]> } = { xs: [], cols: new Map() };

  constructor(
    root: HTMLElement,
    private readonly channel: RunComparisonChannel,
    private readonly makeChart: ChartFactory,
  ) {
    const saved = channel.getState();
    this.st = { ...defaultRunComparisonState(), ...(saved && typeof saved === 'object' ? saved : {}) };
    this.scrub = setFollow(this.scrub, this.st.followLatest);
    root.append(this.buildLayout());
    channel.onMessage(validated(parseRunComparisonHostMessage, (m) => this.onMessage(m)));
    channel.post({ type: 'ready' });
  }

  private buildLayout(): HTMLElement {
    const e = this.el;
    e.runs = h('ul', { class: 'run-list', 'aria-label': 'Compared runs' });
    const xAxis = h(
      'select',
      { id: 'x-axis', 'aria-label': 'X axis' },
      h('option', { value: 'step', text: 'Step', selected: this.st.xAxis === 'step' }),
      h('option', { value: 'time', text: 'Training time (s)', selected: this.st.xAxis === 'time' }),
    );
    xAxis.addEventListener('change', () => {
      this.st.xAxis = xAxis.value === 'time' ? 'time' : 'step';
      this.saveAndRenderCharts();
      this.applyZoom();
    });
    const smoothing = smoothingControl(this.st.smoothing, (w) => {
      this.st.smoothing = w;
      this.saveAndRenderCharts();
    });
    const range = rangeControl((f) => {
      this.st.zoom = f;
      this.save();
      this.applyZoom();
    }, this.st.zoom);
    e.partial = h('p', { class: 'muted partial' });
    e.charts = h('div', { class: 'metric-charts' });
    e.readout = h('div', { class: 'readout muted', text: HINT });
    e.scrubber = scrubberInput((i) => this.setScrub(selectIndex(this.scrub, i)));
    e.scrubLabel = h('span', { class: 'muted', id: 'scrub-step' });
    e.follow = h('vscode-checkbox', { label: 'Follow latest', checked: this.st.followLatest, id: 'follow' });
    e.follow.addEventListener('change', () =>
      this.setScrub(setFollow(this.scrub, !!(e.follow as unknown as { checked: boolean }).checked)),
    );
    e.grids = h('div', { class: 'sample-grids', role: 'list', 'aria-label': 'Sample grids at the chosen step' });
    e.diff = h('div', { class: 'diff-wrap' });
    return h(
      'div',
      { class: 'comparison' },
      h('header', { class: 'dash-header' }, h('h1', { text: 'Run Comparison' }), e.runs),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'metrics-title' },
        h('h2', { id: 'metrics-title', text: 'Metrics' }),
        h('div', { class: 'controls' }, ...smoothing, h('label', { for: 'x-axis', text: 'X axis' }), xAxis, ...range),
        e.partial,
        e.charts,
        e.readout,
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'samples-title' },
        h('h2', { id: 'samples-title', text: 'Samples' }),
        h(
          'div',
          { class: 'controls' },
          h('label', { for: 'scrubber', text: 'Step' }),
          e.scrubber,
          e.scrubLabel,
          e.follow,
        ),
        e.grids,
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'diff-title' },
        h('h2', { id: 'diff-title', text: 'Config differences' }),
        e.diff,
      ),
    );
  }

  onMessage(m: RunComparisonHostMessage): void {
    if (m.type === 'reset') {
      this.runs = m.runs.map((r) => ({
        info: r.info,
        family: r.family,
        points: [...r.points],
        samples: new Map(r.samples.map((s) => [s.step, s.uri])),
        steps: r.samples.map((s) => s.step).sort((a, b) => a - b),
      }));
      this.diff = m.configDiff;
      this.st.runDirs = this.runs.map((r) => r.info.runDir);
      this.scrub = restoreScrub(
        this.runs.flatMap((r) => r.steps),
        this.st,
      );
      this.renderRuns();
      this.renderCharts();
      this.applyZoom();
      this.renderSamples();
      this.renderDiff();
      this.save();
      return;
    }
    const runDir = m.type === 'status' ? m.run.runDir : m.runDir;
    const run = this.runs.find((r) => r.info.runDir === runDir);
    if (!run) return;
    if (m.type === 'status') {
      run.info = m.run;
      this.renderStatus(this.runs.indexOf(run));
    } else if (m.type === 'points') {
      const last = run.points[run.points.length - 1]?.step ?? -1;
      const fresh = m.points.filter((p) => p.step > last);
      if (!fresh.length) return;
      run.points.push(...fresh);
      this.renderCharts();
    } else {
      for (const s of m.samples) run.samples.set(s.step, s.uri);
      run.steps = [...run.samples.keys()].sort((a, b) => a - b);
      this.scrub = addSteps(
        this.scrub,
        m.samples.map((s) => s.step),
      );
      this.renderSamples();
    }
  }

  private save(): void {
    this.channel.setState(this.st);
  }

  private saveAndRenderCharts(): void {
    this.save();
    this.renderCharts();
  }

  /** Run names as the page shows them: the folder name, numbered where two are the same. */
  private label(i: number): string {
    const name = this.runs[i].info.name;
    return this.runs.filter((r) => r.info.name === name).length > 1 ? `${name} (${i + 1})` : name;
  }

  private swatch(i: number): HTMLElement {
    return h('span', { class: `swatch swatch-${i % 6}`, 'aria-hidden': 'true' });
  }

  private renderRuns(): void {
    this.statusLines = this.runs.map((r) => statusLine(r.info));
    this.el.runs.replaceChildren(
      ...this.runs.map((r, i) => {
        const open = h('vscode-button', {
          secondary: true,
          text: 'Dashboard',
          'data-run': i,
          title: `Open the dashboard of ${this.label(i)}`,
        });
        open.addEventListener('click', () => this.channel.post({ type: 'openDashboard', run: i }));
        return h(
          'li',
          { class: 'run-item', 'data-run': i },
          this.swatch(i),
          h('strong', { title: r.info.runDir, text: this.label(i) }),
          r.family ? h('span', { class: 'muted family', text: r.family }) : null,
          this.statusLines[i],
          open,
        );
      }),
    );
  }

  /** One run's new status: only its status line is redrawn, so its row's Dashboard button (a
   *  click in progress, keyboard focus) is kept while a live run reports several times a second. */
  private renderStatus(i: number): void {
    const line = statusLine(this.runs[i].info);
    this.statusLines[i].replaceWith(line);
    this.statusLines[i] = line;
  }

  private renderCharts(): void {
    const colors = seriesColors();
    const { shared, partial } = sharedMetrics(this.runs.map((r) => r.points));
    this.el.partial.textContent = partial.length
      ? `Not in every run, so not overlaid: ${partial.map((p) => `${p.name} (${p.runs.map((i) => this.label(i)).join(', ')})`).join('; ')}.`
      : '';
    // Each run smoothed on its own points, then all runs aligned on one x axis.
    const perRun = this.runs.map((r) => {
      const values = r.points.map((p) => ({ step: p.step, m: pointMetrics(p) }));
      const raw = toColumns(values, shared, (p, n) => p.m[n]).ys;
      return { xs: xValues(r.points, this.st.xAxis), ys: [...raw, ...raw.map((c) => smooth(c, this.st.smoothing))] };
    });
    const { xs, ys } = alignColumns(perRun);
    this.shown = { xs, cols: new Map(shared.map((m, k) => [m, ys.map((run) => run[k])])) };
    for (const [name, c] of this.charts) {
      if (shared.includes(name)) continue;
      c.chart.destroy();
      c.box.remove();
      this.charts.delete(name);
    }
    shared.forEach((metric, k) => {
      const series = this.runs.map((_, i) => ({
        name: this.label(i),
        color: colors[i % colors.length],
        raw: ys[i][k],
        smooth: ys[i][shared.length + k],
        visible: true,
      }));
      const { chart, box } = this.chartFor(metric);
      chart.update({
        xs,
        series,
        distr: 1,
        showRaw: this.st.smoothing > 0,
        spanGaps: true,
        xLabel: this.st.xAxis === 'step' ? 'step' : 'seconds',
      });
      // How many runs have a curve here: the canvas cannot say it (tests and tools read this).
      box.setAttribute('data-curves', String(series.filter((x) => x.raw.some((v) => v !== null)).length));
    });
  }

  private chartFor(metric: string): { chart: Chart; box: HTMLElement } {
    const have = this.charts.get(metric);
    if (have) return have;
    const title = METRIC_TITLES[metric] ?? metric;
    const plot = h('div', { class: 'chart' });
    const box = h(
      'figure',
      { class: 'metric', 'data-metric': metric, 'aria-label': `${title} of every run` },
      h('figcaption', { text: title }),
      plot,
    );
    this.el.charts.append(box);
    const chart = this.makeChart(plot, { label: title, height: 180, onHover: (i) => this.hover(metric, i) });
    this.charts.set(metric, { chart, box });
    return { chart, box };
  }

  private applyZoom(): void {
    const range = zoomWindow(this.shown.xs, this.st.zoom);
    for (const { chart } of this.charts.values()) chart.zoom(range);
  }

  private hover(metric: string, idx: number | null): void {
    const cols = this.shown.cols.get(metric);
    if (idx === null || !cols || idx >= this.shown.xs.length) {
      this.el.readout.textContent = HINT;
      return;
    }
    // A run may have no point at this x: its latest value before it stands in.
    const valueAt = (col: (number | null)[]) => {
      for (let i = idx; i >= 0; i--) if (col[i] !== null) return formatNumber(col[i] as number);
      return '–';
    };
    const x = this.shown.xs[idx];
    const where = this.st.xAxis === 'step' ? `step ${x}` : `${formatNumber(x, 3)} s`;
    this.el.readout.textContent = `${METRIC_TITLES[metric] ?? metric} at ${where}: ${cols.map((c, i) => `${this.label(i)} ${valueAt(c)}`).join(' · ')}`;
  }

  /** The user moved the scrubber (or ticked Follow latest): show it and remember it. */
  private setScrub(s: ScrubState): void {
    this.scrub = s;
    this.renderSamples();
    this.st = { ...this.st, ...scrubSettings(s) };
    this.save();
  }

  private renderSamples(): void {
    const s = this.scrub;
    const step = s.steps[s.index];
    showScrub(this.el.scrubber as HTMLInputElement, s);
    this.el.scrubLabel.textContent = step === undefined ? 'No sample grids yet.' : `step ${step}`;
    (this.el.follow as unknown as { checked: boolean }).checked = s.follow;
    this.el.grids.replaceChildren(...this.runs.map((r, i) => this.sampleFigure(r, i, step)));
  }

  /** Run i's grid nearest to `step` (the runs may save grids at different steps). */
  private sampleFigure(r: RunView, i: number, step: number | undefined): HTMLElement {
    const own = step === undefined ? undefined : r.steps[nearestIndex(r.steps, step)];
    const caption = h(
      'figcaption',
      {},
      this.swatch(i),
      this.label(i),
      own === undefined ? h('span', { class: 'muted', text: ' · no grid yet' }) : ` · step ${own}`,
    );
    const fig = h('figure', { class: 'run-sample', role: 'listitem', 'data-run': i });
    if (own === undefined) {
      fig.append(caption);
      return fig;
    }
    const open = h(
      'button',
      { class: 'sample-button', title: `Open the grid of ${this.label(i)} at step ${own}` },
      h('img', { src: r.samples.get(own) ?? '', alt: `Sample grid of ${this.label(i)} at step ${own}` }),
    );
    open.addEventListener('click', () => this.channel.post({ type: 'openSample', run: i, step: own }));
    fig.append(open, caption);
    return fig;
  }

  private renderDiff(): void {
    if (!this.diff.length) {
      this.el.diff.replaceChildren(h('p', { class: 'muted', text: 'The runs have the same config.' }));
      return;
    }
    const head = h(
      'tr',
      {},
      h('th', { scope: 'col', text: 'Key' }),
      ...this.runs.map((_, i) => {
        const open = h('button', { class: 'link', title: `Open config.json of ${this.label(i)}`, text: this.label(i) });
        open.addEventListener('click', () => this.channel.post({ type: 'openConfig', run: i }));
        return h('th', { scope: 'col' }, this.swatch(i), open);
      }),
    );
    const rows = this.diff.map((row) =>
      h(
        'tr',
        { 'data-key': row.key },
        h('th', { scope: 'row' }, h('code', { text: row.key })),
        ...row.values.map((v) =>
          v === null ? h('td', { class: 'muted', title: 'not set', text: '—' }) : h('td', {}, h('code', { text: v })),
        ),
      ),
    );
    this.el.diff.replaceChildren(h('table', { class: 'config-diff' }, h('thead', {}, head), h('tbody', {}, ...rows)));
  }

  /** For tests. */
  get snapshot() {
    return { st: this.st, scrub: this.scrub, metrics: [...this.charts.keys()] };
  }
}
