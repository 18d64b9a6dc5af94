import ts = require('typescript');
import { getFileFacts } from './file-facts';
import type { EntryCandidate } from './frameworks/types';
import { routePath } from './frameworks/http-routers';
import { requiredPath } from './imports';
import type { Resolver } from './resolve';
import { skipOuterExpressions } from './text';

/**
 * Router mount prefixes: `app.use('/products', productsRouter)` makes `productsRouter.get('/:id')`
 * `GET /products/:id`. Nested mounts add up. Routers are matched by declaration (any file when typed,
 * or untyped with a project index: `export default router`, `module.exports = router`).
 */
export class MountPrefixes {
  private readonly prefixes = new Map<ts.Node, string[]>();
  /** The router a router is mounted on (`api` for `api.use('/v1', v1)`), for nested prefixes. */
  private readonly parents = new Map<ts.Node, ts.Node | undefined>();

  constructor(files: readonly ts.SourceFile[], private readonly resolver: Resolver) {
    for (const file of files) {
      for (const { node, callee, prefix } of mountCalls(file)) {
        for (const argument of node.arguments.slice(1)) {
          const router = this.routerDeclaration(argument);
          if (!router) continue;
          const list = this.prefixes.get(router) ?? [];
          list.push(prefix);
          this.prefixes.set(router, list);
          this.parents.set(router, this.routerDeclaration(callee.expression));
        }
      }
    }
  }

  /** The label with the router's mount prefix, e.g. `GET /products/:id`. Unchanged when the router is not mounted with a literal path. */
  labelOf(candidate: EntryCandidate): string {
    if (!candidate.route) return candidate.label;
    const prefix = this.fullPrefix(this.routerDeclaration(candidate.route.receiver), 0);
    if (prefix === undefined || prefix === '') return candidate.label;
    if (candidate.route.method === 'USE') return `middleware for ${joinPaths(prefix, candidate.route.path)}`;
    return `${candidate.route.method} ${joinPaths(prefix, candidate.route.path)}`;
  }

  private fullPrefix(router: ts.Node | undefined, depth: number): string | undefined {
    if (!router || depth > 8) return undefined;
    const own = this.prefixes.get(router);
    if (!own || own.length !== 1) return undefined;
    const outer = this.fullPrefix(this.parents.get(router), depth + 1);
    return joinPaths(outer ?? '', own[0]);
  }

  private routerDeclaration(expression: ts.Expression): ts.Node | undefined {
    const value = skipOuterExpressions(expression);
    // app.use('/users', require('./routes/users')): the router the module exports.
    const isRequire = ts.isCallExpression(value) && requiredPath(value) !== undefined;
    if (!ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value) && !isRequire) return undefined;
    try {
      const declaration = this.resolver.declarationsOf(value).find(ts.isVariableDeclaration);
      return declaration;
    } catch {
      return undefined;
    }
  }
}

interface MountCall {
  node: ts.CallExpression;
  callee: ts.PropertyAccessExpression;
  prefix: string;
}

const mountCallsOf = new WeakMap<ts.SourceFile, MountCall[]>();

/** Whether a file mounts anything on a literal path (the files `MountPrefixes` needs). */
export function hasMountCalls(file: ts.SourceFile): boolean {
  return mountCalls(file).length > 0;
}

/** A file's `x.use('/literal', …)` calls (syntax only: kept as long as the file is). */
function mountCalls(file: ts.SourceFile): MountCall[] {
  let calls = mountCallsOf.get(file);
  if (calls) return calls;
  calls = [];
  for (const { node } of getFileFacts(file).calls) {
    if (!ts.isCallExpression(node) || node.arguments.length < 2) continue;
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'use') continue;
    const prefix = routePath(node.arguments[0]);
    if (prefix !== undefined) calls.push({ node, callee, prefix });
  }
  mountCallsOf.set(file, calls);
  return calls;
}

function joinPaths(prefix: string, path: string): string {
  const joined = `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  return joined.length > 1 ? joined.replace(/\/+$/, '') : joined;
}
