// Example pictures for new image-to-image and super-resolution projects when the user has not
// picked a folder of their own: small landscapes painted from a seed (sky, sun, cloud, layered
// hills, textured ground). Painted here rather than shipped as photos: no licences to track,
// any number of them, and they have what the translation tasks need: colour (for
// grayscale -> colour), edges, and fine texture (for super-resolution).
import { Rng } from '../engine/rng';
import type { RawImage } from '../engine/image/types';

type RGB = [number, number, number];

/** Day (blue sky, green hills) and dusk (orange sky, violet hills): two domains for CycleGAN. */
export type Palette = 'day' | 'dusk';

const PALETTES: Record<Palette, { skyTop: RGB; skyBottom: RGB; sun: RGB; hills: RGB[]; ground: RGB }> = {
  day: {
    skyTop: [70, 130, 210],
    skyBottom: [190, 220, 245],
    sun: [255, 245, 200],
    hills: [
      [120, 150, 170],
      [80, 140, 80],
      [50, 110, 50],
    ],
    ground: [110, 90, 50],
  },
  dusk: {
    skyTop: [60, 40, 110],
    skyBottom: [250, 150, 80],
    sun: [255, 220, 120],
    hills: [
      [120, 80, 130],
      [80, 50, 100],
      [45, 30, 70],
    ],
    ground: [60, 40, 50],
  },
};

const mix = (a: RGB, b: RGB, t: number): RGB => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];
const shade = (c: RGB, k: number): RGB => [c[0] * k, c[1] * k, c[2] * k];

/** Smooth 1-D noise: a few sines of random phase and falling amplitude. */
function ridge(rng: Rng, octaves: number): (x: number) => number {
  const waves = Array.from({ length: octaves }, (_, i) => ({
    f: (i + 1) * (1 + rng.random()) * Math.PI,
    p: rng.random() * 2 * Math.PI,
    a: 1 / (i + 1.5),
  }));
  return (x) => waves.reduce((s, w) => s + w.a * Math.sin(w.f * x + w.p), 0);
}

export function paintScene(seed: number, width: number, height: number, palette: Palette = 'day'): RawImage {
  const rng = new Rng(seed, 7);
  const pal = PALETTES[palette];
  const data = new Uint8Array(width * height * 3);
  const sun = { x: 0.15 + 0.7 * rng.random(), y: 0.1 + 0.25 * rng.random(), r: 0.05 + 0.06 * rng.random() };
  const cloud = { x: rng.random(), y: 0.1 + 0.2 * rng.random(), w: 0.2 + 0.2 * rng.random() };
  const hills = pal.hills.map((colour, i) => ({
    colour: shade(colour, 0.85 + 0.3 * rng.random()),
    base: 0.45 + 0.12 * i + 0.05 * rng.random(),
    amp: 0.12 - 0.02 * i,
    line: ridge(rng, 3 + i * 2),
  }));
  const groundLevel = 0.82 + 0.08 * rng.random();
  const grain = () => (rng.random() - 0.5) * 18;

  for (let py = 0; py < height; py++) {
    const y = py / height;
    for (let px = 0; px < width; px++) {
      const x = px / width;
      let c = mix(pal.skyTop, pal.skyBottom, y / 0.6);
      const d = Math.hypot(x - sun.x, (y - sun.y) * (height / width));
      if (d < sun.r * 2) c = mix(c, pal.sun, d < sun.r ? 1 : 1 - (d - sun.r) / sun.r);
      const cd = ((x - cloud.x) / cloud.w) ** 2 + ((y - cloud.y) / 0.05) ** 2;
      if (cd < 1) c = mix(c, [245, 245, 245], 0.8 * (1 - cd));
      for (const h of hills) {
        // Nearer hills (drawn later) cover farther ones; texture grows toward the viewer.
        if (y > h.base - h.amp * h.line(x)) c = shade(h.colour, 1 + 0.15 * Math.sin(40 * x + 25 * y) * (h.base - 0.4));
      }
      if (y > groundLevel) c = shade(pal.ground, 0.8 + 0.4 * Math.abs(Math.sin(90 * x) * Math.cos(60 * y)));
      const g = grain();
      const o = (py * width + px) * 3;
      data[o] = Math.max(0, Math.min(255, c[0] + g));
      data[o + 1] = Math.max(0, Math.min(255, c[1] + g));
      data[o + 2] = Math.max(0, Math.min(255, c[2] + g));
    }
  }
  return { width, height, channels: 3, data };
}
