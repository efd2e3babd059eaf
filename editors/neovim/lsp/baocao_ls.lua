-- baocao-ls for Neovim ≥ 0.11: put this directory (editors/neovim) on 'runtimepath', or copy
-- this file to ~/.config/nvim/lsp/baocao_ls.lua, then call vim.lsp.enable('baocao_ls').
-- Override anything with vim.lsp.config('baocao_ls', { settings = { baocao = { locale = 'en' } } }).
---@type vim.lsp.Config
return {
  cmd = { 'baocao-ls' },
  filetypes = { 'markdown', 'text' },
  -- A project's own settings file wins over the repository root; without either, the server
  -- still runs for the single file.
  root_markers = { '.baocao.toml', '.git' },
  -- Answered to the server's workspace/configuration request for the "baocao" section, so a
  -- change made with vim.lsp.config and a restart (or a didChangeConfiguration) applies.
  -- Only what the user sets is sent: a default here would override the project file .baocao.toml.
  settings = {
    baocao = {
      -- locale = 'en', -- 'vi' (the default) | 'en': language of the messages
      -- rules = { ['total-mismatch'] = 'error' },  -- off | error | warning | information | hint
    },
  },
}
