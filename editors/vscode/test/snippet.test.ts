import { strict as assert } from "assert";
import { test } from "node:test";
import { snippetArguments } from "../src/snippet";

test("well-formed arguments from the server are read", () => {
  const range = { start: { line: 2, character: 40 }, end: { line: 2, character: 40 } };
  assert.deepEqual(snippetArguments(["file:///a.md", range, "; ${1:3} chỉ tiêu ${2:chưa đạt}"]), {
    uri: "file:///a.md",
    range,
    snippet: "; ${1:3} chỉ tiêu ${2:chưa đạt}",
  });
});

test("malformed arguments are refused, never thrown on", () => {
  assert.equal(snippetArguments([]), undefined);
  assert.equal(snippetArguments(["file:///a.md", null, "x"]), undefined);
  assert.equal(snippetArguments(["file:///a.md", { start: { line: -1, character: 0 }, end: { line: 0, character: 0 } }, "x"]), undefined);
  assert.equal(snippetArguments(["file:///a.md", { start: { line: 0, character: 0 } }, "x"]), undefined);
  assert.equal(snippetArguments([42, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, "x"]), undefined);
});
