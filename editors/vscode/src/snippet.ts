// The insert-snippet command: LSP 3.17 has no snippet edits in code actions, so for a fix with
// placeholders ("${1:3} chỉ tiêu ${2:chưa đạt}") the server sends this command instead, with
// the document, the LSP range and the snippet; the extension inserts it with the editor's
// snippet support. This file holds the argument checking, which needs no VS Code to test.

/** The command the server sends (the server's `SNIPPET_COMMAND`). */
export const INSERT_SNIPPET_COMMAND = "baocao.insertSnippet";

export interface LspPosition {
  line: number;
  character: number;
}

export interface SnippetArguments {
  uri: string;
  range: { start: LspPosition; end: LspPosition };
  snippet: string;
}

function position(value: unknown): LspPosition | undefined {
  if (typeof value !== "object" || value === null) {
    return undefined;
  }
  const { line, character } = value as Record<string, unknown>;
  if (!Number.isInteger(line) || !Number.isInteger(character) || (line as number) < 0 || (character as number) < 0) {
    return undefined;
  }
  return { line: line as number, character: character as number };
}

/** The command's arguments when they are well formed: `[uri, range, snippet]`. */
export function snippetArguments(args: unknown[]): SnippetArguments | undefined {
  const [uri, range, snippet] = args;
  if (typeof uri !== "string" || typeof snippet !== "string" || typeof range !== "object" || range === null) {
    return undefined;
  }
  const start = position((range as Record<string, unknown>).start);
  const end = position((range as Record<string, unknown>).end);
  if (!start || !end) {
    return undefined;
  }
  return { uri, range: { start, end }, snippet };
}
