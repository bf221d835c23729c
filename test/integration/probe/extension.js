// Test-only extension: on "Integration Probe: Report Extension State" it writes what the
// extension host knows about GAN Studio to $GAN_IT_PROBE_OUT (a JSON file), so the harness
// can check that every contributed command really has a handler after activation.
const vscode = require('vscode');
const fs = require('fs');

const TARGET = 'gan-studio.gan-studio';

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('ganStudioProbe.report', async () => {
      const out = process.env.GAN_IT_PROBE_OUT;
      const ext = vscode.extensions.getExtension(TARGET);
      const all = await vscode.commands.getCommands(true);
      const report = {
        time: new Date().toISOString(),
        extension: ext
          ? { id: ext.id, isActive: ext.isActive, extensionPath: ext.extensionPath, version: ext.packageJSON.version }
          : null,
        commands: all.filter((c) => c.startsWith('ganStudio.')).sort(),
        workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
      };
      if (!out) throw new Error('GAN_IT_PROBE_OUT is not set');
      fs.writeFileSync(`${out}.tmp`, JSON.stringify(report, null, 2));
      fs.renameSync(`${out}.tmp`, out);
    }),
  );
}

module.exports = { activate, deactivate() {} };
