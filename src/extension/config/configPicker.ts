// Finds the config to train: the active editor's gan.config.json, else a quick pick of the
// workspace's configs, else an offer to scaffold one.
import * as path from 'node:path';
import * as vscode from 'vscode';

export const CONFIG_GLOB = '**/{gan.config.json,*.gan.config.json}';
const EXCLUDE = '**/{node_modules,.git,runs,dist,out}/**';

export function isConfigFile(uri: vscode.Uri | undefined): uri is vscode.Uri {
  if (!uri || uri.scheme !== 'file') return false;
  const base = path.basename(uri.fsPath);
  return base === 'gan.config.json' || base.endsWith('.gan.config.json');
}

export async function findConfigs(): Promise<vscode.Uri[]> {
  const found = await vscode.workspace.findFiles(CONFIG_GLOB, EXCLUDE, 200);
  return found.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

/**
 * The config for "Train GAN". `arg` is what a menu passes (explorer/editor title); undefined
 * means the user cancelled or there is none (the scaffold offer was shown).
 */
export async function pickConfig(arg?: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri && isConfigFile(arg)) return arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (isConfigFile(active)) return active;
  const configs = await findConfigs();
  if (configs.length === 1) return configs[0];
  if (configs.length > 1) {
    const pick = await vscode.window.showQuickPick(
      configs.map((uri) => ({
        label: vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1),
        uri,
      })),
      { title: 'Train GAN', placeHolder: 'Choose the experiment config to train' },
    );
    return pick?.uri;
  }
  await offerScaffold();
  return undefined;
}

async function offerScaffold(): Promise<void> {
  const create = 'Create gan.config.json…';
  const choice = await vscode.window.showInformationMessage(
    'No gan.config.json found in this workspace. A GAN Studio project starts from one.',
    create,
  );
  if (choice !== create) return;
  // The scaffold command arrives with the project templates; use it when it is there.
  const commands = await vscode.commands.getCommands(true);
  const scaffold = ['ganStudio.newProject', 'ganStudio.scaffold'].find((c) => commands.includes(c));
  if (scaffold) await vscode.commands.executeCommand(scaffold);
  else
    void vscode.window.showInformationMessage(
      'Scaffolding a GAN project is not available yet in this version: create a gan.config.json (see the README) and run "GAN: Train GAN" again.',
    );
}
