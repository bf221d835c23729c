// "Compare with…": two images selected in the explorer are compared at once; with one, the
// other is asked for (an open dialog filtered to images, starting in the same folder).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { IMAGE_EXTENSIONS } from '../../shared/imageFiles';
import { commandResources, splitImages } from '../infer/targets';

export async function compareWithCommand(
  show: (before: string, after: string) => void,
  arg: unknown,
  multi: unknown,
): Promise<void> {
  const { images, skipped } = splitImages(commandResources(arg, multi));
  if (!images.length) {
    void vscode.window.showWarningMessage(
      skipped[0] ? `Compare with…: ${skipped[0]}.` : 'Compare with…: select or open an image first.',
    );
    return;
  }
  if (images.length >= 2) {
    show(images[0].fsPath, images[1].fsPath);
    return;
  }
  const first = images[0].fsPath;
  const other = await vscode.window.showOpenDialog({
    title: `Compare ${path.basename(first)} with…`,
    openLabel: 'Compare',
    canSelectMany: false,
    defaultUri: vscode.Uri.file(path.dirname(first)),
    filters: { Images: IMAGE_EXTENSIONS.map((e) => e.slice(1)) },
  });
  const second = other?.[0];
  if (!second) return;
  const check = splitImages([second]);
  if (!check.images.length) {
    void vscode.window.showErrorMessage(`Compare with…: ${check.skipped[0]}.`);
    return;
  }
  show(first, second.fsPath);
}
