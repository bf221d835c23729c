// The dashboard's sample-history scrubber: which saved grid is shown, and whether it follows
// the newest one as training goes on. Pure: unit-tested.

export interface ScrubState {
  /** Steps that have a saved grid, ascending, unique. */
  steps: number[];
  /** Index into steps of the grid shown (-1 when there is none). */
  index: number;
  /** Jump to each new grid as it arrives (on while the newest is selected). */
  follow: boolean;
}

export function emptyScrub(): ScrubState {
  return { steps: [], index: -1, follow: true };
}

export function addSteps(s: ScrubState, steps: readonly number[]): ScrubState {
  const selected = s.steps[s.index];
  const all = [...new Set([...s.steps, ...steps])].sort((a, b) => a - b);
  const index = s.follow || selected === undefined ? all.length - 1 : all.indexOf(selected);
  return { steps: all, index, follow: s.follow };
}

export function selectIndex(s: ScrubState, i: number): ScrubState {
  if (!s.steps.length) return s;
  const index = Math.min(Math.max(Math.round(i), 0), s.steps.length - 1);
  return { ...s, index, follow: index === s.steps.length - 1 };
}

/** Index of the step in `steps` closest to `step` (ties go to the earlier one); -1 when empty. */
export function nearestIndex(steps: readonly number[], step: number): number {
  let best = steps.length ? 0 : -1;
  for (let i = 1; i < steps.length; i++) {
    if (Math.abs(steps[i] - step) < Math.abs(steps[best] - step)) best = i;
  }
  return best;
}

/** Selects the saved step closest to `step` (ties go to the earlier one). */
export function selectStep(s: ScrubState, step: number): ScrubState {
  return s.steps.length ? selectIndex(s, nearestIndex(s.steps, step)) : s;
}

export function setFollow(s: ScrubState, follow: boolean): ScrubState {
  return follow ? { ...s, follow, index: s.steps.length - 1 } : { ...s, follow };
}

/** Keyboard on the big image: arrows step, PageUp/Down jump 10, Home/End. */
export function keyToIndex(key: string, s: ScrubState): number | undefined {
  const last = s.steps.length - 1;
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      return s.index - 1;
    case 'ArrowRight':
    case 'ArrowUp':
      return s.index + 1;
    case 'PageDown':
      return s.index - 10;
    case 'PageUp':
      return s.index + 10;
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return undefined;
  }
}

/** Up to `n` evenly spaced steps including the first and last: the fixed-noise filmstrip. */
export function filmstripSteps(steps: readonly number[], n: number): number[] {
  if (steps.length <= n) return [...steps];
  if (n <= 1) return steps.length ? [steps[steps.length - 1]] : [];
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(steps[Math.round((i * (steps.length - 1)) / (n - 1))]);
  return [...new Set(out)];
}

/** What a page persists of its scrubber (webview state). */
export interface ScrubSettings {
  scrubStep: number | null;
  followLatest: boolean;
}

export function scrubSettings(s: ScrubState): ScrubSettings {
  return { followLatest: s.follow, scrubStep: s.steps[s.index] ?? null };
}

/** A scrubber over `steps` where the saved settings left it (on the newest when following). */
export function restoreScrub(steps: readonly number[], saved: ScrubSettings): ScrubState {
  const s = addSteps(setFollow(emptyScrub(), saved.followLatest), steps);
  return !saved.followLatest && saved.scrubStep !== null ? { ...selectStep(s, saved.scrubStep), follow: false } : s;
}
