/**
 * The VS Code client lands with issue 4 (it starts the Stateless language server over IPC).
 * `activate`/`deactivate` are here now so the package layout is final.
 */
export function activate(): void {
  // Nothing to start until the language server exists.
}

export function deactivate(): void {
  // Nothing to stop.
}
