// events.log: the human-readable log (the extension's grammar colours it). Info lines are
// plain, problems start with "WARN " or "ERROR ". Every line also goes to the caller's
// log callback (the CLI prints them, the IPC child forwards them).
import * as fs from 'node:fs';
import type { LogLevel, TrainEvents } from './api';

export class EventLog {
  constructor(
    private readonly file: string,
    private readonly events: TrainEvents,
  ) {}

  write(line: string, level: LogLevel = 'info'): void {
    const text = level === 'warn' ? `WARN ${line}` : level === 'error' ? `ERROR ${line}` : line;
    try {
      fs.appendFileSync(this.file, `${text}\n`);
    } catch {
      /* the log must never stop training */
    }
    this.events.log?.(text, level);
  }

  info(line: string): void {
    this.write(line, 'info');
  }
  warn(line: string): void {
    this.write(line, 'warn');
  }
  error(line: string): void {
    this.write(line, 'error');
  }
}

const f3 = (v: number | undefined) => (v === undefined ? '-' : Number.isFinite(v) ? v.toFixed(3) : String(v));
const f2 = (v: number | undefined) => (v === undefined ? '-' : Number.isFinite(v) ? v.toFixed(2) : String(v));

/** `step 200/5000  dLoss 1.234  gLoss 0.987  D(x) 0.61  D(G(z)) 0.32  12.3 ms/step` */
export function progressLine(
  step: number,
  total: number,
  losses: Record<string, number>,
  dReal: number | undefined,
  dFake: number | undefined,
  msPerStep: number,
): string {
  const parts = [`step ${step}/${total}`, ...Object.entries(losses).map(([k, v]) => `${k} ${f3(v)}`)];
  if (dReal !== undefined) parts.push(`D(x) ${f2(dReal)}`);
  if (dFake !== undefined) parts.push(`D(G(z)) ${f2(dFake)}`);
  parts.push(`${msPerStep.toFixed(1)} ms/step`);
  return parts.join('  ');
}
