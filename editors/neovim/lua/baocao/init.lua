-- baocao-ls for Neovim 0.8–0.10 (and 0.7, which lacks vim.lsp.start):
--   require('baocao').setup({ settings = { baocao = { locale = 'en' } } })
-- On 0.11 and later prefer lsp/baocao_ls.lua with vim.lsp.enable('baocao_ls').
local M = {}

M.defaults = {
  cmd = { 'baocao-ls' },
  filetypes = { 'markdown', 'text' },
  root_markers = { '.baocao.toml', '.git' },
  -- Only what the user sets is sent: a default here would override the project file .baocao.toml.
  settings = { baocao = {} },
  -- Buffer-local mappings that Neovim itself only has from 0.10 (K, ]d, [d) and 0.11 (gra), set
  -- where the user has not mapped the key: the keys docs/editors.md names then work everywhere.
  keymaps = true,
}

-- K: hover (the catalogue entry of a cited document); ]d / [d: next / previous diagnostic;
-- gra: quick fixes. Only on versions without these defaults, and never over a user's mapping.
local function set_keymaps(bufnr)
  local maps = {}
  if vim.fn.has('nvim-0.10') == 0 then
    maps.K = vim.lsp.buf.hover
    maps[']d'] = vim.diagnostic.goto_next
    maps['[d'] = vim.diagnostic.goto_prev
  end
  if vim.fn.has('nvim-0.11') == 0 then
    maps.gra = vim.lsp.buf.code_action
  end
  for lhs, fn in pairs(maps) do
    -- Built-in commands (K runs keywordprg, ]d jumps to a #define) are no mappings: maparg is empty.
    if vim.tbl_isempty(vim.fn.maparg(lhs, 'n', false, true)) then
      vim.keymap.set('n', lhs, fn, { buffer = bufnr, silent = true, desc = 'baocao-ls' })
    end
  end
end

-- The nearest ancestor directory of `path` that holds one of `markers`, else the file's own
-- directory, so that a lone report outside any project still gets checked.
local function find_root(path, markers)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  while true do
    for _, marker in ipairs(markers) do
      if vim.loop.fs_stat(dir .. '/' .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return vim.fn.fnamemodify(path, ':p:h')
    end
    dir = parent
  end
end

local function client_config(opts, root)
  return {
    name = 'baocao_ls',
    cmd = opts.cmd,
    root_dir = root,
    settings = opts.settings,
    -- The server also reads its settings from initializationOptions, so clients that never
    -- answer workspace/configuration still apply them.
    init_options = opts.settings,
    on_attach = function(client, bufnr)
      if opts.keymaps then
        set_keymaps(bufnr)
      end
      if opts.on_attach then
        opts.on_attach(client, bufnr)
      end
    end,
    capabilities = opts.capabilities,
  }
end

-- Clients started through the 0.7 fallback, one per root directory.
local legacy_clients = {}

local function attach(opts, bufnr)
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == '' or vim.bo[bufnr].buftype ~= '' then
    return
  end
  if vim.fn.executable(opts.cmd[1]) ~= 1 then
    vim.notify_once(
      ('baocao: không tìm thấy “%s”; cài bằng `cargo install --path server/lsp` hoặc đặt cmd / '
        .. '“%s” not found; install it or set cmd in require("baocao").setup()'):format(opts.cmd[1], opts.cmd[1]),
      vim.log.levels.WARN
    )
    return
  end
  local root = find_root(path, opts.root_markers)
  local config = client_config(opts, root)
  if vim.lsp.start then
    -- vim.lsp.start reuses a running client with the same name and root_dir.
    vim.lsp.start(config, { bufnr = bufnr })
    return
  end
  local id = legacy_clients[root]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client(config)
    legacy_clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

function M.setup(user_opts)
  local opts = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), user_opts or {})
  local group = vim.api.nvim_create_augroup('baocao_ls', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = opts.filetypes,
    callback = function(args)
      attach(opts, args.buf)
    end,
  })
  -- Buffers already open when setup() runs (e.g. lazy-loaded after the file was opened).
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(opts.filetypes, vim.bo[bufnr].filetype) then
      attach(opts, bufnr)
    end
  end
end

return M
