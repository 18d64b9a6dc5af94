/** The Stateless language server as a library: start it on a connection, and its protocol's types. */
export { startServer } from './server';
export * from './protocol';
export const LANGUAGE_SERVER_NAME = 'stateless-language-server';
