// Which images a command is about. Explorer menus pass (clicked, allSelected); editor title
// menus pass the editor's resource; the palette passes nothing: then the active editor's image,
// including VS Code's image preview (a custom editor, so not in activeTextEditor).
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { HEADER_BYTES, isImagePath, isInferablePath, readImageHeader, type ImageHeader } from '../../shared/imageFiles';

function tabUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups?.activeTabGroup?.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) return input.uri;
  return undefined;
}

/** The active editor's file, whatever kind of editor shows it. */
export function activeResource(): vscode.Uri | undefined {
  return tabUri() ?? vscode.window.activeTextEditor?.document.uri;
}

const asUri = (x: unknown): vscode.Uri | undefined => (x instanceof vscode.Uri ? x : undefined);

/** Every file the command was invoked on (multi-select first), or the active editor's. */
export function commandResources(arg: unknown, multi: unknown): vscode.Uri[] {
  if (Array.isArray(multi)) {
    const all = multi.map(asUri).filter((u): u is vscode.Uri => !!u);
    if (all.length) return all;
  }
  const one = asUri(arg) ?? activeResource();
  return one ? [one] : [];
}

/** What the engine decodes (INFER_EXTENSIONS), for messages. */
export const INFER_FORMATS = 'PNG, JPEG, WebP, AVIF, TIFF or GIF';

/**
 * Splits resources into local image files and the rest (with a reason each). `forInference`:
 * what the engine decodes (INFER_EXTENSIONS); otherwise what the compare view shows.
 */
export function splitImages(uris: vscode.Uri[], forInference = false): { images: vscode.Uri[]; skipped: string[] } {
  const images: vscode.Uri[] = [];
  const skipped: string[] = [];
  for (const u of uris) {
    const name = u.path.split('/').pop() ?? u.toString();
    if (u.scheme !== 'file') skipped.push(`${u.toString()} is not a local file`);
    else if (!(forInference ? isInferablePath(u.fsPath) : isImagePath(u.fsPath)))
      skipped.push(`${name} is not a ${forInference ? INFER_FORMATS : 'PNG, JPEG or WebP'} image`);
    else images.push(u);
  }
  return { images, skipped };
}

/** The header of an image file, or why it cannot be used. Reads at most HEADER_BYTES. */
export async function inspectImage(file: string): Promise<ImageHeader | string> {
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(file, 'r');
    const buf = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return readImageHeader(buf.subarray(0, bytesRead));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'is a folder'
        : `cannot read (${code ?? (e as Error).message})`;
  } finally {
    await fh?.close();
  }
}
