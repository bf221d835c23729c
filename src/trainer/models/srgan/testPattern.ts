// The fixed inputs of an SR run's sample grid: synthetic test charts (zone plate, Siemens
// star, angled edges, fine text-like bars) drawn in code. They need no data access, they
// are the same in every run, and they show exactly what SR is about: where fine detail
// turns to mush or aliasing.

/** `count` charts of size x size RGB in [-1, 1], NHWC. */
export function testCharts(count: number, size: number): Float32Array {
  const out = new Float32Array(count * size * size * 3);
  const colours = [[0.9, 0.9, 0.9], [0.95, 0.7, 0.2], [0.3, 0.7, 0.95], [0.5, 0.9, 0.4]];
  for (let k = 0; k < count; k++) {
    const col = colours[k % colours.length];
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const u = (x + 0.5) / size - 0.5, v = (y + 0.5) / size - 0.5;
        let g: number;
        switch (k % 4) {
          case 0: g = 0.5 + 0.5 * Math.cos(Math.PI * size * 0.9 * (u * u + v * v)); break; // zone plate
          case 1: g = Math.sin(24 * Math.atan2(v, u)) > 0 ? 1 : 0; break; // Siemens star
          case 2: g = ((Math.floor((u * 0.8 + v * 0.6) * 14) + Math.floor((v - u * 0.3) * 9)) & 1) ? 1 : 0.1; break; // angled edges
          default: g = (Math.floor(x / Math.max(1, Math.floor(1 + (y / size) * 6))) & 1) ? 0.95 : 0.05; // bars, finer at the top
        }
        const d = ((k * size + y) * size + x) * 3;
        for (let c = 0; c < 3; c++) out[d + c] = 2 * (0.05 + 0.9 * g * col[c]) - 1;
      }
    }
  }
  return out;
}
