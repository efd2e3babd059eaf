// The extension's `baocao.*` settings → what baocao-ls reads. Pure, for unit tests.
// The server takes `{ "locale": "vi"|"en", "rules": { "<code>": "off"|"error"|… }, "style":
// { "toneMarks": …, "dateStyle": … }, "abbreviations": { "allowed": [ … ] } }`; the client-only
// settings (`server.path`, `trace.server`) are not sent, so that the server never sees keys it
// does not know.

export const LOCALES = ["vi", "en"] as const;
export const RULE_SEVERITIES = ["off", "error", "warning", "information", "hint"] as const;
/** Every rule the server runs: one per rule section of docs/rules.md (a unit test keeps them equal, and the core keeps docs/rules.md equal to its rules). */
export const RULE_CODES = [
  "total-mismatch",
  "fraction-mismatch",
  "count-mismatch",
  "percent-mismatch",
  "ratio-mismatch",
  "table-total-mismatch",
  "resolution-name",
  "abbreviation-undefined",
  "tone-mark-mixed",
  "unicode-nfd",
  "term-typo",
  "spelling",
  "date-format-mixed",
  "citation-conflict",
  "citation-order",
  "citation-superseded",
  "date-invalid",
  "weekday-mismatch",
] as const;
export const TONE_MARK_STYLES = ["majority", "old", "new"] as const;
export const DATE_STYLES = ["majority", "slash", "hyphen", "dot"] as const;

export interface ServerSettings {
  locale?: string;
  rules?: Record<string, string>;
  style?: { toneMarks?: string; dateStyle?: string };
  abbreviations?: { allowed?: string[] };
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
  // VS Code gives dotted settings nested ("style": { "toneMarks": … }); an explicit section
  // built from `inspect` keeps the dotted keys. Both shapes are read.
  const nested = (group: string, key: string): unknown => {
    const inGroup = s[group];
    if (inGroup !== null && typeof inGroup === "object" && key in (inGroup as Record<string, unknown>)) {
      return (inGroup as Record<string, unknown>)[key];
    }
    return s[`${group}.${key}`];
  };
  const toneMarks = nested("style", "toneMarks");
  const dateStyle = nested("style", "dateStyle");
  if (typeof toneMarks === "string" || typeof dateStyle === "string") {
    out.style = {};
    if (typeof toneMarks === "string") {
      out.style.toneMarks = toneMarks;
    }
    if (typeof dateStyle === "string") {
      out.style.dateStyle = dateStyle;
    }
  }
  const allowed = nested("abbreviations", "allowed");
  if (Array.isArray(allowed)) {
    out.abbreviations = { allowed: allowed.filter((a): a is string => typeof a === "string") };
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
export const SERVER_KEYS = ["locale", "rules", "style.toneMarks", "style.dateStyle", "abbreviations.allowed"] as const;

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
