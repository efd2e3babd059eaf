// Where the baocao-ls executable comes from. Pure (no `vscode` import) so that node's test
// runner can check the order without an editor.
import * as path from "path";

export type ServerSource = "setting" | "bundled" | "path";

export interface DiscoveryInput {
  /** The `baocao.server.path` setting; empty or whitespace means "not set". */
  configuredPath: string | undefined;
  /** The extension's install directory (the bundled binary is in `server/`). */
  extensionPath: string;
  /** `process.platform`. */
  platform: string;
  /** The PATH environment variable. */
  pathEnv: string | undefined;
  /** The user's home directory, for a leading `~` in the setting. */
  homeDir: string;
  /** True when `file` exists and can be executed. */
  isExecutable: (file: string) => boolean;
}

export type Discovery =
  | { kind: "found"; path: string; source: ServerSource }
  | { kind: "missing"; message: string };

export function executableName(platform: string): string {
  return platform === "win32" ? "baocao-ls.exe" : "baocao-ls";
}

/** The bundled binary's path inside the extension. */
export function bundledPath(extensionPath: string, platform: string): string {
  return path.join(extensionPath, "server", executableName(platform));
}

/**
 * (1) the setting, (2) the binary bundled with the extension, (3) `baocao-ls` on PATH.
 * A setting that points nowhere is an error, not a reason to fall back: the user asked for that
 * binary and would otherwise silently get another version.
 */
export function findServer(input: DiscoveryInput): Discovery {
  const configured = (input.configuredPath ?? "").trim();
  if (configured !== "") {
    const expanded = configured === "~" || configured.startsWith("~/")
      ? path.join(input.homeDir, configured.slice(1))
      : configured;
    if (input.isExecutable(expanded)) {
      return { kind: "found", path: expanded, source: "setting" };
    }
    return { kind: "missing", message: settingNotFoundMessage(expanded) };
  }
  const bundled = bundledPath(input.extensionPath, input.platform);
  if (input.isExecutable(bundled)) {
    return { kind: "found", path: bundled, source: "bundled" };
  }
  const name = executableName(input.platform);
  const separator = input.platform === "win32" ? ";" : ":";
  for (const dir of (input.pathEnv ?? "").split(separator)) {
    if (dir === "") {
      continue; // an empty PATH entry would mean the current directory, which is not a choice
    }
    const candidate = path.join(dir, name);
    if (input.isExecutable(candidate)) {
      return { kind: "found", path: candidate, source: "path" };
    }
  }
  return { kind: "missing", message: NOT_FOUND_MESSAGE };
}

export const NOT_FOUND_MESSAGE =
  "baocao: không tìm thấy máy chủ baocao-ls. Cài bằng `cargo install --path server/lsp` (trong mã nguồn baocao-ls) " +
  "hoặc đặt đường dẫn trong thiết lập “baocao.server.path”. / " +
  "baocao: the baocao-ls server was not found. Install it with `cargo install --path server/lsp` (in the baocao-ls sources) " +
  "or set its path in the “baocao.server.path” setting.";

export function settingNotFoundMessage(file: string): string {
  return (
    `baocao: thiết lập “baocao.server.path” trỏ tới “${file}”, nhưng không có tệp chạy được ở đó. ` +
    "Sửa đường dẫn hoặc để trống để dùng bản kèm theo. / " +
    `baocao: the “baocao.server.path” setting points to “${file}”, but there is no executable there. ` +
    "Fix the path, or clear it to use the bundled server."
  );
}
