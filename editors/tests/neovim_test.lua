-- Drives real headless Neovim against baocao-ls; works on 0.7.2 (Debian) and 0.11 (PyPI wheel).
-- Usage: BAOCAO_LS=… EDITORS_DIR=…/editors RESULT=out.txt nvim --headless --clean -u neovim_test.lua FIXTURE
-- On 0.11 the server is configured by the shipped lsp/baocao_ls.lua (vim.lsp.enable); on older
-- versions by the shipped require('baocao').setup(). Each check writes "ok …" or "FAIL …" to RESULT.
local server = assert(os.getenv('BAOCAO_LS'), 'BAOCAO_LS not set')
local editors_dir = assert(os.getenv('EDITORS_DIR'), 'EDITORS_DIR not set')
local result_path = os.getenv('RESULT') or 'nvim-result.txt'
local modern = vim.fn.has('nvim-0.11') == 1
local get_clients = vim.lsp.get_clients or vim.lsp.get_active_clients

vim.opt.runtimepath:prepend(editors_dir .. '/neovim')
if modern then
  vim.lsp.config('baocao_ls', { cmd = { server } })
  vim.lsp.enable('baocao_ls')
else
  require('baocao').setup({ cmd = { server } })
end

local lines_out, failed = {}, 0
local t0 = vim.loop.hrtime()
local function lap(what) -- timing notes for the log only; nothing asserts on them
  table.insert(lines_out, ('%.2fs %s'):format((vim.loop.hrtime() - t0) / 1e9, what))
end
local function check(what, cond, detail)
  if cond then
    table.insert(lines_out, 'ok   ' .. what)
  else
    failed = failed + 1
    table.insert(lines_out, 'FAIL ' .. what .. (detail and (': ' .. detail) or ''))
  end
  return cond
end

