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
  return m ? nls()[m[1]] ?? s : s;
}

/** Contributed commands: { id, title, category, paletteTitle, inPalette }. */
export function contributedCommands(manifest) {
  const hidden = new Set(
    (manifest.contributes?.menus?.commandPalette ?? []).filter((m) => String(m.when).trim() === 'false').map((m) => m.command),
  );
  return (manifest.contributes?.commands ?? []).map((c) => {
    const title = localize(typeof c.title === 'string' ? c.title : c.title?.value);
    const category = localize(typeof c.category === 'string' ? c.category : c.category?.value);
    return { id: c.command, title, category, paletteTitle: category ? `${category}: ${title}` : title, inPalette: !hidden.has(c.command) };
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
