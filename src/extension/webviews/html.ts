// The HTML shell of every webview page (PAGE_NAMES): a strict nonce CSP, one bundled script,
// and nothing else. The script adopts its styles as constructable stylesheets (not subject
// to style-src), so no 'unsafe-inline' is needed. Pure: unit-tested.
import { randomBytes } from 'node:crypto';
import type { PageName } from '../../shared/webviewProtocol';

export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

export interface ShellOptions {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  title: string;
  /** Set as body[data-view]: the bundled script and the tests find their page by it. */
  view: PageName;
  /** Announce page updates to screen readers (off where the page changes on every key press). */
  live?: boolean;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data: blob:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function webviewHtml(o: ShellOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${esc(o.title)}</title>
<style nonce="${esc(o.nonce)}">body{margin:0;padding:0;color:var(--vscode-foreground);background:var(--vscode-editor-background);font-family:var(--vscode-font-family);font-size:var(--vscode-font-size)}</style>
</head>
<body data-view="${esc(o.view)}">
<main id="app"${o.live === false ? '' : ' aria-live="polite"'}></main>
<script nonce="${esc(o.nonce)}" src="${esc(o.scriptUri)}"></script>
</body>
</html>`;
}
