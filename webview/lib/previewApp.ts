// The Live Preview page: newest sample grid, loss sparkline, D(x) and D(G(z)), status and
// actions. What it shows lives in its webview state, so a hidden-and-reshown view paints at
// once from that state and then asks the host only for what is newer.
import { formatNumber } from '../../src/shared/format';
import { RingBuffer } from '../../src/shared/ringBuffer';
import {
  parseHostMessage,
  type HostMessage,
  type MetricPoint,
  type PreviewState,
  type RunInfo,
  type SampleRef,
} from '../../src/shared/webviewProtocol';
import { validated, type RunViewChannel } from './vscodeApi';
import { h, seriesColors, svg } from './dom';
import { sparklineSegments } from './sparkline';
import { lossNames } from './smoothing';
import { ActionBar, actionsFor, statusLine } from './runView';

export const PREVIEW_POINTS = 300;
const SPARK = { width: 300, height: 64, pad: 3 };

export class PreviewApp {
  private run: RunInfo | null = null;
  private points = new RingBuffer<MetricPoint>(PREVIEW_POINTS);
  private sample: SampleRef | null = null;
  private readonly img: HTMLImageElement;
  private readonly caption: HTMLElement;
  private readonly top: HTMLElement;
  private readonly info: HTMLElement;
  private readonly actions: ActionBar;
  private readonly chart: HTMLElement;
  private readonly dvals: HTMLElement;
  private readonly sampleBox: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly channel: RunViewChannel<PreviewState>,
  ) {
    this.info = h('div', { class: 'run-info' });
    this.actions = new ActionBar((action) =>
      channel.post({ type: 'action', action, runDir: this.run?.runDir ?? null }),
    );
    this.top = h('div', { class: 'top' }, this.info, this.actions.el);
    this.img = h('img', { class: 'grid-img', alt: '' });
    this.caption = h('div', { class: 'caption' });
    this.sampleBox = h('figure', { class: 'sample' }, this.img, this.caption);
    this.chart = h('div', { class: 'spark', role: 'img' });
    this.dvals = h('div', { class: 'dvals' });
    root.append(this.top, this.sampleBox, this.chart, this.dvals);
    this.restore(channel.getState());
    channel.onMessage(validated(parseHostMessage, (m) => this.onMessage(m)));
    const last = this.points.last();
    channel.post({
      type: 'ready',
      view: 'preview',
      runDir: this.run?.runDir ?? null,
      lastStep: last?.step ?? -1,
      lastSampleStep: this.sample?.step ?? -1,
    });
  }

  private restore(saved: unknown): void {
    if (saved && typeof saved === 'object') {
      const s = saved as Partial<PreviewState>;
      this.run = s.run ?? null;
      for (const p of Array.isArray(s.points) ? s.points.slice(-PREVIEW_POINTS) : []) this.points.push(p);
      this.sample = s.sample ?? null;
    }
    this.renderAll();
  }

  private save(): void {
    this.channel.setState({ run: this.run, points: this.points.toArray(), sample: this.sample });
  }

  onMessage(m: HostMessage): void {
    switch (m.type) {
      case 'reset':
        this.run = m.run;
        this.points.clear();
        for (const p of m.points.slice(-PREVIEW_POINTS)) this.points.push(p);
        this.sample = null;
        this.showSample(m.samples[m.samples.length - 1] ?? null);
        this.renderAll();
        break;
      case 'status':
        if (this.run && this.run.runDir !== m.run.runDir) this.points.clear();
        this.run = m.run;
        this.renderTop();
        break;
      case 'points': {
        if (m.runDir !== this.run?.runDir) return;
        const lastStep = this.points.last()?.step ?? -1;
        for (const p of m.points) if (p.step > lastStep) this.points.push(p);
        this.renderChart();
        break;
      }
      case 'samples':
        if (m.runDir !== this.run?.runDir) return;
        this.showSample(m.samples[m.samples.length - 1] ?? null);
        break;
    }
    this.save();
  }

  private renderAll(): void {
    this.renderTop();
    this.renderSample();
    this.renderChart();
  }

  private renderTop(): void {
    const run = this.run;
    const children: (Node | string)[] = [];
    if (run) {
      children.push(h('div', { class: 'run-name', title: run.runDir, text: run.name }), statusLine(run));
      if (run.message) children.push(h('div', { class: 'message', role: 'alert', text: run.message }));
    } else {
      children.push(h('p', { class: 'empty', text: 'No training run yet. Start one from a gan.config.json.' }));
    }
    // The info is redrawn on every status; the buttons stay in place (ActionBar).
    this.info.replaceChildren(...children);
    this.actions.update(actionsFor(run, 'preview'));
    this.sampleBox.hidden = !run;
    this.chart.hidden = !run;
    this.dvals.hidden = !run;
  }

  /** Swaps the image only once the new one has loaded: no blank frame between grids. */
  private showSample(s: SampleRef | null): void {
    if (!s) {
      this.sample = null;
      this.renderSample();
      return;
    }
    if (this.sample?.uri === s.uri) return;
    this.sample = s;
    const pre = new Image();
    const done = () => {
      if (this.sample === s) this.renderSample();
    };
    pre.onload = done;
    pre.onerror = done;
    pre.src = s.uri;
  }

  private renderSample(): void {
    const s = this.sample;
    if (!s) {
      this.img.removeAttribute('src');
      this.img.alt = '';
      this.img.hidden = true;
      this.caption.textContent = this.run ? 'Waiting for the first sample grid…' : '';
      return;
    }
    this.img.hidden = false;
    if (this.img.getAttribute('src') !== s.uri) this.img.src = s.uri;
    this.img.alt = `Sample grid at step ${s.step}`;
    this.caption.textContent = `samples at step ${s.step}`;
  }

  private renderChart(): void {
    const pts = this.points.toArray();
    const names = lossNames(pts).slice(0, 4);
    const colors = seriesColors();
    const series = names.map((n) => pts.map((p) => p.losses[n] ?? NaN));
    const segs = sparklineSegments(series, SPARK);
    const el = svg('svg', {
      viewBox: `0 0 ${SPARK.width} ${SPARK.height}`,
      preserveAspectRatio: 'none',
      class: 'spark-svg',
      'aria-hidden': 'true',
    });
    segs.forEach((lines, i) => {
      for (const pointsAttr of lines) {
        el.append(
          svg('polyline', {
            points: pointsAttr,
            fill: 'none',
            stroke: colors[i % colors.length],
            'stroke-width': 1.5,
            'vector-effect': 'non-scaling-stroke',
          }),
        );
      }
    });
    const last = pts[pts.length - 1];
    const legend = h('div', { class: 'legend' });
    names.forEach((n, i) => {
      legend.append(
        h(
          'span',
          { class: 'legend-item' },
          h('span', { class: `swatch swatch-${i % 6}` }),
          `${n} ${formatNumber(last?.losses[n])}`,
        ),
      );
    });
    this.chart.setAttribute(
      'aria-label',
      names.length
        ? `Loss over the last ${pts.length} logged steps. ${names.map((n) => `${n} ${formatNumber(last?.losses[n])}`).join(', ')}`
        : 'No losses logged yet',
    );
    this.chart.replaceChildren(
      ...(names.length ? [el, legend] : [h('div', { class: 'muted', text: 'No losses logged yet' })]),
    );
    this.renderD(last);
  }

  private renderD(p: MetricPoint | undefined): void {
    if (!p || (p.dReal === undefined && p.dFake === undefined)) {
      this.dvals.replaceChildren();
      return;
    }
    const meter = (label: string, title: string, v: number | undefined) =>
      h(
        'div',
        { class: 'dval', title },
        h('span', { class: 'dval-label', text: label }),
        h('meter', { min: 0, max: 1, value: v !== undefined && Number.isFinite(v) ? v : 0, 'aria-label': label }),
        h('span', { class: 'dval-num', text: formatNumber(v, 3) }),
      );
    this.dvals.replaceChildren(
      meter('D(x)', 'Discriminator output on real images (1 = sure it is real)', p.dReal),
      meter('D(G(z))', 'Discriminator output on generated images (0 = sure it is fake)', p.dFake),
    );
  }
}
