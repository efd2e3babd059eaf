// VS Code client for baocao-ls: finds the server, starts it over stdio for Markdown and plain
// text, forwards the `baocao` settings, and shows its state in the status bar.
import * as fs from "fs";
import * as os from "os";
import {
  commands,
  ExtensionContext,
  Position,
  Range,
  SnippetString,
  Uri,
  OutputChannel,
  StatusBarAlignment,
  StatusBarItem,
  window,
  workspace,
} from "vscode";
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  TransportKind,
} from "vscode-languageclient/node";
import { findServer } from "./discovery";
import { configurationItem, explicitSection, toServerSettings } from "./settings";
import { INSERT_SNIPPET_COMMAND, snippetArguments } from "./snippet";

let client: LanguageClient | undefined;
let output: OutputChannel;
let status: StatusBarItem;
let extensionDir = "\0"; // set in activate(); matches no path before that

function isExecutable(file: string): boolean {
  try {
    // A .vsix unpacked by a tool that drops file modes leaves the bundled server without its
    // execute bit; restore it rather than reporting the server as missing.
    if (file.startsWith(extensionDir) && fs.statSync(file).isFile()) {
      fs.chmodSync(file, 0o755);
    }
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The `baocao` settings the user set, without the extension's defaults. */
function userSection(): Record<string, unknown> {
  const cfg = workspace.getConfiguration("baocao");
  return explicitSection((key) => cfg.inspect(key));
}

function currentSettings() {
  return toServerSettings(userSection());
}

function setStatus(text: string, tooltip: string): void {
  status.text = text;
  status.tooltip = tooltip;
  status.show();
}

async function startClient(context: ExtensionContext): Promise<void> {
  const found = findServer({
    configuredPath: workspace.getConfiguration("baocao").get<string>("server.path"),
    extensionPath: context.extensionPath,
    platform: process.platform,
    pathEnv: process.env.PATH,
    homeDir: os.homedir(),
    isExecutable,
  });
  if (found.kind === "missing") {
    output.appendLine(found.message);
    setStatus("$(error) baocao", found.message);
    const openSettings = "Mở thiết lập / Open settings";
    const choice = await window.showErrorMessage(found.message, openSettings);
    if (choice === openSettings) {
      await commands.executeCommand("workbench.action.openSettings", "baocao.server.path");
    }
    return;
  }
  output.appendLine(`baocao: máy chủ / server: ${found.path} (${found.source})`);

  // TransportKind.stdio makes the client append "--stdio" itself; passing it too would be a usage error.
  const serverOptions: ServerOptions = { command: found.path, args: [], transport: TransportKind.stdio };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "file", language: "plaintext" },
      { scheme: "untitled", language: "markdown" },
      { scheme: "untitled", language: "plaintext" },
    ],
    outputChannel: output,
    traceOutputChannel: output,
    // The first analysis already uses the user's locale and rules.
    // snippetCommand: this extension inserts snippet fixes itself (see snippet.ts).
    initializationOptions: { baocao: currentSettings(), snippetCommand: INSERT_SNIPPET_COMMAND },
    middleware: {
      workspace: {
        // The server asks for the "baocao" section; answer with only what it understands.
        configuration: async (params, token, next) => {
          const values = await next(params, token);
          if (!Array.isArray(values)) {
            return values;
          }
          return values.map((value, i) => configurationItem(params.items[i]?.section, value, userSection()));
        },
      },
    },
  };
  client = new LanguageClient("baocao", "baocao", serverOptions, clientOptions);
  client.onDidChangeState((e) => {
    if (e.newState === State.Running) {
      setStatus("$(check) baocao", `baocao-ls đang chạy / running — ${found.path}`);
    } else if (e.newState === State.Starting) {
      setStatus("$(sync~spin) baocao", "baocao-ls đang khởi động / starting");
    } else {
      setStatus("$(circle-slash) baocao", "baocao-ls đã dừng / stopped");
    }
  });
  try {
    await client.start();
  } catch (e) {
    const message = `baocao: không khởi động được máy chủ / cannot start the server (${found.path}): ${e}`;
    output.appendLine(message);
    setStatus("$(error) baocao", message);
    void window.showErrorMessage(message);
  }
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop().catch((e) => output.appendLine(`baocao: stop: ${e}`));
  }
}

export async function activate(context: ExtensionContext): Promise<void> {
  extensionDir = context.extensionPath;
  output = window.createOutputChannel("baocao");
  status = window.createStatusBarItem("baocao.status", StatusBarAlignment.Right, 100);
  status.name = "baocao";
  status.command = "baocao.showOutput";
  context.subscriptions.push(output, status);

  context.subscriptions.push(
    commands.registerCommand("baocao.restartServer", async () => {
      output.appendLine("baocao: khởi động lại / restarting");
      await stopClient();
      await startClient(context);
    }),
    commands.registerCommand("baocao.showOutput", () => output.show(true)),
    commands.registerCommand(INSERT_SNIPPET_COMMAND, async (...args: unknown[]) => {
      const parsed = snippetArguments(args);
      if (!parsed) {
        output.appendLine(`baocao: ${INSERT_SNIPPET_COMMAND}: bad arguments ${JSON.stringify(args)}`);
        return;
      }
      const document = await workspace.openTextDocument(Uri.parse(parsed.uri));
      const editor = await window.showTextDocument(document);
      const { start, end } = parsed.range;
      const range = new Range(new Position(start.line, start.character), new Position(end.line, end.character));
      await editor.insertSnippet(new SnippetString(parsed.snippet), range);
    }),
    workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("baocao.server.path")) {
        // Another binary: only a restart can switch to it.
        await stopClient();
        await startClient(context);
      } else if (e.affectsConfiguration("baocao") && client?.isRunning()) {
        // Without settings in the notification the server pulls workspace/configuration,
        // which the middleware above answers: one mapping path for start-up and changes.
        await client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
      }
    }),
  );
  await startClient(context);
}

export function deactivate(): Promise<void> {
  return stopClient();
}
