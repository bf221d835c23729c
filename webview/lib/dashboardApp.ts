// The Training Dashboard page: loss curves (smoothing, log scale, hover values, zoom), the
// discriminator outputs, the sample history with a step scrubber and filmstrip, the config and
// speed. View settings persist in webview state; the data comes from the host on every load.
import { formatNumber, formatRate } from '../../src/shared/format';
import {
  parseHostMessage,
  type DashboardState,
  type HostMessage,
  type MetricPoint,
  type RunInfo,
} from '../../src/shared/webviewProtocol';
import { validated, type RunViewChannel } from './vscodeApi';
import { append, h, seriesColors } from './dom';
import { lossNames, scaleDistr, smooth, toColumns } from './smoothing';
import {
  addSteps,
  emptyScrub,
  filmstripSteps,
  keyToIndex,
  restoreScrub,
  scrubSettings,
  selectIndex,
  selectStep,
  setFollow,
  type ScrubState,
} from './scrubber';
import { ActionBar, actionsFor, statusLine } from './runView';
import type { Chart, ChartFactory, ChartSeries } from './lossChart';
import { rangeControl, scrubberInput, showScrub, smoothingControl, zoomWindow } from './chartControls';

const FILMSTRIP = 10;
/** Scores where higher is better (shares, 0..1): charted apart from the distances. */
const HIGHER_BETTER = new Set(['recognised']);

export function defaultDashboardState(runDir = ''): DashboardState {
  return { runDir, smoothing: 0.6, logScale: false, hidden: [], scrubStep: null, followLatest: true };
}

export class DashboardApp {
  private st: DashboardState;
  private run: RunInfo | null = null;
  private points: MetricPoint[] = [];
  private samples = new Map<number, string>();
  private scrub: ScrubState = emptyScrub();
  private config: unknown;
  private configPath: string | undefined;
  private readonly lossChart: Chart;
  private readonly dChart: Chart;
  /** Quality scores (swd, ...): only the sample steps have them. */
  private readonly qChart: Chart;
  /** cGAN runs on MNIST / Fashion-MNIST: the share recognised as the class asked for. */
  private readonly rChart: Chart;
  private scored: MetricPoint[] = [];
  private readonly el: Record<string, HTMLElement> = {};
  private readonly actions = new ActionBar((action) => {
    if (this.run) this.channel.post({ type: 'action', action, runDir: this.run.runDir });
  });
  private hoverIdx: number | null = null;
  /** Smoothed loss columns of the last render, reused by the hover readout. */
  private smoothed = new Map<string, (number | null)[]>();

  constructor(
    root: HTMLElement,
    private readonly channel: RunViewChannel<DashboardState>,
    makeChart: ChartFactory,
  ) {
    const saved = channel.getState();
    this.st = { ...defaultDashboardState(), ...(saved && typeof saved === 'object' ? saved : {}) };
    this.scrub = setFollow(this.scrub, this.st.followLatest);
    root.append(this.buildLayout());
    this.lossChart = makeChart(this.el.lossChart, { label: 'loss', onHover: (i) => this.hover(i) });
    this.dChart = makeChart(this.el.dChart, { label: 'D output', height: 160, onHover: (i) => this.hover(i) });
    // Its x values are the scored steps only: a hover maps back to the point of that step.
    this.qChart = makeChart(this.el.qChart, {
      label: 'score',
      height: 160,
      onHover: (i) => this.hover(i === null ? null : this.points.indexOf(this.scored[i])),
    });
    this.rChart = makeChart(this.el.rChart, {
      label: 'recognised',
      height: 120,
      onHover: (i) => this.hover(i === null ? null : this.points.indexOf(this.scored[i])),
    });
    channel.onMessage(validated(parseHostMessage, (m) => this.onMessage(m)));
    channel.post({
      type: 'ready',
      view: 'dashboard',
      runDir: this.st.runDir || null,
      lastStep: -1,
      lastSampleStep: -1,
    });
  }

