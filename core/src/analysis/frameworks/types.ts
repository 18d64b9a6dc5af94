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
