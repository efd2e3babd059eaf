// Real VS Code (code-server) in Debian's headless Chromium, driven by playwright-core, with the
// packaged baocao .vsix installed and its bundled server (no baocao-ls on PATH, no path setting).
// Usage: CODE_SERVER=… VSIX=… PLAYWRIGHT_CORE=…/node_modules/playwright-core FIXTURE=… [SHOTS=dir] node vscode_e2e.js
// Prints "ok …"/"FAIL …" per check and exits non-zero on any failure.
const { chromium } = require(process.env.PLAYWRIGHT_CORE);
const { spawn, execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const net = require("net");

const CODE_SERVER = process.env.CODE_SERVER;
const VSIX = process.env.VSIX;
const SHOTS = process.env.SHOTS ? path.resolve(process.env.SHOTS) : null;
const DIAG_VI = "6 + 19 = 25, không khớp tổng số 28 chỉ tiêu thành phần";
const DIAG_EN = "6 + 19 = 25, which does not match the total of 28 chỉ tiêu thành phần";

let passed = 0, failed = 0;
function check(what, cond, detail) {
  if (cond) { passed++; console.log(`  ok   ${what}`); }
  else { failed++; console.log(`  FAIL ${what}${detail ? ": " + detail : ""}`); }
  return cond;
}
async function step(what, fn) { // a check whose failure is a timeout or exception
  try { await fn(); return check(what, true); }
  catch (e) { return check(what, false, String(e.message || e).split("\n")[0]); }
}

function freePort() {
  return new Promise((res) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => res(p)); });
  });
}
async function waitHttp(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try { const r = await fetch(url); if (r.status < 500) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("code-server did not come up: " + url);
}

// The editor's visible text with wrapped lines joined (Monaco renders one wrapped line as
// several .view-line elements, and spaces as U+00A0).
async function waitForEditorText(page, pattern, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    // View lines are positioned absolutely, not kept in DOM order: sort them by their top.
    const text = await page.evaluate(() => [...document.querySelectorAll(".monaco-editor .view-line")]
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
      .map((l) => l.textContent.replace(/\u00a0/g, " ")).join(""));
    if (pattern.test(text)) return;
    if (Date.now() > deadline) throw new Error(`editor text does not match ${pattern}: ${text.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// Ctrl+. at a point, then wait for `title` in the quick-fix widget. Code actions are computed
// for the diagnostics the editor holds when the key is pressed; just after a settings change
// (the locale) the widget can open on the previous list, so it is closed and asked again.
async function quickFixAt(page, rect, title, tries = 3) {
  const item = page.locator(".action-widget").getByText(title).first();
  for (let i = 1; ; i++) {
    await page.mouse.click(rect.x + 2, rect.y + rect.height / 2);
    await page.keyboard.press("Control+.");
    try { await item.waitFor({ timeout: 7000 }); return item; }
    catch (e) {
      if (i >= tries) throw e;
      await page.keyboard.press("Escape");
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

// The screen rectangle of `needle` inside the first editor line containing `lineText`
// (Monaco renders spaces as U+00A0, so both are compared with plain spaces).
async function textRect(page, lineText, needle) {
  return page.evaluate(([lineText, needle]) => {
    const norm = (s) => s.replace(/\u00a0/g, " ");
    for (const line of document.querySelectorAll(".monaco-editor .view-line")) {
      const text = norm(line.textContent);
      if (!text.includes(lineText)) continue;
      let offset = text.indexOf(needle, text.indexOf(lineText));
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (offset < node.length) {
          const range = document.createRange();
          range.setStart(node, offset);
          range.setEnd(node, Math.min(node.length, offset + needle.length));
          const r = range.getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height };
        }
        offset -= node.length;
      }
    }
    return null;
  }, [lineText, needle]);
}

(async () => {
  const t0 = Date.now();
  const lap = (what) => console.log(`  info [${((Date.now() - t0) / 1000).toFixed(1)}s] ${what}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "baocao-vscode-"));
  const ud = path.join(tmp, "user-data"), ext = path.join(tmp, "extensions"), ws = path.join(tmp, "ws");
  const settingsFile = path.join(ud, "User", "settings.json");
  fs.mkdirSync(path.join(ud, "User"), { recursive: true });
  fs.mkdirSync(ws);
  fs.copyFileSync(process.env.FIXTURE, path.join(ws, "bao-cao.md"));
  const baseSettings = {
    "workbench.startupEditor": "none", "security.workspace.trust.enabled": false,
    "telemetry.telemetryLevel": "off", "update.mode": "none", "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false, "extensions.ignoreRecommendations": true, "workbench.tips.enabled": false,
    "workbench.enableExperiments": false, "chat.disableAIFeatures": true, "editor.hover.delay": 100,
    "markdown.validate.enabled": false, "editor.minimap.enabled": false, "window.commandCenter": false,
    "baocao.trace.server": process.env.TRACE || "off",
  };
  fs.writeFileSync(settingsFile, JSON.stringify(baseSettings));
  const common = ["--config", path.join(tmp, "config.yaml"), "--user-data-dir", ud, "--extensions-dir", ext];
  execFileSync(CODE_SERVER, [...common, "--install-extension", VSIX], { stdio: "ignore" });
  const installed = fs.readdirSync(ext).find((d) => d.startsWith("baocao-ls.baocao-"));
  check("the .vsix installs into code-server", installed !== undefined, fs.readdirSync(ext).join(","));
  const bundled = installed && path.join(ext, installed, "server", "baocao-ls");
  check("the server is bundled in the installed extension", bundled && fs.existsSync(bundled));
  lap("extension installed");

  // PATH without baocao-ls, so the diagnostics can only come from the bundled server.
  const env = { ...process.env, PATH: "/usr/local/bin:/usr/bin:/bin" };
  const port = await freePort();
  const cs = spawn(CODE_SERVER, [...common, "--auth", "none", "--bind-addr", `127.0.0.1:${port}`,
    "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust",
    "--disable-getting-started-override", ws], { stdio: ["ignore", "pipe", "pipe"], detached: true, env });
  const csLog = fs.createWriteStream(path.join(tmp, "code-server.log"));
  cs.stdout.pipe(csLog); cs.stderr.pipe(csLog);
  let browser, page;
  const shot = async (name) => {
    if (!SHOTS) return;
    await page.waitForTimeout(400); // let hovers and menus finish fading in, for a readable picture
    await page.screenshot({ path: path.join(SHOTS, name) });
  };
  try {
    await waitHttp(`http://127.0.0.1:${port}/healthz`, 30000);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
    await page.waitForSelector(".monaco-workbench", { timeout: 60000 });
    lap("workbench loaded");
    await page.waitForTimeout(1500);
    await page.locator(".explorer-folders-view").getByText("bao-cao.md").click();
    await page.waitForSelector(".monaco-editor .view-line", { timeout: 15000 });
    lap("file open");

    // 1. squiggle under the wrong total
    const squiggle = await step("warning squiggle appears", () =>
      page.waitForSelector(".monaco-editor .squiggly-warning", { timeout: 30000 }));
    if (squiggle) {
      lap("squiggle shown");
      const r28 = await textRect(page, "Trong tổng số 28", "28 chỉ tiêu thành phần");
      const marks = await page.$$eval(".monaco-editor .squiggly-warning", (els) =>
        els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; }));
      const under = r28 && marks.find((m) => Math.abs(m.x - r28.x) < 3 && Math.abs(m.w - r28.width) < 4
        && m.y >= r28.y - 2 && m.y <= r28.y + r28.height);
      check("squiggle spans exactly “28 chỉ tiêu thành phần”", under !== undefined,
        JSON.stringify({ r28, marks }));
    }
    await shot("vscode-1-squiggle.png");

    // 2. status bar item
    const statusItem = page.locator(".statusbar-item").filter({ hasText: "baocao" }).first();
    await step("status bar shows baocao running (check icon)", async () => {
      await statusItem.locator(".codicon-check").waitFor({ timeout: 10000 });
    });

    // 2b. clicking it opens the output channel with the server's log
    await statusItem.click().catch(() => {});
    const outputView = page.locator(".part.panel .output-view, .part.panel [id='workbench.panel.output']").first();
    await step("status bar item opens the “baocao” output channel with the server's ready line", () =>
      outputView.getByText("sẵn sàng / ready").first().waitFor({ timeout: 15000 }));
    await shot("vscode-output.png");

    // 2c. the restart command, from the command palette by its English title
    await page.keyboard.press("F1");
    await page.keyboard.type("Restart baocao server");
    const paletteEntry = page.locator(".quick-input-widget .monaco-list-row").filter({ hasText: "Restart baocao server" }).first();
    if (await step("command palette lists “baocao: Restart baocao server”", () => paletteEntry.waitFor({ timeout: 10000 }))) {
      await page.keyboard.press("Enter");
      await step("after the restart the log shows it and the server is ready again", async () => {
        await outputView.getByText("khởi động lại / restarting").first().waitFor({ timeout: 15000 });
        await page.waitForFunction(() => (document.querySelector(".part.panel")?.textContent || "").replace(/\u00a0/g, " ")
          .split("sẵn sàng / ready").length - 1 >= 2, null, { timeout: 15000 });
        await statusItem.locator(".codicon-check").waitFor({ timeout: 10000 });
      });
    }

    // 3. Problems panel: message and 1-based line/column in characters
    await page.keyboard.press("Control+Shift+M");
    await step("Problems lists the Vietnamese message", () =>
      page.locator(".markers-panel").getByText(DIAG_VI).first().waitFor({ timeout: 15000 }));
    const rowText = await page.locator(".markers-panel .monaco-list-row").filter({ hasText: "6 + 19 = 25" }).first()
      .innerText().catch(() => "");
    check("Problems entry is at [Ln 3, Col 15] with source baocao(total-mismatch)",
      rowText.includes("Ln 3, Col 15") && rowText.includes("baocao") && rowText.includes("total-mismatch"), rowText);
    await shot("vscode-2-problems.png");

    // 4. hover over the wrong total shows the diagnostic text
    const r28 = await textRect(page, "Trong tổng số 28", "28");
    if (check("found “28” on screen", r28 !== null)) {
      await page.mouse.move(r28.x + r28.width / 2, r28.y + r28.height / 2);
      await step("hover shows the diagnostic message", () =>
        page.locator(".monaco-hover").filter({ hasText: DIAG_VI }).first().waitFor({ timeout: 15000 }));
      await shot("vscode-3-hover.png");
      await page.mouse.move(5, 700);
      await page.keyboard.press("Escape");
    }

    // 4b. hover on a cited resolution: the server's own hover (catalogue entry with sources)
    const rNq = await textRect(page, "Nghị quyết số 11-NQ/TW", "11-NQ/TW");
    if (check("found “11-NQ/TW” on screen", rNq !== null)) {
      await page.mouse.move(rNq.x + rNq.width / 2, rNq.y + rNq.height / 2);
      await step("hover on 11-NQ/TW shows the catalogue entry (Bộ Chính trị khóa XIII)", () =>
        page.locator(".monaco-hover").filter({ hasText: "Bộ Chính trị khóa XIII" }).first().waitFor({ timeout: 15000 }));
      await shot("vscode-3b-hover-citation.png");
      await page.mouse.move(5, 700);
      await page.keyboard.press("Escape");
    }

    // 5. quick fix on the count-mismatch: cursor on the "4", Ctrl+. , choose the fix
    const r4 = await textRect(page, "Tỉnh xác định 4", "4 nhiệm vụ");
    if (check("found “4 nhiệm vụ” on screen", r4 !== null)) {
      if (await step("Ctrl+. offers “Sửa số lượng thành 3”", () => quickFixAt(page, r4, "Sửa số lượng thành 3"))) {
        await shot("vscode-4-quickfix.png");
        await page.keyboard.press("Enter");
        await step("the quick fix edits the line", () => page.locator(".monaco-editor .view-line")
          .filter({ hasText: /xác\s+định\s+3\s+nhiệm/ }).first().waitFor({ timeout: 10000 }));
      }
    }

    // 6. a settings change applies without restart: English messages
    // Through the Settings editor, as a user would (code-server does not notice a rewrite of
    // settings.json behind its back quickly enough to rely on it).
    await page.keyboard.press("Control+,");
    const search = page.locator(".settings-editor .suggest-input-container textarea, .settings-editor input").first();
    await search.waitFor({ timeout: 15000 });
    await search.fill("baocao.locale");
    // The settings list first shows other settings; wait for the one the search found.
    const select = page.locator('.settings-editor select[aria-label="baocao.locale"]');
    await step("Settings editor shows baocao.locale", () => select.waitFor({ timeout: 15000 }));
    const options = await select.locator("option").allInnerTexts().catch(() => []);
    check("baocao.locale offers vi and en", JSON.stringify(options) === JSON.stringify(["vi", "en"]), JSON.stringify(options));
    await select.selectOption("en");
    await shot("vscode-5-settings.png");
    await step("changing baocao.locale to en re-renders Problems in English without restart", () =>
      page.locator(".markers-panel").getByText(DIAG_EN).first().waitFor({ timeout: 20000 }));
    await shot("vscode-6-english.png");
    // Every setting the server reads is on the page: the house styles too (issue 13 §5).
    await search.fill("baocao.style");
    const toneMarks = page.locator('.settings-editor select[aria-label="baocao.style.toneMarks"]');
    await step("Settings editor shows baocao.style.toneMarks", () => toneMarks.waitFor({ timeout: 15000 }));
    const styles = await toneMarks.locator("option").allInnerTexts().catch(() => []);
    check("baocao.style.toneMarks offers majority, old and new", ["majority", "old", "new"].every((o) => styles.includes(o)), JSON.stringify(styles));
    await step("Settings editor shows baocao.style.dateStyle", () =>
      page.locator('.settings-editor select[aria-label="baocao.style.dateStyle"]').waitFor({ timeout: 15000 }));

    // 7. "add the missing category" is a snippet fix (inserted by the extension's
    // baocao.insertSnippet command): its placeholders take what is typed next.
    await page.keyboard.press("Control+W"); // close the Settings editor, back to the report
    const r28b = await textRect(page, "Trong tổng số 28", "28");
    if (check("back in the report, “28” on screen", r28b !== null)) {
      if (await step("Ctrl+. offers “Add the missing category: 3 chỉ tiêu thành phần …”",
        () => quickFixAt(page, r28b, "Add the missing category"))) {
        await page.keyboard.press("Enter"); // the first, highlighted action (a click is blocked by the widget overlay)
        await step("the snippet is inserted after the last part", () =>
          waitForEditorText(page, /tiến\s*độ;\s*3\s*chỉ\s*tiêu\s*thành\s*phần\s*chưa\s*đạt/, 10000));
        // The first placeholder ("3") is selected, Tab moves to the second ("chưa đạt").
        await page.keyboard.type("7");
        await page.keyboard.press("Tab");
        await page.keyboard.type("khó đạt");
        await step("typing fills both placeholders (“7 … khó đạt”)", () =>
          waitForEditorText(page, /tiến\s*độ;\s*7\s*chỉ\s*tiêu\s*thành\s*phần\s*khó\s*đạt/, 10000));
        await shot("vscode-7-snippet-fix.png");
        await page.keyboard.press("Escape");
      }
    }
  } catch (e) {
    check("test ran without an exception", false, e.message);
    if (page) await page.screenshot({ path: path.join(tmp, "fail.png") }).catch(() => {});
  } finally {
    if (failed > 0 && page) {
      await page.screenshot({ path: path.join(tmp, "fail.png") }).catch(() => {});
      fs.writeFileSync(path.join(tmp, "fail.html"), await page.content().catch(() => ""));
    }
    if (browser) await browser.close();
    const exited = new Promise((r) => cs.once("exit", r));
    try { process.kill(-cs.pid, "SIGTERM"); } catch { /* already gone */ }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    try { process.kill(-cs.pid, "SIGKILL"); } catch { /* already gone */ }
    if (failed > 0) {
      const keep = fs.mkdtempSync(path.join(os.tmpdir(), "baocao-vscode-fail-"));
      for (const f of ["code-server.log", "fail.png", "fail.html", "user-data/logs"]) {
        if (fs.existsSync(path.join(tmp, f))) fs.cpSync(path.join(tmp, f), path.join(keep, path.basename(f)), { recursive: true });
      }
      console.log(`  info logs and screenshot kept in ${keep}`);
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  lap("done");
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
})();