  private buildLayout(): HTMLElement {
    const e = this.el;
    // The run's info is redrawn on every status; its buttons stay in place (ActionBar).
    e.headerInfo = h('div', { class: 'run-info' });
    e.header = h('header', { class: 'dash-header' }, e.headerInfo, this.actions.el);
    // Loss chart controls: every one a native control or vscode-element, so keyboard reachable.
    const smoothing = smoothingControl(this.st.smoothing, (w) => {
      this.st.smoothing = w;
      this.saveAndRenderCharts();
    });
    e.log = h('vscode-checkbox', { label: 'Log scale', checked: this.st.logScale, id: 'log-scale' });
    e.log.addEventListener('change', () => {
      this.st.logScale = !!(e.log as unknown as { checked: boolean }).checked;
      this.saveAndRenderCharts();
    });
    e.series = h('div', { class: 'series-toggles', role: 'group', 'aria-label': 'Series' });
    e.readout = h('div', {
      class: 'readout muted',
      text: 'Hover the chart for values; drag to zoom, double-click to reset.',
    });
    e.lossChart = h('div', { class: 'chart' });
    e.dChart = h('div', { class: 'chart' });
    e.dSection = h(
      'section',
      { class: 'card', 'aria-labelledby': 'd-title' },
      h('h2', { id: 'd-title', text: 'Discriminator outputs — D(x) real, D(G(z)) fake' }),
      e.dChart,
    );
    e.qChart = h('div', { class: 'chart' });
    e.qSection = h(
      'section',
      { class: 'card', 'aria-labelledby': 'q-title', hidden: true },
      h('h2', {
        id: 'q-title',
        text: "Sample quality — lower is better (swd: sliced Wasserstein distance to training images, ×10³; fd: Fréchet distance in a digit/clothes classifier's features)",
      }),
      e.qChart,
    );
    e.rChart = h('div', { class: 'chart' });
    e.rSection = h(
      'section',
      { class: 'card', 'aria-labelledby': 'r-title', hidden: true },
      h('h2', { id: 'r-title', text: 'Recognised as the class asked for — higher is better (share of the grid)' }),
      e.rChart,
    );
    // Samples
    e.bigImg = h('img', { class: 'big-img', alt: '', tabindex: 0 });
    e.bigImg.addEventListener('keydown', (ev) => {
      const i = keyToIndex((ev as KeyboardEvent).key, this.scrub);
      if (i !== undefined) {
        ev.preventDefault();
        this.setScrub(selectIndex(this.scrub, i));
      }
    });
    e.imgCaption = h('figcaption', { class: 'muted' });
    e.scrubber = scrubberInput((i) => this.setScrub(selectIndex(this.scrub, i)));
    e.follow = h('vscode-checkbox', { label: 'Follow latest', checked: this.st.followLatest, id: 'follow' });
    e.follow.addEventListener('change', () =>
      this.setScrub(setFollow(this.scrub, !!(e.follow as unknown as { checked: boolean }).checked)),
    );
    e.openImg = h('vscode-button', { secondary: true, text: 'Open image' });
    e.openImg.addEventListener('click', () => this.openSample());
    e.filmstrip = h('div', { class: 'filmstrip', role: 'list', 'aria-label': 'Fixed-noise samples over training' });
    e.config = h('pre', { class: 'config' });
    e.openConfig = h('vscode-button', { secondary: true, text: 'Open config.json' });
    e.openConfig.addEventListener('click', () => {
      if (this.configPath) this.channel.post({ type: 'openFile', path: this.configPath });
    });

    return h(
      'div',
      { class: 'dashboard' },
      e.header,
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'loss-title' },
        h('h2', { id: 'loss-title', text: 'Losses' }),
        h('div', { class: 'controls' }, ...smoothing, e.log, ...rangeControl((f) => this.applyZoom(f))),
        e.series,
        e.lossChart,
        e.readout,
      ),
      e.dSection,
      e.qSection,
      e.rSection,
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'samples-title' },
        h('h2', { id: 'samples-title', text: 'Samples' }),
        h('figure', { class: 'big' }, e.bigImg, e.imgCaption),
        h('div', { class: 'controls' }, h('label', { for: 'scrubber', text: 'Step' }), e.scrubber, e.follow, e.openImg),
        h('h3', { text: 'Filmstrip (same fixed noise across training)' }),
        e.filmstrip,
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'config-title' },
        h('h2', { id: 'config-title', text: 'Config' }),
        e.config,
        h('div', { class: 'controls' }, e.openConfig),
      ),
    );
  }

  onMessage(m: HostMessage): void {
    switch (m.type) {
      case 'reset': {
        this.run = m.run;
        if (m.run && m.run.runDir !== this.st.runDir) {
          // Another run than the restored state: its scrub position means nothing here.
          this.st = { ...this.st, runDir: m.run.runDir, scrubStep: null };
        }
        this.points = [...m.points];
        this.samples = new Map(m.samples.map((s) => [s.step, s.uri]));
        this.config = m.config;
        this.configPath = m.configPath;
        this.scrub = restoreScrub([...this.samples.keys()], this.st);
        this.renderHeader();
        this.renderCharts();
        this.renderSamples();
        this.renderConfig();
        break;
      }
      case 'status':
        if (this.run && m.run.runDir !== this.run.runDir) return;
        this.run = m.run;
        this.renderHeader();
        break;
      case 'points': {
        if (m.runDir !== this.run?.runDir) return;
        const last = this.points[this.points.length - 1]?.step ?? -1;
        const fresh = m.points.filter((p) => p.step > last);
        if (!fresh.length) return;
        this.points.push(...fresh);
        this.renderCharts();
        this.renderHeader();
        break;
      }
      case 'samples':
        if (m.runDir !== this.run?.runDir) return;
        for (const s of m.samples) this.samples.set(s.step, s.uri);
        this.scrub = addSteps(
          this.scrub,
          m.samples.map((s) => s.step),
        );
        this.renderSamples();
        break;
    }
    this.save();
  }

  private save(): void {
    this.channel.setState(this.st);
  }

  private saveAndRenderCharts(): void {
    this.save();
    this.renderCharts();
  }

  private renderHeader(): void {
    const run = this.run;
    const e = this.el.headerInfo;
    this.actions.update(run ? actionsFor(run, 'dashboard') : []);
    if (!run) {
      e.replaceChildren(h('h1', { text: 'Training dashboard' }), h('p', { class: 'muted', text: 'Loading the run…' }));
      return;
    }
    const recent = this.points
      .slice(-20)
      .map((p) => p.msPerStep)
      .filter((v): v is number => v !== undefined && Number.isFinite(v))
      .sort((a, b) => a - b);
    const ms = recent.length ? recent[Math.floor(recent.length / 2)] : undefined;
    const speed = [
      run.backend ? `backend ${run.backend}` : '',
      run.stepsPerSec ? formatRate(run.stepsPerSec) : '',
      ms !== undefined ? `${formatNumber(ms, 3)} ms/step (trainer)` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    e.replaceChildren();
    append(e, [
      h('h1', { title: run.runDir, text: run.name }),
      statusLine(run),
      speed ? h('div', { class: 'muted speed', text: speed }) : null,
      run.message ? h('div', { class: 'message', role: 'alert', text: run.message }) : null,
    ]);
  }

  private renderCharts(): void {
    const colors = seriesColors();
    const names = lossNames(this.points);
    const { xs, ys } = toColumns(this.points, names, (p, n) => p.losses[n]);
    const series: ChartSeries[] = names.map((name, i) => ({
      name,
      color: colors[i % colors.length],
      raw: ys[i],
      smooth: smooth(ys[i], this.st.smoothing),
      visible: !this.st.hidden.includes(name),
    }));
    this.smoothed = new Map(series.map((x) => [x.name, x.smooth]));
    this.renderToggles(names);
    this.lossChart.update({ xs, series, distr: scaleDistr(ys, this.st.logScale), showRaw: this.st.smoothing > 0 });
    const dNames = ['dReal', 'dFake'].filter((k) => this.points.some((p) => p[k as 'dReal'] !== undefined));
    this.el.dSection.hidden = !dNames.length;
    if (dNames.length) {
      const d = toColumns(this.points, dNames, (p, n) => p[n as 'dReal' | 'dFake']);
      this.dChart.update({
        xs: d.xs,
        distr: 1,
        showRaw: this.st.smoothing > 0,
        series: dNames.map((n, i) => ({
          name: n === 'dReal' ? 'D(x)' : 'D(G(z))',
          color: colors[(i + 2) % colors.length],
          raw: d.ys[i],
          smooth: smooth(d.ys[i], this.st.smoothing),
          visible: true,
        })),
      });
    }
    this.renderScores(colors);
  }

  /** The sample steps' scores, unsmoothed (there are few of them); log scale with the losses'. */
  private renderScores(colors: string[]): void {
    this.scored = this.points.filter((p) => p.scores);
    const all = [...new Set(this.scored.flatMap((p) => Object.keys(p.scores ?? {})))];
    const color = (n: string) => colors[all.indexOf(n) % colors.length];
    this.scoreChart(
      this.qChart,
      this.el.qSection,
      all.filter((n) => !HIGHER_BETTER.has(n)),
      color,
      true,
    );
    this.scoreChart(
      this.rChart,
      this.el.rSection,
      all.filter((n) => HIGHER_BETTER.has(n)),
      color,
      false,
    );
  }

  private scoreChart(
    chart: Chart,
    section: HTMLElement,
    names: string[],
    color: (n: string) => string,
    logScale: boolean,
  ): void {
    section.hidden = !names.length;
    if (!names.length) return;
    const q = toColumns(this.scored, names, (p, n) => p.scores?.[n]);
    chart.update({
      xs: q.xs,
      distr: logScale ? scaleDistr(q.ys, this.st.logScale) : 1,
      showRaw: false,
      series: names.map((name, i) => ({ name, color: color(name), raw: q.ys[i], smooth: q.ys[i], visible: true })),
    });
  }

  private renderToggles(names: string[]): void {
    const have = [...this.el.series.children].map((c) => c.getAttribute('data-name'));
    if (have.join('\n') === names.join('\n')) return;
    this.el.series.replaceChildren(
      ...names.map((n, i) => {
        const cb = h('vscode-checkbox', { label: n, checked: !this.st.hidden.includes(n), 'data-series': n });
        cb.addEventListener('change', () => {
          const on = !!(cb as unknown as { checked: boolean }).checked;
          this.st.hidden = on ? this.st.hidden.filter((x) => x !== n) : [...new Set([...this.st.hidden, n])];
          this.saveAndRenderCharts();
        });
        // The swatch ties the toggle to its line colour (same palette order as the chart).
        return h(
          'span',
          { class: 'toggle', 'data-name': n },
          h('span', { class: `swatch swatch-${i % 6}`, 'aria-hidden': 'true' }),
          cb,
        );
      }),
    );
  }

  private applyZoom(fraction: number): void {
    const range = zoomWindow(
      this.points.map((p) => p.step),
      fraction,
    );
    this.lossChart.zoom(range);
    this.dChart.zoom(range);
    this.qChart.zoom(range);
    this.rChart.zoom(range);
  }

  private hover(idx: number | null): void {
    this.hoverIdx = idx;
    const p = idx === null ? undefined : this.points[idx];
    if (!p) {
      this.el.readout.textContent = 'Hover the chart for values; drag to zoom, double-click to reset.';
      return;
    }
    const names = lossNames(this.points);
    const parts = names.map((n) => {
      const sm = this.smoothed.get(n)?.[idx as number];
      return `${n} ${formatNumber(p.losses[n])}${this.st.smoothing > 0 && sm != null ? ` (smoothed ${formatNumber(sm)})` : ''}`;
    });
    if (p.dReal !== undefined) parts.push(`D(x) ${formatNumber(p.dReal, 3)}`);
    if (p.dFake !== undefined) parts.push(`D(G(z)) ${formatNumber(p.dFake, 3)}`);
    for (const [n, v] of Object.entries(p.scores ?? {})) parts.push(`${n} ${formatNumber(v)}`);
    this.el.readout.textContent = `step ${p.step} · ${parts.join(' · ')}`;
  }

  private setScrub(s: ScrubState): void {
    this.scrub = s;
    Object.assign(this.st, scrubSettings(s));
    this.save();
    this.renderSamples();
  }

  private renderSamples(): void {
    const e = this.el;
    const s = this.scrub;
    const step = s.steps[s.index];
    const uri = step === undefined ? undefined : this.samples.get(step);
    showScrub(e.scrubber as HTMLInputElement, s);
    (e.follow as unknown as { checked: boolean }).checked = s.follow;
    const img = e.bigImg as HTMLImageElement;
    if (uri) {
      if (img.getAttribute('src') !== uri) img.src = uri;
      img.alt = `Sample grid at step ${step}`;
      img.hidden = false;
      e.imgCaption.textContent = `step ${step} · ${s.index + 1} of ${s.steps.length} saved grids`;
    } else {
      img.hidden = true;
      e.imgCaption.textContent = 'No sample grids saved yet.';
    }
    this.renderFilmstrip(step);
  }

  private renderFilmstrip(selected: number | undefined): void {
    const steps = filmstripSteps(this.scrub.steps, FILMSTRIP);
    this.el.filmstrip.replaceChildren(
      ...steps.map((st) => {
        const b = h(
          'button',
          {
            class: `thumb${st === selected ? ' selected' : ''}`,
            role: 'listitem',
            title: `Show step ${st}`,
            'aria-pressed': String(st === selected),
          },
          h('img', { src: this.samples.get(st) ?? '', alt: '' }),
          h('span', { text: String(st) }),
        );
        b.addEventListener('click', () => this.setScrub({ ...selectStep(this.scrub, st) }));
        return b;
      }),
    );
  }

  private openSample(): void {
    const step = this.scrub.steps[this.scrub.index];
    const runDir = this.run?.runDir;
    if (step === undefined || !runDir) return;
    // Native separators: the host validates the path against the run folder anyway.
    const sep = runDir.includes('\\') && !runDir.includes('/') ? '\\' : '/';
    this.channel.post({
      type: 'openFile',
      path: `${runDir}${sep}samples${sep}step-${String(step).padStart(8, '0')}.png`,
    });
  }

  private renderConfig(): void {
    this.el.config.textContent =
      this.config === undefined ? 'No config.json in this run.' : JSON.stringify(this.config, null, 2);
    (this.el.openConfig as HTMLElement).hidden = !this.configPath;
  }

  /** For tests. */
  get snapshot() {
    return { st: this.st, scrub: this.scrub, points: this.points.length, hoverIdx: this.hoverIdx };
  }
}
