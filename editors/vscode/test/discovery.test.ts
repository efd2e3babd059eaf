import { strict as assert } from "assert";
import { test } from "node:test";
import { bundledPath, findServer, NOT_FOUND_MESSAGE } from "../src/discovery";

// A fake file system: only the listed files are executable.
function input(executables: string[], over: Partial<Parameters<typeof findServer>[0]> = {}) {
  return {
    configuredPath: "",
    extensionPath: "/ext",
    platform: "linux",
    pathEnv: "/usr/local/bin:/usr/bin",
    homeDir: "/home/an",
    isExecutable: (f: string) => executables.includes(f),
    ...over,
  };
}

test("the setting wins over the bundled binary and PATH", () => {
  const r = findServer(input(["/opt/b/baocao-ls", "/ext/server/baocao-ls", "/usr/bin/baocao-ls"], { configuredPath: "/opt/b/baocao-ls" }));
  assert.deepEqual(r, { kind: "found", path: "/opt/b/baocao-ls", source: "setting" });
});

test("a leading ~ in the setting is the home directory", () => {
  const r = findServer(input(["/home/an/.cargo/bin/baocao-ls"], { configuredPath: "~/.cargo/bin/baocao-ls" }));
  assert.deepEqual(r, { kind: "found", path: "/home/an/.cargo/bin/baocao-ls", source: "setting" });
});

test("a setting that points nowhere is reported, not silently replaced", () => {
  const r = findServer(input(["/ext/server/baocao-ls"], { configuredPath: "/nope/baocao-ls" }));
  assert.equal(r.kind, "missing");
  assert.ok(r.kind === "missing" && r.message.includes("/nope/baocao-ls"));
  assert.ok(r.kind === "missing" && r.message.includes("baocao.server.path"));
});

test("a blank setting counts as unset: the bundled binary comes next", () => {
  const r = findServer(input(["/ext/server/baocao-ls", "/usr/bin/baocao-ls"], { configuredPath: "   " }));
  assert.deepEqual(r, { kind: "found", path: "/ext/server/baocao-ls", source: "bundled" });
});

test("without setting and bundle, the first PATH entry that has it", () => {
  const r = findServer(input(["/usr/bin/baocao-ls"], { pathEnv: "/usr/local/bin::/usr/bin" }));
  assert.deepEqual(r, { kind: "found", path: "/usr/bin/baocao-ls", source: "path" });
});

test("an empty PATH entry is not the current directory", () => {
  const r = findServer(input(["baocao-ls"], { pathEnv: ":" }));
  assert.deepEqual(r, { kind: "missing", message: NOT_FOUND_MESSAGE });
});

test("nothing anywhere gives the bilingual, actionable message", () => {
  const r = findServer(input([], { pathEnv: undefined }));
  assert.equal(r.kind, "missing");
  assert.ok(NOT_FOUND_MESSAGE.includes("không tìm thấy"));
  assert.ok(NOT_FOUND_MESSAGE.includes("was not found"));
  assert.ok(NOT_FOUND_MESSAGE.includes("baocao.server.path"));
});

test("Windows: .exe name and ; separator", () => {
  assert.equal(bundledPath("/ext", "win32").endsWith("baocao-ls.exe"), true);
  const r = findServer(input(["C:\\tools/baocao-ls.exe"], { platform: "win32", pathEnv: "C:\\x;C:\\tools" }));
  assert.deepEqual(r, { kind: "found", path: "C:\\tools/baocao-ls.exe", source: "path" });
});
