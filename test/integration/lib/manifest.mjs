// What the extension's package.json promises a user: commands in the palette, view containers,
// views, menus. Scenarios check the workbench against it, so they follow the manifest as it grows.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './env.mjs';

function nls() {
  const f = path.join(repoRoot, 'package.nls.json');
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : {};
}
/** Resolves a "%key%" manifest string through package.nls.json. */
export function localize(s) {
  const m = /^%(.+)%$/.exec(s ?? '');
  return m ? (nls()[m[1]] ?? s) : s;
}

/**
 * Contributed commands: { id, title, category, paletteTitle, paletteWhen, inPalette, inIdlePalette }.
 * inPalette: not hidden with `"when": "false"`. inIdlePalette: shown in a workspace where nothing
 * runs yet and no file is open, i.e. its palette `when` (if any) names none of the extension's own
 * context keys (`ganStudio.isTraining` and the like) and has an alternative that needs no open
 * file (every `||` branch naming a `resource*` key means "only with a matching file open").
 */
export function contributedCommands(manifest) {
  const when = new Map(
    (manifest.contributes?.menus?.commandPalette ?? []).map((m) => [m.command, String(m.when ?? '').trim()]),
  );
  return (manifest.contributes?.commands ?? []).map((c) => {
    const title = localize(typeof c.title === 'string' ? c.title : c.title?.value);
    const category = localize(typeof c.category === 'string' ? c.category : c.category?.value);
    const w = when.get(c.command) ?? '';
    const inPalette = w !== 'false';
    const needsOpenFile = w !== '' && w.split('||').every((alt) => /\bresource\w*/.test(alt));
    return {
      id: c.command,
      title,
      category,
      paletteTitle: category ? `${category}: ${title}` : title,
      paletteWhen: w,
      inPalette,
      inIdlePalette: inPalette && !/\bganStudio\./.test(w) && !needsOpenFile,
    };
  });
}

/** The activity bar containers with their views: [{ id, title, views: [{ id, name, type }] }]. */
export function activityBarContainers(manifest) {
  const views = manifest.contributes?.views ?? {};
  return (manifest.contributes?.viewsContainers?.activitybar ?? []).map((c) => ({
    id: c.id,
    title: localize(c.title),
    views: (views[c.id] ?? []).map((v) => ({ id: v.id, name: localize(v.name), type: v.type ?? 'tree' })),
  }));
}