local function finish()
  lap('checks done')
  for _, c in ipairs(get_clients()) do
    c.stop()
  end
  local stopped = vim.wait(5000, function() return #get_clients() == 0 end, 20)
  check('server exits on shutdown + exit', stopped)
  lap('server stopped')
  local v = vim.version()
  table.insert(lines_out, 1, ('nvim %d.%d.%d'):format(v.major, v.minor, v.patch))
  local f = io.open(result_path, 'w')
  if f then
    f:write(table.concat(lines_out, '\n') .. '\n')
    f:close()
  end
  vim.cmd(failed == 0 and 'qall!' or 'cquit 1')
end

local function code_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local function find_diag(buf, code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if code_of(d) == code then
      return d
    end
  end
end

-- The 0-based byte start/end of `needle` on 0-based line `lnum` (what Neovim's columns are).
local function byte_span(buf, lnum, needle)
  local line = vim.api.nvim_buf_get_lines(buf, lnum, lnum + 1, false)[1] or ''
  local s = line:find(needle, 1, true)
  if not s then
    return -1, -1
  end
  return s - 1, s - 1 + #needle
end

-- The diagnostic as the server sent it (0.11 keeps it whole in user_data.lsp; 0.7 keeps only
-- some fields there, so the LSP form is rebuilt by its own helper).
local function lsp_diagnostic(buf, d, client)
  local lsp = d.user_data and d.user_data.lsp
  if lsp and lsp.range then
    return lsp
  end
  for _, ld in ipairs(vim.lsp.diagnostic.get_line_diagnostics(buf, d.lnum, {}, client.id)) do
    if ld.code == code_of(d) then
      return ld
    end
  end
end

local function run()
  local buf = vim.api.nvim_get_current_buf()
  check('filetype is markdown', vim.bo[buf].filetype == 'markdown', vim.bo[buf].filetype)

  -- 1. the total-mismatch diagnostic, at the right place although Vietnamese precedes it
  local got = vim.wait(15000, function() return find_diag(buf, 'total-mismatch') ~= nil end, 20)
  if not check('total-mismatch diagnostic arrives', got) then
    return finish()
  end
  lap('diagnostics arrived')
  local client = get_clients({ bufnr = buf })[1] or get_clients()[1]
  table.insert(lines_out, 'offset encoding ' .. tostring(client.offset_encoding))
  local d = find_diag(buf, 'total-mismatch')
  local want_start, want_end = byte_span(buf, 2, '28 chỉ tiêu thành phần')
  check('total-mismatch on line 3', d.lnum == 2 and d.end_lnum == 2, ('lnum %s'):format(d.lnum))
  check('total-mismatch start column (bytes) ' .. want_start, d.col == want_start, 'got ' .. tostring(d.col))
  check('total-mismatch end column (bytes) ' .. want_end, d.end_col == want_end, 'got ' .. tostring(d.end_col))
  check('message is the Vietnamese default',
    d.message == '6 + 19 = 25, không khớp tổng số 28 chỉ tiêu thành phần', d.message)
  check('severity is warning', d.severity == vim.diagnostic.severity.WARN, tostring(d.severity))
  check('source is baocao', d.source == 'baocao', tostring(d.source))

  -- 1b. the keys docs/editors.md names work on every version: K, ]d, [d, gra are mapped, by
  -- Neovim itself (0.10+, 0.11+) or by the plugin (earlier); ]d moves to a diagnostic.
  if not modern then
    for _, lhs in ipairs({ 'K', ']d', '[d', 'gra' }) do
      local m = vim.fn.maparg(lhs, 'n', false, true)
      check(('plugin maps %s in the report buffer'):format(lhs), not vim.tbl_isempty(m) and m.buffer == 1, vim.inspect(m))
    end
    vim.api.nvim_win_set_cursor(0, { 1, 0 })
    vim.cmd('normal ]d')
    local row = vim.api.nvim_win_get_cursor(0)[1]
    check(']d moves to a line with a diagnostic', row > 1 and #vim.diagnostic.get(buf, { lnum = row - 1 }) > 0, ('row %d'):format(row))
  end

  -- 2. hover. With a hover provider: on the cited resolution (line 7), which the server
  -- explains from its catalogue. Without one: Neovim must say so, and nothing may fail.
  if client.server_capabilities.hoverProvider then
    local _, col = byte_span(buf, 6, '11-NQ/TW')
    vim.api.nvim_win_set_cursor(0, { 7, col + 3 })
    local pos = vim.lsp.util.make_position_params(0, client.offset_encoding)
    local replies = vim.lsp.buf_request_sync(buf, 'textDocument/hover', pos, 5000) or {}
    local text, err = '', nil
    for _, r in pairs(replies) do
      err = err or r.err
      local c = r.result and r.result.contents
      if type(c) == 'table' and c.value then
        text = text .. c.value
      end
    end
    check('hover on “11-NQ/TW” names the resolution', err == nil and text:find('Nghị quyết số 11-NQ/TW', 1, true) ~= nil,
      vim.inspect(replies))
    check('hover gives the catalogue entry (issuer “Bộ Chính trị khóa XIII”)', text:find('Bộ Chính trị khóa XIII', 1, true) ~= nil, text)
  else
    vim.api.nvim_win_set_cursor(0, { 3, want_start })
    local pos = vim.lsp.util.make_position_params(0, client.offset_encoding)
    -- Neovim tells the user so through vim.notify; capture that instead of letting it reach stderr.
    local notified = {}
    local notify = vim.notify
    vim.notify = function(msg) table.insert(notified, msg) end
    local replies = vim.lsp.buf_request_sync(buf, 'textDocument/hover', pos, 1000) or {}
    vim.notify = notify
    local any = false
    for _, r in pairs(replies) do
      any = any or r.err ~= nil or r.result ~= nil
    end
    check('no hover provider advertised: hover gives no error and no result', not any, vim.inspect(replies))
    check('Neovim says no server supports hover', table.concat(notified, ' '):find('not supported', 1, true) ~= nil)
  end

  -- 3. the quick fix for the count-mismatch on line 5, applied through Neovim's own edit code
  local cd = find_diag(buf, 'count-mismatch')
  if check('count-mismatch diagnostic present', cd ~= nil and cd.lnum == 4) then
    local ld = lsp_diagnostic(buf, cd, client)
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(buf) },
      range = ld and ld.range,
      context = { diagnostics = { ld } },
    }
    local reply = client.request_sync('textDocument/codeAction', params, 5000, buf) or {}
    local action
    for _, a in ipairs(reply.result or {}) do
      if a.kind == 'quickfix' and a.title == 'Sửa số lượng thành 3' then
        action = a
      end
    end
    if check('code action “Sửa số lượng thành 3” offered', action ~= nil, vim.inspect(reply)) then
      check('quick fix is preferred', action.isPreferred == true)
      lap('code action received')
      vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
      local line = vim.api.nvim_buf_get_lines(buf, 4, 5, false)[1]
      check('quick fix edits the count', line:find('xác định 3 nhiệm vụ', 1, true) ~= nil, line)
      local gone = vim.wait(10000, function() return find_diag(buf, 'count-mismatch') == nil end, 20)
      check('count-mismatch clears after the fix', gone)
      lap('diagnostics updated after the edit')
      check('total-mismatch stays after the fix', find_diag(buf, 'total-mismatch') ~= nil)
    end
  end
  finish()
end

vim.api.nvim_create_autocmd('VimEnter', {
  callback = function()
    local ok, err = pcall(run)
    if not ok then
      check('test script ran without a Lua error', false, tostring(err))
      finish()
    end
  end,
})
