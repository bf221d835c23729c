#!/usr/bin/env node
// Builds a folder of small square RGB photos for training dcgan on real pictures:
//   node scripts/make-photo-folder.mjs [--from DIR] [--out DIR] [--size 64] [--per-photo N]
// From every JPEG/PNG in --from (default /usr/share/backgrounds, where the Debian package
// lomiri-wallpapers-16.04 puts its 15 photographs: `apt-get install lomiri-wallpapers-16.04`;
// version 20.04.0-2 in Debian 12, each photo CC-BY-4.0, CC-BY-SA-4.0 or CC0-1.0, see
// /usr/share/doc/lomiri-wallpapers-16.04/copyright) it cuts square crops of several sizes
// (the whole shorter side, 1/2, 1/3 and 1/4 of it) on a regular grid of positions, and
// shrinks each to --size x --size by averaging the source pixels under each output pixel
// (a box filter: no aliasing). --per-photo caps the crops per photo (default 120, spread
// evenly over the scales). Files: <out>/<photo>-<scale>-<i>.png. Nothing random: the same
// input gives the same folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

const { values: v } = parseArgs({
  options: {
    from: { type: 'string', default: '/usr/share/backgrounds' },
    out: { type: 'string', default: 'photos64' },
    size: { type: 'string', default: '64' },
    'per-photo': { type: 'string', default: '120' },
  },
});
const S = Number(v.size),
  perPhoto = Number(v['per-photo']);
const SCALES = [1, 1 / 2, 1 / 3, 1 / 4];

function decode(file) {
  const buf = fs.readFileSync(file);
  if (/\.png$/i.test(file)) {
    const p = PNG.sync.read(buf);
    return { width: p.width, height: p.height, data: p.data };
  }
  return jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 2048, maxResolutionInMP: 100 });
}

/** The side x side square at (x0, y0) of img, box-averaged to S x S RGBA. */
function crop(img, x0, y0, side) {
  const out = new PNG({ width: S, height: S });
  const f = side / S;
  for (let oy = 0; oy < S; oy++) {
    const ya = y0 + Math.floor(oy * f),
      yb = Math.max(ya + 1, y0 + Math.floor((oy + 1) * f));
    for (let ox = 0; ox < S; ox++) {
      const xa = x0 + Math.floor(ox * f),
        xb = Math.max(xa + 1, x0 + Math.floor((ox + 1) * f));
      let r = 0,
        g = 0,
        b = 0;
      for (let y = ya; y < yb; y++) {
        let i = (y * img.width + xa) * 4;
        for (let x = xa; x < xb; x++, i += 4) {
          r += img.data[i];
          g += img.data[i + 1];
          b += img.data[i + 2];
        }
      }
      const n = (yb - ya) * (xb - xa),
        o = (oy * S + ox) * 4;
      out.data[o] = Math.round(r / n);
      out.data[o + 1] = Math.round(g / n);
      out.data[o + 2] = Math.round(b / n);
      out.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(out);
}

const photos = fs
  .readdirSync(v.from)
  .filter((f) => /\.(jpe?g|png)$/i.test(f))
  .sort();
if (!photos.length) {
  console.error(`no JPEG or PNG photos in ${v.from} (apt-get install lomiri-wallpapers-16.04, or --from DIR)`);
  process.exit(1);
}
fs.mkdirSync(v.out, { recursive: true });
let total = 0;
for (const name of photos) {
  const img = decode(path.join(v.from, name));
  const short = Math.min(img.width, img.height);
  const stem = path.parse(name).name.replace(/[^A-Za-z0-9_-]+/g, '_');
  let made = 0;
  SCALES.forEach((scale, si) => {
    const side = Math.floor(short * scale);
    // Crops of this scale: an even share of perPhoto, on a grid as square as the photo allows.
    const want = Math.max(1, Math.round(perPhoto / SCALES.length));
    const spanX = img.width - side,
      spanY = img.height - side;
    const cols =
      spanX === 0 ? 1 : spanY === 0 ? want : Math.min(want, Math.max(1, Math.round(Math.sqrt((want * spanX) / spanY))));
    const rows = spanY === 0 ? 1 : Math.max(1, Math.round(want / cols));
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const x0 = cols === 1 ? Math.floor(spanX / 2) : Math.round((c * spanX) / (cols - 1));
        const y0 = rows === 1 ? Math.floor(spanY / 2) : Math.round((r * spanY) / (rows - 1));
        fs.writeFileSync(
          path.join(v.out, `${stem}-s${si}-${String(made).padStart(3, '0')}.png`),
          crop(img, x0, y0, side),
        );
        made++;
      }
    }
  });
  total += made;
  console.log(`${name}: ${img.width}x${img.height}, ${made} crops`);
}
console.log(`${total} images of ${S}x${S} from ${photos.length} photos in ${path.resolve(v.out)}`);
