// The "Explore Latent Space" page: a grid of a checkpoint's samples by seed (a row per class for
// cGAN), the spherical interpolation between two clicked samples, a truncation slider, and
// saving one image or a whole view. The host draws every image (in the inference child); this
// page only asks, shows data: URLs and keeps its settings in webview state.
import {
  DEFAULT_STEPS,
  maxSeeds,
  parseExploreHostMessage,
  parseSeedRange,
  seedRangeText,
  type ExploreGrid,
  type ExploreHostMessage,
  type ExploreInfo,
  type ExplorePath,
  type ExploreState,
  type ExploreView,
  type ExploreWebviewMessage,
} from '../../src/shared/exploreProtocol';
import { LATENT_LIMITS, MAX_SEED } from '../../src/shared/latentLimits';
import { h } from './dom';
import { validated, type Channel } from './vscodeApi';

export type ExploreChannel = Channel<ExploreWebviewMessage, ExploreState>;

/** A clicked grid image: one end of the next interpolation. */
interface End {
  seed: number;
  label?: number;
}

export function truncationTip(t: number): string {
  const v = t.toFixed(2);
  return t === 1
    ? 'Truncation ψ = 1: z as trained (no truncation)'
    : `Truncation ψ = ${v}: every z is scaled by ${v} toward 0, the mean of the noise (ψ = 0 gives the z = 0 image; 1 = as trained)`;
}

export class ExploreApp {
  private info: ExploreInfo | undefined;
  private st: ExploreState;
  private shown: { grid?: ExploreGrid; path?: ExplorePath } = {};
  private ends: End[] = [];
  private selected: { view: ExploreView; index: number } | undefined;
  private readonly el: Record<string, HTMLElement> = {};
  private readonly random: () => number;

  constructor(
    root: HTMLElement,
    private readonly channel: ExploreChannel,
    random: () => number = Math.random,
  ) {
    this.random = random;
    const saved = channel.getState() as Partial<ExploreState> | undefined;
    this.st = {
      seeds: typeof saved?.seeds === 'string' ? saved.seeds : '',
      truncation:
        typeof saved?.truncation === 'number' && saved.truncation >= 0 && saved.truncation <= 1 ? saved.truncation : 1,
      steps:
        typeof saved?.steps === 'number' && saved.steps >= 2 && saved.steps <= LATENT_LIMITS.steps
          ? Math.floor(saved.steps)
          : DEFAULT_STEPS,
    };
    root.append(this.layout());
    channel.onMessage(validated(parseExploreHostMessage, (m) => this.onMessage(m)));
    channel.post({ type: 'ready' });
  }

  private get classes(): string[] {
    return this.info?.classes ?? [];
  }

  private layout(): HTMLElement {
    const e = this.el;
    e.title = h('h2', { class: 'title', text: 'Explore Latent Space' });
    e.about = h('p', { class: 'muted' });
    e.seeds = h('input', {
      id: 'seeds',
      type: 'text',
      value: this.st.seeds,
      spellcheck: 'false',
      'aria-describedby': 'seed-help',
      size: 18,
    });
    e.draw = h('button', { id: 'draw', text: 'Draw' });
    e.newSeeds = h('button', {
      id: 'new-seeds',
      class: 'secondary',
      text: 'New seeds',
      title: 'Draw as many other seeds, chosen at random',
    });
    e.trunc = h('input', { id: 'truncation', type: 'range', min: 0, max: 1, step: 0.05, value: this.st.truncation });
    e.truncOut = h('output', { id: 'truncation-value', for: 'truncation', text: this.st.truncation.toFixed(2) });
    e.steps = h('input', { id: 'steps', type: 'number', min: 2, max: LATENT_LIMITS.steps, value: this.st.steps });
    e.saveImage = h('button', {
      id: 'save-image',
      class: 'secondary',
      text: 'Save image',
      disabled: true,
      title: 'Save the selected image as a PNG',
    });
    e.status = h('p', { id: 'status', class: 'status', role: 'status' });
    e.grid = h('div', { id: 'grid', class: 'latent-grid', role: 'group', 'aria-label': 'Samples by seed' });
    e.saveGrid = h('button', {
      id: 'save-grid',
      class: 'secondary',
      text: 'Save grid',
      disabled: true,
      title: 'Save the whole grid as one PNG',
    });
    e.path = h(
      'div',
      { id: 'path', class: 'latent-grid path', role: 'group', 'aria-label': 'Interpolation' },
      h('p', { class: 'muted', text: 'Click two samples above to see the spherical interpolation between their z.' }),
    );
    e.pathTitle = h('h3', { text: 'Interpolation' });
    e.savePath = h('button', {
      id: 'save-path',
      class: 'secondary',
      text: 'Save grid',
      disabled: true,
      title: 'Save the interpolation as one PNG',
    });
    this.setTruncationTip();
    this.wire();
    return h(
      'div',
      { class: 'explore' },
      e.title,
      e.about,
      h(
        'div',
        { class: 'toolbar' },
        h('label', { for: 'seeds', text: 'Seeds' }),
        e.seeds,
        e.draw,
        e.newSeeds,
        h('label', { for: 'truncation', text: 'Truncation' }),
        e.trunc,
        e.truncOut,
        h('label', { for: 'steps', text: 'Steps' }),
        e.steps,
        e.saveImage,
      ),
      h('p', {
        id: 'seed-help',
        class: 'muted',
        text: 'Seeds: a number, a range like 0-15, or a list (3, 7, 100-103). Click two images to interpolate between their z.',
      }),
      e.status,
      h(
        'section',
        { 'aria-label': 'Grid' },
        h('div', { class: 'section-head' }, h('h3', { text: 'Samples' }), e.saveGrid),
        e.grid,
      ),
      h(
        'section',
        { 'aria-label': 'Interpolation' },
        h('div', { class: 'section-head' }, e.pathTitle, e.savePath),
        e.path,
      ),
    );
  }

