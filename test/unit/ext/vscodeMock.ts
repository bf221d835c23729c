// A minimal stand-in for the `vscode` module: enough for activate() to run under plain node,
// recording what the extension registers. Unknown members are harmless no-op stubs.
export interface Recorded {
  commands: Map<string, (...args: unknown[]) => unknown>;
  views: string[];
  serializers: string[];
  contextKeys: Map<string, unknown>;
  outputChannels: { name: string; languageId?: string; lines: string[] }[];
}

export function makeVscodeMock(workspaceRoot: string) {
  const rec: Recorded = { commands: new Map(), views: [], serializers: [], contextKeys: new Map(), outputChannels: [] };
  const disposable = () => ({
    dispose() {
      /* nothing */
    },
  });
  class EventEmitter<T> {
    private ls = new Set<(e: T) => void>();
    event = (l: (e: T) => void) => {
      this.ls.add(l);
      return { dispose: () => this.ls.delete(l) };
    };
    fire(e: T) {
      for (const l of this.ls) l(e);
    }
    dispose() {
      this.ls.clear();
    }
  }
  const uri = (fsPath: string) => ({ scheme: 'file', fsPath, path: fsPath, toString: () => `file://${fsPath}` });
  const Uri = {
    file: uri,
    joinPath: (u: { fsPath: string }, ...parts: string[]) => uri([u.fsPath, ...parts].join('/')),
  };
  const noopEvent = () => disposable();
  const config = {
    get: (_k: string, d?: unknown) => d,
    update: async () => undefined,
    has: () => false,
    inspect: () => undefined,
  };
  const vscode = {
    EventEmitter,
    Uri,
    Disposable: class {
      constructor(private f: () => void) {}
      dispose() {
        this.f();
      }
    },
    ThemeIcon: class {
      constructor(
        public id: string,
        public color?: unknown,
      ) {}
    },
    ThemeColor: class {
      constructor(public id: string) {}
    },
    TreeItem: class {
      constructor(
        public label: string,
        public collapsibleState?: number,
      ) {}
    },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    MarkdownString: class {
      value = '';
      constructor(v = '') {
        this.value = v;
      }
      appendMarkdown(s: string) {
        this.value += s;
        return this;
      }
      appendText(s: string) {
        this.value += s;
        return this;
      }
    },
    RelativePattern: class {
      constructor(
        public base: unknown,
        public pattern: string,
      ) {}
    },
    Range: class {
      constructor(
        public startLine: number,
        public startCharacter: number,
        public endLine: number,
        public endCharacter: number,
      ) {}
    },
    CodeLens: class {
      constructor(
        public range: unknown,
        public command?: unknown,
      ) {}
    },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ConfigurationTarget: { Global: 1, Workspace: 2 },
    ProgressLocation: { Notification: 15 },
    QuickPickItemKind: { Separator: -1, Default: 0 },
    ViewColumn: { Active: -1, Beside: -2, One: 1 },
    DiagnosticSeverity: { Error: 0 },
    window: {
      createOutputChannel: (name: string, languageId?: string) => {
        const ch = { name, languageId, lines: [] as string[] };
        rec.outputChannels.push(ch);
        return {
          appendLine: (l: string) => ch.lines.push(l),
          show() {
            /* */
          },
          dispose() {
            /* */
          },
        };
      },
      createStatusBarItem: () => ({
        show() {
          /* */
        },
        hide() {
          /* */
        },
        dispose() {
          /* */
        },
      }),
      registerWebviewViewProvider: (id: string) => {
        rec.views.push(id);
        return disposable();
      },
      createTreeView: (id: string) => {
        rec.views.push(id);
        return disposable();
      },
      registerWebviewPanelSerializer: (id: string) => {
        rec.serializers.push(id);
        return disposable();
      },
      showInformationMessage: async () => undefined,
      showWarningMessage: async () => undefined,
      showErrorMessage: async () => undefined,
      withProgress: async () => undefined,
      activeTextEditor: undefined,
    },
    languages: {
      createDiagnosticCollection: () => ({
        set() {
          /* */
        },
        delete() {
          /* */
        },
        has: () => false,
        dispose() {
          /* */
        },
      }),
      registerCodeLensProvider: () => disposable(),
    },
    workspace: {
      workspaceFolders: [{ uri: uri(workspaceRoot), name: 'ws', index: 0 }],
      getConfiguration: () => config,
      getWorkspaceFolder: () => ({ uri: uri(workspaceRoot), name: 'ws', index: 0 }),
      onDidSaveTextDocument: noopEvent,
      onDidChangeTextDocument: noopEvent,
      onDidChangeWorkspaceFolders: noopEvent,
      onDidChangeConfiguration: noopEvent,
      createFileSystemWatcher: () => ({
        onDidCreate: noopEvent,
        onDidChange: noopEvent,
        onDidDelete: noopEvent,
        dispose() {
          /* */
        },
      }),
      findFiles: async () => [],
      textDocuments: [],
    },
    commands: {
      registerCommand: (id: string, fn: (...a: unknown[]) => unknown) => {
        if (rec.commands.has(id)) throw new Error(`command registered twice: ${id}`);
        rec.commands.set(id, fn);
        return { dispose: () => rec.commands.delete(id) };
      },
      executeCommand: async (id: string, ...args: unknown[]) => {
        if (id === 'setContext') rec.contextKeys.set(args[0] as string, args[1]);
        return undefined;
      },
      getCommands: async () => [...rec.commands.keys()],
    },
  };
  return { vscode, rec };
}
