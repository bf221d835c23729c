// Import this first in a test that loads host modules importing `vscode`: it answers
// require('vscode') with the mock (vscodeMock.ts) for the rest of the process.
import Module from 'node:module';
import * as os from 'node:os';
import { makeVscodeMock } from './vscodeMock';

export const mock = makeVscodeMock(os.tmpdir());
const M = Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown };
const orig = M._load;
M._load = function (req: string, ...rest: unknown[]) {
  return req === 'vscode' ? mock.vscode : orig.call(this, req, ...rest);
};
