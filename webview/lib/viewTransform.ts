// Zoom and pan of the compare view as plain numbers: screen = offset + image * zoom (CSS px).
// Both images share one transform, which is what keeps them in sync. Pure: unit-tested.

export interface View {
  zoom: number;
  x: number;
  y: number;
}

export const MIN_ZOOM = 0.02;
export const MAX_ZOOM = 64;

const clampZoom = (z: number) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));

/** The whole image inside the viewport, centred (never enlarged past 1 CSS px per pixel... unless tiny). */
export function fitView(imgW: number, imgH: number, vpW: number, vpH: number): View {
  const zoom = clampZoom(Math.min(vpW / imgW, vpH / imgH));
  return { zoom, x: (vpW - imgW * zoom) / 2, y: (vpH - imgH * zoom) / 2 };
}

/** Zooms by `factor` keeping the image point under (cx, cy) where it is. */
export function zoomAt(v: View, factor: number, cx: number, cy: number): View {
  const zoom = clampZoom(v.zoom * factor);
  const k = zoom / v.zoom;
  return { zoom, x: cx - (cx - v.x) * k, y: cy - (cy - v.y) * k };
}

/** Sets an absolute zoom around the viewport centre. */
export function zoomTo(v: View, zoom: number, vpW: number, vpH: number): View {
  return zoomAt(v, clampZoom(zoom) / v.zoom, vpW / 2, vpH / 2);
}

/** One image pixel per device pixel (CSS px = device px / devicePixelRatio). */
export function oneToOne(v: View, vpW: number, vpH: number, devicePixelRatio: number): View {
  return zoomTo(v, 1 / (devicePixelRatio || 1), vpW, vpH);
}

export function panBy(v: View, dx: number, dy: number): View {
  return { ...v, x: v.x + dx, y: v.y + dy };
}

/** The same image point stays at the viewport centre when the viewport is resized. */
export function keepCentre(v: View, oldW: number, oldH: number, newW: number, newH: number): View {
  return { ...v, x: v.x + (newW - oldW) / 2, y: v.y + (newH - oldH) / 2 };
}

export function clampSplit(p: number): number {
  return Math.min(100, Math.max(0, Math.round(p * 10) / 10));
}
