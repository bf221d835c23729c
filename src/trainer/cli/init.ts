// gan init <template> <folder> [--images DIR] [--name N] [--overwrite | --keep-existing] [--list] [--json]
// Writes a new project (config, model.ts, README, example data) from templates/. Existing
// files are never replaced unless --overwrite says so; --list only reports what would be
// written and what already exists (the extension asks the user with it).
import * as path from 'node:path';
import { PROJECT_TEMPLATES, projectTemplate } from '../../shared/projectTemplates';
import { existingFiles, planProject, writeProject, type ExistingPolicy } from '../scaffold/scaffold';
import { out, parse, UsageError } from './common';

export const INIT_USAGE = `gan init <${PROJECT_TEMPLATES.map((t) => t.kind).join('|')}> <folder> [--images DIR] [--name N] [--overwrite | --keep-existing] [--list] [--json]`;

export async function initCommand(args: string[]): Promise<number> {
  const { values: v, positionals } = parse(
    'init',
    args,
    {
      images: { type: 'string' },
      name: { type: 'string' },
      overwrite: { type: 'boolean' },
      'keep-existing': { type: 'boolean' },
      list: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    ['template', 'folder'],
  );
  const [kind, folder] = positionals;
  if (!kind || !folder) throw new UsageError(`missing the ${kind ? 'folder' : 'template'} (usage: ${INIT_USAGE})`);
  const t = projectTemplate(kind);
  if (!t)
    throw new UsageError(`unknown template "${kind}" (templates: ${PROJECT_TEMPLATES.map((x) => x.kind).join(', ')})`);
  if (v.overwrite && v['keep-existing']) throw new UsageError('--overwrite and --keep-existing exclude each other');
  const plan = planProject({ kind: t.kind, target: folder, name: v.name, images: v.images });
  const existing = existingFiles(plan);
  if (v.list) {
    out(JSON.stringify({ target: plan.target, files: plan.files.map((f) => f.rel), existing }));
    return 0;
  }
  const policy: ExistingPolicy = v.overwrite ? 'overwrite' : v['keep-existing'] ? 'keep' : 'refuse';
  const result = writeProject(plan, policy);
  if (v.json) {
    out(JSON.stringify({ target: plan.target, ...result }));
    return 0;
  }
  const rel = path.relative(process.cwd(), plan.target) || '.';
  out(
    `${t.label} project in ${rel}: ${result.written.length} files written${result.kept.length ? `, ${result.kept.length} existing kept` : ''}`,
  );
  if (result.unreadable.length) out(`${result.unreadable.length} of the pictures could not be read and were left out`);
  out(`next: gan train ${path.join(rel, 'gan.config.json')}`);
  return 0;
}