  private wire(): void {
    const e = this.el;
    e.draw.addEventListener('click', () => this.requestGrid());
    e.seeds.addEventListener('keydown', (ev) => {
      if ((ev as KeyboardEvent).key === 'Enter') this.requestGrid();
    });
    e.newSeeds.addEventListener('click', () => this.newSeeds());
    e.trunc.addEventListener('input', () => {
      this.st.truncation = Number((e.trunc as HTMLInputElement).value);
      e.truncOut.textContent = this.st.truncation.toFixed(2);
      this.setTruncationTip();
    });
    // Redraw once the slider is let go (not on every pixel of a drag).
    e.trunc.addEventListener('change', () => {
      this.requestGrid();
      this.requestPath();
    });
    e.steps.addEventListener('change', () => {
      const v = Math.round(Number((e.steps as HTMLInputElement).value));
      this.st.steps = Math.min(LATENT_LIMITS.steps, Math.max(2, Number.isFinite(v) ? v : DEFAULT_STEPS));
      (e.steps as HTMLInputElement).value = String(this.st.steps);
      this.save();
      this.requestPath();
    });
    e.saveImage.addEventListener('click', () => {
      if (this.selected) this.channel.post({ type: 'saveImage', ...this.selected });
    });
    e.saveGrid.addEventListener('click', () => this.channel.post({ type: 'saveGrid', view: 'grid' }));
    e.savePath.addEventListener('click', () => this.channel.post({ type: 'saveGrid', view: 'path' }));
  }

  private setTruncationTip(): void {
    const tip = truncationTip(this.st.truncation);
    this.el.trunc.title = tip;
    this.el.truncOut.title = tip;
    this.el.trunc.setAttribute('aria-valuetext', tip);
  }

  private save(): void {
    this.channel.setState(this.st);
  }

  private say(text: string, error = false): void {
    this.el.status.textContent = text;
    this.el.status.classList.toggle('error', error);
  }

  private onMessage(m: ExploreHostMessage): void {
    switch (m.type) {
      case 'init':
        return this.init(m.info);
      case 'busy':
        return this.setBusy(m.view, true);
      case 'grid':
        return this.showGrid(m);
      case 'path':
        return this.showPath(m);
      case 'error':
        this.setBusy(m.view, false);
        return this.say(m.message === 'cancelled' ? '' : `Could not draw: ${m.message}`, m.message !== 'cancelled');
      case 'saved':
        return this.say(`Saved ${m.name}`);
    }
  }

  private init(info: ExploreInfo): void {
    this.info = info;
    this.el.title.textContent = info.title;
    const cls = info.classes.length ? ` · ${info.classes.length} classes, a row each` : '';
    this.el.about.textContent = `${info.family} · step ${info.step}${cls}`;
    if (!this.st.seeds || typeof parseSeedRange(this.st.seeds, maxSeeds(info.classes.length)) === 'string') {
      this.st.seeds = seedRangeText(0, info.classes.length ? 8 : 16);
      (this.el.seeds as HTMLInputElement).value = this.st.seeds;
    }
    this.requestGrid();
    if (this.shown.path) this.requestPath();
  }

  private newSeeds(): void {
    const now = parseSeedRange((this.el.seeds as HTMLInputElement).value, maxSeeds(this.classes.length));
    const count = typeof now === 'string' ? (this.classes.length ? 8 : 16) : now.length;
    const start = Math.floor(this.random() * (MAX_SEED - count));
    (this.el.seeds as HTMLInputElement).value = seedRangeText(start, count);
    this.requestGrid();
  }

  private requestGrid(): void {
    if (!this.info) return;
    const text = (this.el.seeds as HTMLInputElement).value;
    const seeds = parseSeedRange(text, maxSeeds(this.classes.length));
    this.el.seeds.setAttribute('aria-invalid', String(typeof seeds === 'string'));
    if (typeof seeds === 'string') return this.say(seeds, true);
    this.st.seeds = text.trim();
    this.save();
    this.channel.post({ type: 'grid', seeds, truncation: this.st.truncation });
  }

