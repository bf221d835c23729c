// The compare page: two images under one zoom/pan transform, either overlaid with a
// before/after divider (a keyboard slider) or side by side; Fit, 1:1 (one image pixel per
// device pixel), zoom buttons; sizes and PSNR-Y below. Everything is built with DOM calls
// (no innerHTML); every message is validated before use.
import {
  parseCompareHostMessage,
  parseCompareState,
  type CompareImage,
  type CompareShow,
  type CompareViewState,
  type CompareWebviewMessage,
  type Side,
} from '../../src/shared/compareProtocol';
import { formatBytes, formatMegapixels } from '../../src/shared/imageFiles';
import { h } from './dom';
import { validated, type Channel } from './vscodeApi';
import { compareSize, formatPsnr, lumaPsnr } from './imageMath';
import { clampSplit, fitView, keepCentre, oneToOne, panBy, zoomAt, zoomTo, type View } from './viewTransform';

export type CompareChannel = Channel<CompareWebviewMessage, CompareViewState>;

/** Largest comparison (pixels at the smaller size) the page measures PSNR for. */
export const MAX_PSNR_PIXELS = 16e6;

export class CompareApp {
  private state: CompareViewState;
  private show: CompareShow | undefined;
  private view: View = { zoom: 1, x: 0, y: 0 };
  private ref = { w: 1, h: 1 };
  private fitted = false;
  private readonly imgs: Record<Side, HTMLImageElement[]> = { before: [], after: [] };
  private readonly stage: HTMLElement;
  private readonly info: HTMLElement;
  private readonly zoomLabel: HTMLElement;
  private readonly psnr: HTMLElement;
  private readonly modeButtons: Record<CompareViewState['mode'], HTMLButtonElement>;
  private readonly smooth: HTMLInputElement;
  private divider: HTMLElement | undefined;
  private afterLayer: HTMLElement | undefined;
  private viewports: HTMLElement[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly channel: CompareChannel,
    private readonly env: { devicePixelRatio(): number } = { devicePixelRatio: () => window.devicePixelRatio || 1 },
  ) {
    this.state = parseCompareState(channel.getState());
    const btn = (label: string, title: string, fn: () => void, attrs: Record<string, string> = {}) => {
      const b = h('button', { type: 'button', class: 'tool', title, 'aria-label': title, ...attrs }, label);
      b.addEventListener('click', fn);
      return b;
    };
    this.modeButtons = {
      slider: btn('Slider', 'Before/after slider', () => this.setMode('slider'), { 'data-mode': 'slider' }),
      side: btn('Side by side', 'Side by side, zoom and pan in sync', () => this.setMode('side'), {
        'data-mode': 'side',
      }),
    };
    this.zoomLabel = h('span', { class: 'zoom-label', 'aria-live': 'polite' });
    this.smooth = h('input', { type: 'checkbox', id: 'smooth-before' });
    this.smooth.checked = this.state.smoothBefore;
    this.smooth.addEventListener('change', () => {
      this.state.smoothBefore = this.smooth.checked;
      this.save();
      this.apply();
    });
    const toolbar = h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Compare view' },
      h('span', { class: 'group' }, this.modeButtons.slider, this.modeButtons.side),
      h(
        'span',
        { class: 'group' },
        btn('Fit', 'Fit to view (0)', () => this.fit(), { 'data-action': 'fit' }),
        btn('1:1', 'One image pixel per screen pixel (1)', () => this.oneToOne(), { 'data-action': 'one' }),
        btn('−', 'Zoom out (-)', () => this.zoomBy(1 / 1.5), { 'data-action': 'zoom-out' }),
        btn('+', 'Zoom in (+)', () => this.zoomBy(1.5), { 'data-action': 'zoom-in' }),
        this.zoomLabel,
      ),
      h('label', { class: 'group', for: 'smooth-before' }, this.smooth, ' Smooth "before"'),
    );
    this.stage = h('div', { class: 'stage' });
    this.psnr = h('span', { class: 'psnr' });
    this.info = h('div', { class: 'info' });
    root.append(toolbar, this.stage, this.info);
    root.addEventListener('keydown', (e) => this.onKey(e));
    window.addEventListener('resize', () => this.onResize());
    channel.onMessage(validated(parseCompareHostMessage, (m) => this.onShow(m)));
    this.render();
    channel.post({ type: 'ready' });
  }

  private save(): void {
    this.channel.setState({ ...this.state, files: this.show?.files ?? this.state.files });
  }

  private onShow(m: CompareShow): void {
    this.show = m;
    this.fitted = false;
    this.ref = { w: 1, h: 1 };
    this.save();
    this.render();
  }

  // ------------------------------------------------------------------ layout

  private image(side: Side): HTMLImageElement {
    const src = this.show?.[side];
    const img = h('img', {
      class: `img ${side}`,
      alt: src ? `${side === 'before' ? 'Before' : 'After'}: ${src.name}` : '',
      draggable: 'false',
    });
    // CORS mode: the webview's resource responses allow it, and it keeps the canvas readable for PSNR.
    img.crossOrigin = 'anonymous';
    img.addEventListener('load', () => this.onImageLoad());
    if (src) img.src = src.uri;
    this.imgs[side].push(img);
    return img;
  }

  private viewport(label: string, ...children: HTMLElement[]): HTMLElement {
    const vp = h(
      'div',
      {
        class: 'viewport',
        tabindex: '0',
        role: 'group',
        'aria-label': `${label}: drag to pan, wheel or + and - to zoom, arrow keys to pan`,
      },
      ...children,
    );
    let drag: { x: number; y: number; id: number } | undefined;
    vp.addEventListener('pointerdown', (e) => {
      if ((e.target as HTMLElement).closest('.divider')) return;
      drag = { x: e.clientX, y: e.clientY, id: e.pointerId };
      vp.setPointerCapture?.(e.pointerId);
      vp.classList.add('dragging');
    });
    vp.addEventListener('pointermove', (e) => {
      if (!drag || drag.id !== e.pointerId) return;
      this.setView(panBy(this.view, e.clientX - drag.x, e.clientY - drag.y));
      drag = { ...drag, x: e.clientX, y: e.clientY };
    });
    const end = () => {
      drag = undefined;
      vp.classList.remove('dragging');
    };
    vp.addEventListener('pointerup', end);
    vp.addEventListener('pointercancel', end);
    vp.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const r = vp.getBoundingClientRect();
        this.setView(zoomAt(this.view, Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top));
      },
      { passive: false },
    );
    this.viewports.push(vp);
    return vp;
  }

  private render(): void {
    this.imgs.before = [];
    this.imgs.after = [];
    this.viewports = [];
    this.divider = undefined;
    this.afterLayer = undefined;
    this.stage.replaceChildren();
    for (const [mode, b] of Object.entries(this.modeButtons))
      b.setAttribute('aria-pressed', String(mode === this.state.mode));
    if (!this.show) {
      this.stage.append(h('p', { class: 'muted empty' }, 'Loading the images…'));
      this.info.replaceChildren();
      return;
    }
    if (this.state.mode === 'slider') {
      const divider = h(
        'div',
        {
          class: 'divider',
          role: 'slider',
          tabindex: '0',
          'aria-label': 'Before/after split (arrow keys move it)',
          'aria-valuemin': '0',
          'aria-valuemax': '100',
        },
        h('span', { class: 'handle' }),
      );
      this.divider = divider;
      this.afterLayer = h('div', { class: 'layer after-layer' }, this.image('after'));
      const vp = this.viewport(
        'Before and after',
        h('div', { class: 'layer' }, this.image('before')),
        this.afterLayer,
        divider,
        h('span', { class: 'tag tag-before' }, 'Before'),
        h('span', { class: 'tag tag-after' }, 'After'),
      );
      this.dragDivider(divider, vp);
      this.stage.append(vp);
    } else {
      this.stage.append(
        this.viewport(
          'Before',
          h('div', { class: 'layer' }, this.image('before')),
          h('span', { class: 'tag tag-before' }, 'Before'),
        ),
        this.viewport(
          'After',
          h('div', { class: 'layer' }, this.image('after')),
          h('span', { class: 'tag tag-after' }, 'After'),
        ),
      );
    }
    this.stage.dataset.mode = this.state.mode;
    this.renderInfo();
    this.apply();
  }

  private dragDivider(divider: HTMLElement, vp: HTMLElement): void {
    let active: number | undefined;
    const move = (clientX: number) => {
      const r = vp.getBoundingClientRect();
      if (r.width > 0) this.setSplit(((clientX - r.left) / r.width) * 100);
    };
    divider.addEventListener('pointerdown', (e) => {
      active = e.pointerId;
      divider.setPointerCapture?.(e.pointerId);
      e.stopPropagation();
    });
    divider.addEventListener('pointermove', (e) => {
      if (active === e.pointerId) move(e.clientX);
    });
    divider.addEventListener('pointerup', () => {
      active = undefined;
    });
  }

  private renderInfo(): void {
    const s = this.show;
    if (!s) return;
    const file = (side: Side, img: CompareImage) => {
      const dims =
        img.width && img.height
          ? `${img.width}×${img.height} (${formatMegapixels(img.width, img.height)})`
          : 'size unknown';
      const link = (label: string, action: 'open' | 'reveal') => {
        const b = h('button', { type: 'button', class: 'link', 'data-side': side, 'data-action': action }, label);
        b.addEventListener('click', () => this.channel.post({ type: 'file', side, action }));
        return b;
      };
      return h(
        'div',
        { class: `file file-${side}` },
        h('strong', {}, side === 'before' ? 'Before ' : 'After '),
        h('span', { class: 'name', title: img.label }, img.label),
        ' ',
        h('span', { class: 'dims' }, dims),
        ' · ',
        h('span', { class: 'bytes' }, formatBytes(img.bytes)),
        ' ',
        link('Open', 'open'),
        link('Reveal', 'reveal'),
      );
    };
    const b = s.before,
      a = s.after;
    const scale = b.width && a.width ? a.width / b.width : undefined;
    this.psnr.textContent = 'PSNR-Y: measuring…';
    this.info.replaceChildren(
      file('before', b),
      file('after', a),
      h(
        'div',
        { class: 'metrics' },
        scale && Math.abs(scale - 1) > 1e-9
          ? h('span', { class: 'scale' }, `Scale ×${Number(scale.toFixed(2))} · `)
          : null,
        this.psnr,
        s.note ? h('span', { class: 'note muted' }, ` · ${s.note}`) : null,
      ),
    );
  }

  // ------------------------------------------------------------------ transform

  private vpSize(): { w: number; h: number } {
    const vp = this.viewports[0];
    return { w: vp?.clientWidth || 800, h: vp?.clientHeight || 600 };
  }

  private onImageLoad(): void {
    const [b, a] = [this.imgs.before[0], this.imgs.after[0]];
    // The larger image sets the coordinate system; the other is stretched to cover the same area.
    const pick = [a, b].filter((i) => i?.naturalWidth).sort((x, y) => y.naturalWidth - x.naturalWidth)[0];
    if (pick) this.ref = { w: pick.naturalWidth, h: pick.naturalHeight };
    if (!this.fitted && pick) {
      this.fitted = true;
      this.fit();
    } else {
      this.apply();
    }
    if (b?.complete && a?.complete && b.naturalWidth && a.naturalWidth) void this.measurePsnr(b, a);
  }

  private setView(v: View): void {
    this.view = v;
    this.apply();
  }

  fit(): void {
    const { w, h: hh } = this.vpSize();
    this.setView(fitView(this.ref.w, this.ref.h, w, hh));
  }

  oneToOne(): void {
    const { w, h: hh } = this.vpSize();
    this.setView(oneToOne(this.view, w, hh, this.env.devicePixelRatio()));
  }

  zoomBy(f: number): void {
    const { w, h: hh } = this.vpSize();
    this.setView(zoomTo(this.view, this.view.zoom * f, w, hh));
  }

  setSplit(p: number): void {
    this.state.split = clampSplit(p);
    this.save();
    this.apply();
  }

  setMode(mode: CompareViewState['mode']): void {
    if (this.state.mode === mode) return;
    this.state.mode = mode;
    this.save();
    this.render();
    // New viewports have another size: fit again once laid out.
    requestAnimationFrame?.(() => this.fit());
  }

  private lastVp = { w: 0, h: 0 };
  private onResize(): void {
    const s = this.vpSize();
    if (this.lastVp.w) this.view = keepCentre(this.view, this.lastVp.w, this.lastVp.h, s.w, s.h);
    this.apply();
  }

  private apply(): void {
    const { zoom, x, y } = this.view;
    this.lastVp = this.vpSize();
    for (const side of ['before', 'after'] as const) {
      for (const img of this.imgs[side]) {
        img.style.width = `${this.ref.w}px`;
        img.style.height = `${this.ref.h}px`;
        img.style.transform = `translate(${x}px, ${y}px) scale(${zoom})`;
        // Zoomed far in (6+ screen pixels per image pixel) the pixels themselves are what one
        // wants to see; "before" unsmoothed shows the input's real pixels at any zoom.
        const perPixel = zoom * this.env.devicePixelRatio() * (this.ref.w / (img.naturalWidth || this.ref.w));
        const pixelated = (side === 'before' && !this.state.smoothBefore) || perPixel >= 6;
        img.classList.toggle('pixelated', pixelated);
      }
    }
    if (this.divider && this.afterLayer) {
      const p = this.state.split;
      this.divider.style.left = `${p}%`;
      this.divider.setAttribute('aria-valuenow', String(p));
      this.divider.setAttribute('aria-valuetext', `${Math.round(p)}% before, ${Math.round(100 - p)}% after`);
      this.afterLayer.style.clipPath = `inset(0 0 0 ${p}%)`;
    }
    const dpr = this.env.devicePixelRatio();
    this.zoomLabel.textContent = `${Math.round(zoom * dpr * 100)}%`;
  }

  // ------------------------------------------------------------------ keyboard

  private onKey(e: KeyboardEvent): void {
    const t = e.target as HTMLElement;
    if (t.classList?.contains('divider')) {
      const step = e.shiftKey || e.key === 'PageUp' || e.key === 'PageDown' ? 10 : 1;
      const to: Record<string, number> = {
        ArrowLeft: this.state.split - step,
        ArrowDown: this.state.split - step,
        PageDown: this.state.split - step,
        ArrowRight: this.state.split + step,
        ArrowUp: this.state.split + step,
        PageUp: this.state.split + step,
        Home: 0,
        End: 100,
      };
      if (e.key in to) {
        e.preventDefault();
        this.setSplit(to[e.key]);
      }
      return;
    }
    if (t.tagName === 'INPUT' || t.tagName === 'BUTTON') return;
    const pan: Record<string, [number, number]> = {
      ArrowLeft: [40, 0],
      ArrowRight: [-40, 0],
      ArrowUp: [0, 40],
      ArrowDown: [0, -40],
    };
    if (e.key in pan) {
      e.preventDefault();
      this.setView(panBy(this.view, ...pan[e.key]));
    } else if (e.key === '+' || e.key === '=') this.zoomBy(1.5);
    else if (e.key === '-' || e.key === '_') this.zoomBy(1 / 1.5);
    else if (e.key === '0') this.fit();
    else if (e.key === '1') this.oneToOne();
  }

  // ------------------------------------------------------------------ PSNR

  private async measurePsnr(b: HTMLImageElement, a: HTMLImageElement): Promise<void> {
    const show = this.show;
    const size = compareSize({ w: b.naturalWidth, h: b.naturalHeight }, { w: a.naturalWidth, h: a.naturalHeight });
    const done = (text: string) => {
      if (this.show === show) this.psnr.textContent = text;
    };
    if (size.w * size.h > MAX_PSNR_PIXELS) return done('PSNR-Y: not measured (images too large for the view)');
    const pixels = (img: HTMLImageElement) => {
      const c = document.createElement('canvas');
      c.width = size.w;
      c.height = size.h;
      const g = c.getContext('2d', { willReadFrequently: true });
      if (!g) return undefined;
      g.imageSmoothingEnabled = true;
      g.imageSmoothingQuality = 'high';
      g.drawImage(img, 0, 0, size.w, size.h);
      return g.getImageData(0, 0, size.w, size.h).data;
    };
    try {
      const pb = pixels(b),
        pa = pixels(a);
      if (!pb || !pa) return done('PSNR-Y: not available here');
      const db = lumaPsnr(pb, pa);
      const how =
        size.resized === 'none'
          ? ''
          : ` (${size.resized === 'a' ? 'before' : 'after'} scaled to ${size.w}×${size.h}: how faithful the larger stays to the smaller)`;
      done(`PSNR-Y ${formatPsnr(db)}${how}`);
    } catch {
      done('PSNR-Y: not available (the images could not be read)');
    }
  }
}
