// Starts code-server (VS Code in the browser) on 127.0.0.1 with a fresh user-data dir,
// installs a .vsix into an extensions dir, and reads the logs a run leaves behind.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

/** User settings for a quiet, trusting, offline workbench. */
export const USER_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'npm.fetchOnlinePackageInfo': false,
  'json.schemaDownload.enable': false,
  'editor.minimap.enabled': false,
  'window.restoreWindows': 'none',
};

/** Environment for code-server: nothing of the caller's VS Code or code-server settings leaks in. */
function serverEnv(home, extra = {}) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (
      /^(VSCODE_|CODE_SERVER_|ELECTRON_)/.test(k) ||
      ['PASSWORD', 'HASHED_PASSWORD', 'PORT', 'GITHUB_TOKEN'].includes(k)
    )
      delete env[k];
  }
  Object.assign(env, {
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    ...extra,
  });
  return env;
}

function baseArgs(tools, dir) {
  const cfg = path.join(dir, 'code-server.yaml');
  if (!existsSync(cfg)) writeFileSync(cfg, ''); // an empty config: code-server does not write ~/.config/code-server
  return [tools.codeServerEntry, '--config', cfg];
}

/** `code-server --install-extension <vsix>` into extensionsDir. Returns what it printed. */
export function installExtension(tools, { vsix, extensionsDir, dir }) {
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(dir, { recursive: true });
  const r = spawnSync(
    tools.node24,
    [
      ...baseArgs(tools, dir),
      '--user-data-dir',
      path.join(dir, 'install-user-data'),
      '--extensions-dir',
      extensionsDir,
      '--force',
      '--install-extension',
      vsix,
    ],
    { encoding: 'utf8', env: serverEnv(dir), timeout: 120_000 },
  );
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status ?? r.signal}):\n${out}`);
  }
  return out.trim();
}

export class CodeServer {
  /**
   * @param tools from ensureTools()
   * @param opts.dir a fresh temp folder for this instance (user data, logs, XDG dirs)
   * @param opts.extensionsDir where the extension was installed
   * @param opts.folder the workspace folder to open
   * @param opts.settings user settings on top of USER_SETTINGS
   * @param opts.env extra environment (the extension host inherits it)
   * @param opts.port 0 (default): a free port, chosen by the server
   */
  static async start(tools, { dir, extensionsDir, folder, settings = {}, env = {}, port = 0 }) {
    const userDataDir = path.join(dir, 'user-data');
    mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    writeFileSync(
      path.join(userDataDir, 'User', 'settings.json'),
      JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2),
    );
    const args = [
      ...baseArgs(tools, dir),
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
    ];
    const proc = spawn(tools.node24, [...args, folder ?? ''].filter(Boolean), {
      env: serverEnv(dir, env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const server = new CodeServer(proc, { dir, userDataDir, extensionsDir, folder });
    await server.#waitForListening();
    return server;
  }

  constructor(proc, { dir, userDataDir, extensionsDir, folder }) {
    this.proc = proc;
    this.dir = dir;
    this.userDataDir = userDataDir;
    this.extensionsDir = extensionsDir;
    this.folder = folder;
    this.output = '';
    this.exited = false;
    proc.stdout.on('data', (d) => (this.output += d));
    proc.stderr.on('data', (d) => (this.output += d));
    proc.on('exit', () => (this.exited = true));
  }

  async #waitForListening(timeoutMs = 60_000) {
    const t0 = Date.now();
    while (Date.now() - t0 < timeoutMs) {
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\/?/.exec(this.output);
      if (m) {
        this.baseUrl = m[1];
        return;
      }
      if (this.exited) throw new Error(`code-server exited before listening:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`code-server did not listen within ${timeoutMs / 1000}s:\n${this.output}`);
  }

  /** The workbench URL opening this instance's workspace folder. */
  get url() {
    return this.folder ? `${this.baseUrl}/?folder=${encodeURIComponent(this.folder)}` : `${this.baseUrl}/`;
  }

  /** The newest session's logs folder: <user-data-dir>/logs/<timestamp>/. */
  logsDir() {
    const root = path.join(this.userDataDir, 'logs');
    if (!existsSync(root)) return undefined;
    const sessions = readdirSync(root)
      .filter((d) => existsSync(path.join(root, d, 'exthost1')) || existsSync(path.join(root, d, 'remoteagent.log')))
      .sort();
    return sessions.length ? path.join(root, sessions.at(-1)) : undefined;
  }

  /** Text of every extension host log of the newest session (exthost1, exthost2 after a restart, ...). */
  extensionHostLog() {
    const dir = this.logsDir();
    if (!dir) return '';
    return readdirSync(dir)
      .filter((d) => /^exthost\d+$/.test(d))
      .sort()
      .map((d) => path.join(dir, d, 'remoteexthost.log'))
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
  }

  /** The output channels the extension host wrote to files (name -> text), e.g. the extension's own log. */
  outputChannels() {
    const dir = this.logsDir();
    const found = {};
    if (!dir) return found;
    const walk = (d) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/^output_/.test(path.basename(d)) || /output_logging/.test(d))
          found[e.name.replace(/^\d+-/, '').replace(/\.log$/, '')] = readFileSync(p, 'utf8');
      }
    };
    walk(dir);
    return found;
  }

  async stop() {
    if (this.exited) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    try {
      process.kill(-this.proc.pid, 'SIGTERM'); // its process group: the server, extension host, trainer
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-this.proc.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
    try {
      process.kill(-this.proc.pid, 'SIGKILL'); // whatever of the group outlived the server
    } catch {
      /* none left */
    }
  }
}
