import type * as ts from 'typescript';
import type { RequestPathSettings } from '../../types';
import type { FileFacts, FunctionNode } from '../file-facts';
import type { Resolver } from '../resolve';

/** A place where requests enter, before its handler expressions are resolved to functions. */
export interface EntryCandidate {
  /** `POST /login`, `middleware for all routes`, `socket.io event "join"`, … */
  label: string;
  framework: string;
  /** Where the handler is registered (a call, a decorator, an export). */
  registration: ts.Node;
  /** For `router.get('/p', …)`: the method, path and receiver, so a mount prefix (`app.use('/api', router)`) can be added later. */
  route?: { method: string; path: string; receiver: ts.Expression };
  /**
   * For a tRPC procedure: its kind, its path inside its file's routers (`user.create`), and the variable
   * holding the outermost router, so the key it is merged under elsewhere (`router({ post: postRouter })`)
   * can be added later (`tRPC mutation post.create`).
   */
  procedure?: { kind: string; path: string; router: ts.VariableDeclaration | undefined };
  /** For a NestJS controller's route: its method, path (the controller's and the method's) and `Class.method`, so the app's global prefix can be added later. */
  controllerRoute?: { method: string; path: string; where: string };
  /** Handler expressions to resolve, or functions already known. */
  handlers: readonly (ts.Expression | FunctionNode)[];
}

export interface DetectorContext {
  facts: FileFacts;
  resolver: Resolver;
  settings: RequestPathSettings;
  /** Path of the file relative to the project root, with forward slashes. */
  relativePath: string;
}

export type EntryDetector = (context: DetectorContext, found: EntryCandidate[]) => void;
