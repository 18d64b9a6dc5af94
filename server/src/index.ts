/**
 * The Stateless language server lands with issue 4: LSP over stdio/IPC on top of `@stateless/core`.
 * This package exists now so the workspace layout, build and package names are final.
 */
export const LANGUAGE_SERVER_NAME = 'stateless-language-server';
