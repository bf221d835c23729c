// The host's end of one trainer child process (dist/trainer.js): the trainer protocol
// (src/shared/trainerProtocol.ts) over the generic child client. Sample and checkpoint paths
// must lie inside the run directory the child announces. No `vscode` import: unit-tested.
import { ChildClient, type ChildClientOptions, type RequestBody as Body } from '../process/childClient';
import {
  parseTrainerEvent,
  type TrainerEvent,
  type TrainerRequest,
  type ProbeResult,
} from '../../shared/trainerProtocol';

export type { ExitInfo } from '../process/childClient';

export interface TrainerProcessOptions extends Omit<ChildClientOptions, 'stdout'> {
  /** The run directory the child will announce; sample/checkpoint paths must lie inside it. */
  runDir?: string;
}

/** Request without its id: the id is assigned here. */
export type RequestBody = Body<TrainerRequest>;

export class TrainerProcess extends ChildClient<TrainerRequest, TrainerEvent> {
  private runDir: string | undefined;

  constructor(opts: TrainerProcessOptions) {
    super('trainer', { ...opts, stdout: true });
    this.runDir = opts.runDir;
  }

  get isRunning(): boolean {
    return this.isAlive;
  }

  /** Sends a request and resolves with its response; rejects on timeout, exit or `ok: false`. */
  async request(body: RequestBody, timeoutMs = 15_000): Promise<{ probe?: ProbeResult }> {
    const response = await this.call(body, { timeoutMs }).response;
    if (!response.ok) throw new Error(response.error ?? `trainer refused "${body.type}"`);
    return { probe: response.probe };
  }

  protected parse(m: unknown): TrainerEvent | undefined {
    const event = parseTrainerEvent(m, this.runDir);
    if (event?.type === 'started') this.runDir = event.runDir;
    return event;
  }
}
