// Controls shared by the dashboard and the Run Comparison: the charts' smoothing slider and
// x range ("Last 20%") picker, and the sample step scrubber. Native controls: keyboard reachable.
import { h } from './dom';
import type { ScrubState } from './scrubber';

export const ZOOMS: [string, number][] = [
  ['All steps', 1],
  ['Last 50%', 0.5],
  ['Last 20%', 0.2],
  ['Last 5%', 0.05],
];

/** Label, slider (#smoothing) and its value; `onChange` gets the new weight in [0, 0.99]. */
export function smoothingControl(value: number, onChange: (weight: number) => void): HTMLElement[] {
  const input = h('input', {
    type: 'range',
    min: 0,
    max: 0.99,
    step: 0.01,
    value,
    id: 'smoothing',
    'aria-label': 'Smoothing',
  });
  const shown = h('span', { class: 'muted', text: value.toFixed(2) });
  input.addEventListener('input', () => {
    const w = Number(input.value);
    shown.textContent = w.toFixed(2);
    onChange(w);
  });
  return [h('label', { for: 'smoothing', text: 'Smoothing' }), input, shown];
}

/** Label and picker (#zoom) of the shown x range; `onChange` gets the fraction (1 = all). */
export function rangeControl(onChange: (fraction: number) => void, value = 1): HTMLElement[] {
  const select = h(
    'select',
    { id: 'zoom', 'aria-label': 'Zoom' },
    ...ZOOMS.map(([label, f]) => h('option', { value: f, text: label, selected: f === value })),
  );
  select.addEventListener('change', () => onChange(Number(select.value)));
  return [h('label', { for: 'zoom', text: 'Range' }), select];
}

/** The last `fraction` of the x span of ascending `xs`; undefined = everything. */
export function zoomWindow(xs: readonly number[], fraction: number): { min: number; max: number } | undefined {
  if (!xs.length || fraction >= 1) return undefined;
  const max = xs[xs.length - 1];
  return { min: max - (max - xs[0]) * fraction, max };
}

/** The sample-step range input (#scrubber); `onPick` gets the index the user moved it to. */
export function scrubberInput(onPick: (index: number) => void): HTMLInputElement {
  const range = h('input', {
    type: 'range',
    min: 0,
    max: 0,
    step: 1,
    value: 0,
    id: 'scrubber',
    'aria-label': 'Sample step',
  }) as HTMLInputElement;
  range.addEventListener('input', () => onPick(Number(range.value)));
  return range;
}

/** Puts scrubber state `s` on its range input: bounds, position, the step for screen readers. */
export function showScrub(range: HTMLInputElement, s: ScrubState): void {
  const step = s.steps[s.index];
  range.max = String(Math.max(0, s.steps.length - 1));
  range.value = String(Math.max(0, s.index));
  range.disabled = s.steps.length < 2;
  range.setAttribute('aria-valuetext', step === undefined ? 'no samples' : `step ${step}`);
}
