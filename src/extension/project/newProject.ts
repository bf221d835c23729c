// "GAN: New GAN Project…": pick a family, a folder and (image families) where the example
// pictures come from; the `gan init` CLI writes the files. Existing files are listed first and
// only replaced when the user says so. Then gan.config.json and model.ts open, ready to train.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PROJECT_TEMPLATES, type ProjectTemplate } from '../../shared/projectTemplates';
import { cliError, runCli, type CliOptions } from './runCli';

export interface NewProjectDeps {
  cliPath: string;
  cli: () => CliOptions;
}

interface InitList {
  target: string;
  files: string[];
  existing: string[];
}

function isInitList(x: unknown): x is InitList {
  const o = x as InitList;
  return (
    !!o &&
    typeof o.target === 'string' &&
    Array.isArray(o.files) &&
    Array.isArray(o.existing) &&
    [...o.files, ...o.existing].every((f) => typeof f === 'string')
  );
}

async function pickTemplate(): Promise<ProjectTemplate | undefined> {
  const pick = await vscode.window.showQuickPick(
    PROJECT_TEMPLATES.map((t) => ({
      label: t.label,
      description: t.description,
      detail: t.images
        ? 'Trains on pictures: makes a small example set'
        : t.folder
          ? 'Trains on MNIST (shipped) or a folder of your pictures'
          : 'Trains on MNIST (shipped)',
      t,
    })),
    { title: 'New GAN Project (1/2): model', placeHolder: 'Choose the GAN family', matchOnDescription: true },
  );
  return pick?.t;
}

async function pickFolder(arg: unknown): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders;
  const defaultUri = arg instanceof vscode.Uri ? arg : folders?.[0]?.uri;
  const picked = await vscode.window.showOpenDialog({
    title: 'New GAN Project (2/2): folder',
    openLabel: 'Create Project Here',
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    defaultUri,
  });
  return picked?.[0];
}

/**
 * Image families: painted example pictures, or the user's own folder (copied). MNIST families
 * that take a folder (gan, dcgan, cgan): MNIST, or the user's folder, trained where it is.
 * undefined = cancelled.
 */
async function pickImages(t: ProjectTemplate): Promise<{ images?: string } | undefined> {
  const pick = await vscode.window.showQuickPick(
    t.images
      ? [
          { label: 'Example pictures', description: 'painted landscapes, made on the spot', images: false },
          {
            label: 'From a folder of my pictures…',
            description: 'PNG/JPEG; copied, resized, never changed',
            images: true,
          },
        ]
      : [
          { label: 'MNIST digits', description: 'shipped with GAN Studio', images: false },
          {
            label: 'A folder of my pictures…',
            description: "PNG/JPEG, read where they are; the project's README says how",
            images: true,
          },
        ],
    {
      title: `New ${t.label} Project: ${t.images ? 'example data' : 'training data'}`,
      placeHolder: t.images ? 'Where the example training set comes from' : 'What it trains on',
    },
  );
  if (!pick) return undefined;
  if (!pick.images) return {};
  const dir = await vscode.window.showOpenDialog({
    title: 'Folder of pictures',
    openLabel: 'Use These Pictures',
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
  });
  return dir?.[0] ? { images: dir[0].fsPath } : undefined;
}

/** Asks about files that exist. undefined = cancelled; otherwise the CLI flag to use. */
async function existingPolicy(list: InitList): Promise<string[] | undefined> {
  if (!list.existing.length) return [];
  const n = list.existing.length;
  const names = list.existing.slice(0, 5).join(', ') + (n > 5 ? `, and ${n - 5} more` : '');
  const overwrite = 'Overwrite',
    keep = 'Keep Existing Files';
  const c = await vscode.window.showWarningMessage(
    `${n} of the project's files already exist in ${path.basename(list.target)}: ${names}.`,
    { modal: true, detail: `"${keep}" writes only the missing files.` },
    overwrite,
    keep,
  );
  return c === overwrite ? ['--overwrite'] : c === keep ? ['--keep-existing'] : undefined;
}

export async function newProject(d: NewProjectDeps, arg?: unknown): Promise<void> {
  const t = await pickTemplate();
  if (!t) return;
  const folder = await pickFolder(arg);
  if (!folder) return;
  const data = t.images || t.folder ? await pickImages(t) : {};
  if (!data) return;
  const args = ['init', t.kind, folder.fsPath, ...(data.images ? ['--images', data.images] : [])];

  const fail = (msg: string) => void vscode.window.showErrorMessage(`New GAN Project: ${msg}`);
  const listed = await runCli(d.cliPath, [...args, '--list'], d.cli());
  if (listed.code !== 0) return fail(cliError(listed));
  let list: unknown;
  try {
    list = JSON.parse(listed.stdout);
  } catch {
    list = undefined;
  }
  if (!isInitList(list)) return fail('unexpected answer from the gan CLI');
  const policy = await existingPolicy(list);
  if (!policy) return;

  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Creating the ${t.label} project${t.images ? ' and its example pictures' : ''}…`,
    },
    () => runCli(d.cliPath, [...args, ...policy, '--json'], d.cli()),
  );
  if (result.code !== 0) return fail(cliError(result));
  let unreadable = 0;
  try {
    unreadable = (JSON.parse(result.stdout) as { unreadable?: unknown[] }).unreadable?.length ?? 0;
  } catch {
    // The files are written; the count is only for the message.
  }

  // model.ts first, then the config in front of it: its CodeLens says "Train".
  const file = (f: string) => vscode.Uri.joinPath(folder, f);
  await vscode.window.showTextDocument(file('model.ts'), { preview: false });
  await vscode.window.showTextDocument(file('gan.config.json'), { preview: false });
  const inWorkspace = !!vscode.workspace.getWorkspaceFolder(folder);
  const note = unreadable ? ` ${unreadable} of your pictures could not be read and were left out.` : '';
  const actions = inWorkspace ? ['Open README'] : ['Open README', 'Add Folder to Workspace'];
  // Not awaited: the command is done once the files are open.
  void vscode.window
    .showInformationMessage(
      `${t.label} project created in ${folder.fsPath}. Click "Train" above the config to start.${note}`,
      ...actions,
    )
    .then((c) => {
      if (c === 'Open README') void vscode.commands.executeCommand('markdown.showPreview', file('README.md'));
      if (c === 'Add Folder to Workspace')
        vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri: folder });
    });
}
