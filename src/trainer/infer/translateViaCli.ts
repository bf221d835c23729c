// Runs `gan translate` (DESIGN.md's CLI contract) for the inference child: the CLI is the same
// engine, and its contract is what both pix2pix and CycleGAN inference promise. It writes into
// a private temporary folder, so a cancel (kill) leaves nothing beside the user's image;
// progress is read from its "N%" lines on stderr.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { InferResult, TranslateJob } from '../../shared/inferProtocol';
import { HEADER_BYTES, readImageHeader } from '../../shared/imageFiles';
import { InputError } from '../train/errors';
import type { JobContext } from './inferServer';

function headerSize(file: string): { width: number; height: number } {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(HEADER_BYTES);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const h = readImageHeader(buf.subarray(0, n));
    if (typeof h === 'string' || !h.width || !h.height) throw new InputError(`${file}: ${typeof h === 'string' ? h : 'size unknown'}`);
    return { width: h.width, height: h.height };
  } finally {
    fs.closeSync(fd);
  }
}

/** The CLI next to this bundle (dist/cli.js beside dist/trainer.js). */
export function cliPath(): string {
  return path.join(__dirname, 'cli.js');
}

export async function translateViaCli(job: TranslateJob, staging: string, ctx: JobContext): Promise<Omit<InferResult, 'output'>> {
  const t0 = performance.now();
  const input = headerSize(job.input);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-translate-'));
  const out = path.join(tmp, 'out.png');
  const args = [cliPath(), 'translate', job.input, out, '--checkpoint', job.checkpoint];
  if (job.direction) args.push('--direction', job.direction);
  if (ctx.options.backend) args.push('--backend', ctx.options.backend);
  try {
    await new Promise<void>((resolve, reject) => {
      const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
      delete env.GAN_STUDIO_INFER;
      delete env.GAN_STUDIO_TRAINER;
      const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let last = '';
      let buf = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        buf = (buf + chunk).slice(-64 * 1024);
        const lines = buf.split(/[\r\n]+/);
        buf = lines.pop() ?? '';
        for (const l of lines) {
          if (l.trim()) last = l.trim();
          const pct = /(\d{1,3})%/.exec(l);
          if (pct) ctx.progress(Math.min(100, Number(pct[1])), 100);
        }
      });
      const poll = setInterval(() => { if (ctx.cancelled()) child.kill('SIGTERM'); }, 200);
      child.on('error', (e) => { clearInterval(poll); reject(e); });
      child.on('close', (code, signal) => {
        clearInterval(poll);
        if (buf.trim()) last = buf.trim();
        if (ctx.cancelled()) return reject(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
        if (code === 0) return resolve();
        const why = last.replace(/^gan:\s*/, '') || `gan translate exited with ${signal ?? code}`;
        reject(code === 2 ? new InputError(why) : new Error(why));
      });
    });
    if (!fs.existsSync(out)) throw new Error('gan translate wrote no output');
    fs.copyFileSync(out, staging);
    const size = headerSize(staging);
    return {
      width: size.width, height: size.height, inputWidth: input.width, inputHeight: input.height,
      seconds: (performance.now() - t0) / 1000, model: job.checkpoint,
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