  private requestPath(): void {
    const p = this.shown.path;
    if (!p) return;
    this.postPath(p.from, p.to, p.label);
  }

  private postPath(from: number, to: number, label?: number): void {
    this.channel.post({
      type: 'interpolate',
      from,
      to,
      steps: this.st.steps,
      truncation: this.st.truncation,
      ...(label !== undefined ? { label } : {}),
    });
  }

  private setBusy(view: ExploreView, busy: boolean): void {
    this.el[view].setAttribute('aria-busy', String(busy));
    if (busy) this.say(view === 'grid' ? 'Drawing the samples…' : 'Drawing the interpolation…');
  }

  private cell(
    src: string,
    label: string,
    caption: string,
    onClick: (b: HTMLButtonElement) => void,
  ): HTMLButtonElement {
    const b = h(
      'button',
      { class: 'cell', 'aria-label': label, 'aria-pressed': 'false', title: label },
      h('img', { src: `data:image/png;base64,${src}`, alt: '' }),
      h('span', { class: 'caption', text: caption }),
    );
    b.addEventListener('click', () => onClick(b));
    return b;
  }

  private className(k: number | undefined): string {
    if (k === undefined) return '';
    const n = this.classes[k];
    return n === undefined || n === String(k) ? `class ${k}` : `class ${k} (${n})`;
  }

  private showGrid(g: ExploreGrid): void {
    this.shown.grid = g;
    this.ends = [];
    if (this.selected?.view === 'grid') this.select(undefined);
    this.setBusy('grid', false);
    this.say('');
    const rows = g.labels.length ? g.labels : [undefined];
    const cols = g.seeds.length;
    const grid = this.el.grid;
    grid.replaceChildren();
    grid.classList.toggle('by-class', g.labels.length > 0);
    grid.style.setProperty('--cols', String(cols));
    grid.style.setProperty('--cell', `${Math.max(48, Math.min(128, g.width * 2))}px`);
    rows.forEach((label, r) => {
      if (label !== undefined)
        grid.append(h('span', { class: 'row-label', text: this.classes[label] ?? String(label) }));
      g.seeds.forEach((seed, c) => {
        const index = r * cols + c;
        const name = [`seed ${seed}`, this.className(label)].filter(Boolean).join(', ');
        grid.append(this.cell(g.images[index], name, String(seed), (b) => this.clickGrid(b, index, { seed, label })));
      });
    });
    this.el.saveGrid.toggleAttribute('disabled', false);
  }

  private clickGrid(b: HTMLButtonElement, index: number, end: End): void {
    this.select({ view: 'grid', index }, b);
    // A third click starts a new pair; both ends of the current one stay marked.
    if (this.ends.length >= 2) {
      this.ends = [];
      this.el.grid.querySelectorAll('.cell.end').forEach((x) => x.classList.remove('end'));
    }
    this.ends.push(end);
    b.classList.add('end');
    if (this.ends.length === 1) return this.say(`From seed ${end.seed}: click a second image to interpolate.`);
    const [a, z] = this.ends;
    this.postPath(a.seed, z.seed, a.label);
  }

  private showPath(p: ExplorePath): void {
    this.shown.path = p;
    if (this.selected?.view === 'path') this.select(undefined);
    this.setBusy('path', false);
    this.say('');
    const row = this.el.path;
    row.replaceChildren();
    row.style.setProperty('--cols', String(p.steps));
    row.style.setProperty('--cell', `${Math.max(48, Math.min(128, p.width * 2))}px`);
    const cls = this.className(p.label);
    this.el.pathTitle.textContent = `Interpolation: seed ${p.from} → seed ${p.to}${cls ? `, ${cls}` : ''} (spherical, ${p.steps} steps)`;
    p.images.forEach((src, i) => {
      const name = `step ${i + 1} of ${p.steps} from seed ${p.from} to seed ${p.to}`;
      row.append(this.cell(src, name, `${i + 1}/${p.steps}`, (b) => this.select({ view: 'path', index: i }, b)));
    });
    this.el.savePath.toggleAttribute('disabled', false);
    // The row is below a grid that may fill the view: bring it in (jsdom has no scrolling).
    row.scrollIntoView?.({ block: 'nearest' });
  }

  /** The image "Save image" writes. */
  private select(sel: { view: ExploreView; index: number } | undefined, button?: HTMLButtonElement): void {
    this.selected = sel;
    for (const b of document.querySelectorAll('.cell[aria-pressed="true"]')) b.setAttribute('aria-pressed', 'false');
    button?.setAttribute('aria-pressed', 'true');
    this.el.saveImage.toggleAttribute('disabled', !sel);
  }

  /** For tests: what the page shows. */
  get snapshot(): {
    seeds: number[];
    pathSteps: number;
    selected?: { view: ExploreView; index: number };
    status: string;
  } {
    return {
      seeds: this.shown.grid?.seeds ?? [],
      pathSteps: this.shown.path?.steps ?? 0,
      selected: this.selected,
      status: this.el.status.textContent ?? '',
    };
  }
}
