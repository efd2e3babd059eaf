import { strict as assert } from "assert";
import { test } from "node:test";
import * as fs from "fs";
import * as path from "path";
import {
  configurationItem,
  DATE_STYLES,
  explicitSection,
  RULE_CODES,
  RULE_SEVERITIES,
  TONE_MARK_STYLES,
  toServerSettings,
} from "../src/settings";

test("locale and rules pass through; client-only keys are dropped", () => {
  const section = {
    locale: "en",
    rules: { "total-mismatch": "error", "count-mismatch": "off" },
    server: { path: "/x/baocao-ls" },
    trace: { server: "verbose" },
  };
  assert.deepEqual(toServerSettings(section), {
    locale: "en",
    rules: { "total-mismatch": "error", "count-mismatch": "off" },
  });
});

test("defaults (empty rules) stay an empty object, so the server resets earlier overrides", () => {
  assert.deepEqual(toServerSettings({ locale: "vi", rules: {} }), { locale: "vi", rules: {} });
});

test("non-string rule values and non-object sections are left out", () => {
  assert.deepEqual(toServerSettings({ rules: { "total-mismatch": 3, "count-mismatch": "hint" } }), {
    rules: { "count-mismatch": "hint" },
  });
  assert.deepEqual(toServerSettings(null), {});
  assert.deepEqual(toServerSettings("en"), {});
  assert.deepEqual(toServerSettings({ rules: ["off"] }), {});
});

test("only the baocao section of a workspace/configuration answer is mapped", () => {
  assert.deepEqual(configurationItem("baocao", { locale: "en", server: { path: "x" } }), { locale: "en" });
  assert.deepEqual(configurationItem("editor", { tabSize: 4 }), { tabSize: 4 });
});

// package.json must offer exactly the rule codes and severities the mapping knows, with a
// description in both languages for every setting.
const root = path.join(__dirname, "..", "..");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const props = manifest.contributes.configuration.properties;

test("package.json contributes every server setting", () => {
  assert.deepEqual(Object.keys(props).sort(), [
    "baocao.abbreviations.allowed",
    "baocao.locale",
    "baocao.rules",
    "baocao.server.path",
    "baocao.style.dateStyle",
    "baocao.style.toneMarks",
    "baocao.trace.server",
  ]);
  assert.deepEqual(props["baocao.style.toneMarks"].enum, [...TONE_MARK_STYLES]);
  assert.deepEqual(props["baocao.style.dateStyle"].enum, [...DATE_STYLES]);
  // No default for the house-style settings: unset, the project file decides.
  assert.equal(props["baocao.style.toneMarks"].default, undefined);
  assert.equal(props["baocao.style.dateStyle"].default, undefined);
  assert.equal(props["baocao.abbreviations.allowed"].default, undefined);
  assert.deepEqual(props["baocao.locale"].enum, ["vi", "en"]);
  assert.equal(props["baocao.locale"].default, "vi");
  assert.deepEqual(Object.keys(props["baocao.rules"].properties), [...RULE_CODES]);
  for (const code of RULE_CODES) {
    assert.deepEqual(props["baocao.rules"].properties[code].enum, [...RULE_SEVERITIES]);
  }
  assert.deepEqual(props["baocao.rules"].additionalProperties.enum, [...RULE_SEVERITIES]);
});

test("every %key% in package.json has an English and a Vietnamese text", () => {
  const keys = [...JSON.stringify(manifest).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
  assert.ok(keys.length >= 10);
  for (const file of ["package.nls.json", "package.nls.vi.json"]) {
    const nls = JSON.parse(fs.readFileSync(path.join(root, file), "utf8"));
    for (const key of keys) {
      assert.equal(typeof nls[key], "string", `${file} lacks ${key}`);
      assert.ok(nls[key].length > 0);
    }
  }
  const vi = JSON.parse(fs.readFileSync(path.join(root, "package.nls.vi.json"), "utf8"));
  assert.equal(vi["command.restartServer"], "Khởi động lại máy chủ baocao");
});

test("only the settings the user set reach the server, so .baocao.toml beats the defaults", () => {
  // Nothing set anywhere: the defaults (locale "vi") are not sent.
  assert.deepEqual(explicitSection(() => ({})), {});
  assert.deepEqual(toServerSettings(explicitSection(() => undefined)), {});
  // A folder setting wins over the workspace's, which wins over the user's.
  const inspected: Record<string, { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown }> = {
    locale: { globalValue: "vi", workspaceValue: "en" },
    rules: { globalValue: { "total-mismatch": "off" }, workspaceFolderValue: { "count-mismatch": "hint" } },
  };
  assert.deepEqual(explicitSection((key) => inspected[key]), { locale: "en", rules: { "count-mismatch": "hint" } });
  // The configuration answer uses the explicit values, not VS Code's resolved ones.
  assert.deepEqual(configurationItem("baocao", { locale: "vi", rules: {} }, {}), {});
  assert.deepEqual(configurationItem("baocao", { locale: "vi" }, { locale: "en" }), { locale: "en" });
});

test("the house-style settings reach the server in its nested shape", () => {
  // As VS Code returns the section (nested) and as explicitSection builds it (dotted keys).
  const nested = { style: { toneMarks: "new", dateStyle: "slash" }, abbreviations: { allowed: ["UBND", 3, "BCH"] } };
  const expected = { style: { toneMarks: "new", dateStyle: "slash" }, abbreviations: { allowed: ["UBND", "BCH"] } };
  assert.deepEqual(toServerSettings(nested), expected);
  const inspected: Record<string, { globalValue?: unknown }> = {
    "style.toneMarks": { globalValue: "new" },
    "style.dateStyle": { globalValue: "slash" },
    "abbreviations.allowed": { globalValue: ["UBND", 3, "BCH"] },
  };
  assert.deepEqual(toServerSettings(explicitSection((key) => inspected[key])), expected);
  // Unset: nothing is sent, so .baocao.toml decides.
  assert.deepEqual(toServerSettings(explicitSection(() => ({}))), {});
});

test("the settings page lists every rule the server runs", () => {
  const rulesDoc = fs.readFileSync(path.join(root, "..", "..", "docs", "rules.md"), "utf8");
  const documented = [...rulesDoc.matchAll(/^## ([a-z]+(?:-[a-z]+)*)$/gm)].map((m) => m[1]).sort();
  assert.deepEqual([...RULE_CODES].sort(), documented);
});
