-- A third-party LSP client: Neovim 0.7 (no vim.lsp.start) starts the Stateless server over stdio,
-- opens a fixture, waits for its diagnostics, asks for code actions on the first one (the LSP
-- diagnostic rebuilt from vim.diagnostic.get, as 0.7's own code-action UI does), applies the first
-- action that edits, and prints the diagnostics, the actions and the resulting buffers, then quits.
-- Environment: STATELESS_SERVER (server/dist/bin.js), STATELESS_ROOT (the fixture's folder).
local server = os.getenv('STATELESS_SERVER')
local root = os.getenv('STATELESS_ROOT')
local out = {}
local function emit(line) table.insert(out, line) end
local function finish(code)
  io.stdout:write(table.concat(out, '\n') .. '\n')
  io.stdout:flush()
  vim.cmd(code == 0 and 'qall!' or ('cquit! ' .. code))
end

local client_id = vim.lsp.start_client({
  name = 'stateless',
  cmd = { 'node', server, '--stdio' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'fixture' } },
})
if not client_id then
  emit('error: the server did not start')
  return finish(1)
end

vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/src/sessions.ts'))
local bufnr = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(bufnr, client_id)

if not vim.wait(60000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20) then
  emit('error: no diagnostics')
  return finish(1)
end
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  emit(string.format('diagnostic %d:%d-%d:%d severity=%d source=%s code=%s %s', d.lnum, d.col, d.end_lnum, d.end_col, d.severity, d.source, d.code, d.message))
end

local d = vim.diagnostic.get(bufnr)[1]
local lsp = (d.user_data and d.user_data.lsp) or {}
local diagnostic = {
  range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
  severity = d.severity,
  message = d.message,
  source = d.source,
  code = d.code,
  data = lsp.data,
}
local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, range = diagnostic.range, context = { diagnostics = { diagnostic } } }
local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 60000) or {}
local chosen
for _, response in pairs(responses) do
  for _, action in ipairs(response.result or {}) do
    emit('action ' .. action.title)
    if not chosen and action.edit then chosen = action end
  end
end
if not chosen then
  emit('error: no code action with an edit')
  return finish(1)
end
vim.lsp.util.apply_workspace_edit(chosen.edit, 'utf-16')
emit('applied ' .. chosen.title)

for _, name in ipairs({ 'src/sessions.ts', 'src/routes.ts' }) do
  local buffer = vim.fn.bufnr(root .. '/' .. name)
  emit('--- ' .. name)
  vim.fn.bufload(buffer)
  for _, line in ipairs(vim.api.nvim_buf_get_lines(buffer, 0, -1, false)) do emit(line) end
end
-- The adapters' text is core's template (tested there); here: their buffers were created and filled
-- (Neovim 0.7 writes a created file to disk only when saved).
for _, name in ipairs({ 'src/scaling/redis.ts', 'src/scaling/session-store.ts' }) do
  local buffer = vim.fn.bufnr(root .. '/' .. name)
  local filled = buffer ~= -1 and #table.concat(vim.api.nvim_buf_get_lines(buffer, 0, -1, false)) > 0
  emit('--- ' .. name .. (filled and ' created' or ' missing'))
end
vim.lsp.stop_client(client_id)
finish(0)
