// Reading VS Code's log files: entries are `YYYY-MM-DD HH:MM:SS.mmm [level] message`,
// followed by continuation lines (stack traces) that belong to the entry above.

const HEAD = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) \[(\w+)\] ?(.*)$/;

/** Splits a log into { time, level, text } entries (text includes continuation lines). */
export function parseLog(text) {
  const entries = [];
  for (const line of text.split('\n')) {
    const m = HEAD.exec(line);
    if (m) entries.push({ time: m[1], level: m[2], text: m[3] });
    else if (entries.length && line.trim()) entries.at(-1).text += `\n${line}`;
  }
  return entries;
}

/**
 * Entries of the extension host log that are about one extension: errors and warnings that
 * name its id or its install folder, and whether (and by which event) it was activated.
 */
export function extensionReport(logText, extensionId) {
  const entries = parseLog(logText);
  const id = extensionId.toLowerCase();
  const ours = (e) => e.text.toLowerCase().includes(id) || e.text.toLowerCase().includes(`/${id}-`);
  const activation = entries.find((e) =>
    new RegExp(`_doActivateExtension ${id.replace('.', '\\.')}[,\\s]`, 'i').test(e.text),
  );
  return {
    activated: Boolean(activation),
    activationEvent: activation ? /activationEvent: '([^']*)'/.exec(activation.text)?.[1] : undefined,
    errors: entries.filter((e) => e.level === 'error' && ours(e)),
    warnings: entries.filter((e) => e.level === 'warning' && ours(e)),
    otherErrors: entries.filter((e) => e.level === 'error' && !ours(e)),
  };
}

export const formatEntries = (entries, max = 10) =>
  entries
    .slice(0, max)
    .map((e) => `      ${e.time} [${e.level}] ${e.text.split('\n').slice(0, 8).join('\n        ')}`)
    .join('\n') + (entries.length > max ? `\n      ... ${entries.length - max} more` : '');
