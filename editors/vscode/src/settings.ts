// The extension's `baocao.*` settings → what baocao-ls reads. Pure, for unit tests.
// The server takes `{ "locale": "vi"|"en", "rules": { "<code>": "off"|"error"|… } }`; the
// client-only settings (`server.path`, `trace.server`) are not sent, so that the server never
// sees keys it does not know.

export const LOCALES = ["vi", "en"] as const;
export const RULE_SEVERITIES = ["off", "error", "warning", "information", "hint"] as const;
export const RULE_CODES = [
  "total-mismatch",
  "fraction-mismatch",
  "count-mismatch",
  "percent-mismatch",
  "ratio-mismatch",
  "table-total-mismatch",
] as const;

export interface ServerSettings {
  locale?: string;
  rules?: Record<string, string>;
}

/**
 * Maps the `baocao` configuration section (as VS Code returns it) to the server's settings.
 * Values are passed on even when they are not in the enums: the server reports a wrong value
 * once, in the user's language, and keeps its default, which is more helpful than dropping it here.
 */
export function toServerSettings(section: unknown): ServerSettings {
  const out: ServerSettings = {};
  if (section === null || typeof section !== "object") {
    return out;
  }
  const s = section as Record<string, unknown>;
  if (typeof s.locale === "string" && s.locale !== "") {
    out.locale = s.locale;
  }
  if (s.rules !== null && typeof s.rules === "object" && !Array.isArray(s.rules)) {
    const rules: Record<string, string> = {};
    for (const [code, value] of Object.entries(s.rules as Record<string, unknown>)) {
      if (typeof value === "string") {
        rules[code] = value;
      }
    }
    out.rules = rules;
  }
  return out;
}

/** What `WorkspaceConfiguration.inspect(key)` tells of one setting (the parts we read). */
export interface Inspected {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/** The keys of the `baocao` section that the server reads. */
export const SERVER_KEYS = ["locale", "rules"] as const;

/**
 * The `baocao` section with only the values the user set (user, workspace or folder settings),
 * never the extension's defaults: a default sent to the server would override the project
 * file `.baocao.toml`, and the precedence is user setting > project file > default.
 */
export function explicitSection(inspect: (key: string) => Inspected | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of SERVER_KEYS) {
    const found = inspect(key);
    const value = found?.workspaceFolderValue ?? found?.workspaceValue ?? found?.globalValue;
    if (value !== undefined) {
      out[key] = value;
    }
  }
  return out;
}

/** The answer to one `workspace/configuration` item. Only the `baocao` section is ours. */
export function configurationItem(section: string | undefined, value: unknown, explicit?: Record<string, unknown>): unknown {
  if (section === "baocao") {
    return toServerSettings(explicit ?? value);
  }
  return value;
}
