import ts = require('typescript');
import { getFileFacts, type FileFacts } from './file-facts';
import { resolveImportedMember } from './imports';
import { localInitializer } from './scope';
import { skipOuterExpressions } from './text';

/*
 * What an OpenID Connect or OAuth identity provider publishes, kept per issuer: the issuer found
 * from its discovery document (openid-client's `Issuer.discover(url)`, `discovery(…)` of its
 * version 6) and the clients made from it, a remote key set (jose's `createRemoteJWKSet`, a
 * jwks-rsa client) and the JWT middleware verifying against one (express-jwt's `expressjwt`). The
 * provider's metadata and keys are the provider's, the same on every instance, and the libraries
 * fetch and rotate them: no data of this service that another instance could change. A client of
 * another kind built from a settings row a route edits (simple-oauth2's `AuthorizationCode`) is not
 * this, and is read as before.
 */

/** The members of each library that fetch or wrap what an identity provider publishes. */
const PUBLISHED_BY_PROVIDER: Record<string, (path: readonly string[]) => boolean> = {
  'openid-client': (path) => (path.length === 2 && path[0] === 'Issuer' && path[1] === 'discover') || (path.length === 1 && path[0] === 'discovery'),
  jose: (path) => path.length === 1 && path[0] === 'createRemoteJWKSet',
  'jwks-rsa': (path) => path.length === 0 || (path.length === 1 && ['expressJwtSecret', 'koaJwtSecret', 'passportJwtSecret', 'hapiJwt2Key', 'JwksClient'].includes(path[0])),
};

/** A verification middleware made from a key set: express-jwt's `expressjwt` (or its older default export). */
const JWT_MIDDLEWARE: Record<string, (path: readonly string[]) => boolean> = {
  'express-jwt': (path) => path.length === 0 || (path.length === 1 && path[0] === 'expressjwt'),
};

/** Whether a stored value is what an identity provider publishes, or a client or middleware made from it (followed through locals). */
export function isIdentityProviderHandle(expression: ts.Expression, depth = 0): boolean {
  let value = skipOuterExpressions(expression);
  if (ts.isAwaitExpression(value)) value = skipOuterExpressions(value.expression);
  if (ts.isIdentifier(value)) {
    const initializer = depth < 3 ? localInitializer(value) : undefined;
    return initializer !== undefined && isIdentityProviderHandle(initializer, depth + 1);
  }
  if (!ts.isCallExpression(value) && !ts.isNewExpression(value)) return false;
  const facts = getFileFacts(value.getSourceFile());
  if (callsMember(value, facts, PUBLISHED_BY_PROVIDER)) return true;
  // `new issuer.Client({ … })` of an issuer that was discovered.
  const callee = skipOuterExpressions(value.expression);
  if (ts.isNewExpression(value) && ts.isPropertyAccessExpression(callee) && callee.name.text === 'Client') return depth < 3 && isIdentityProviderHandle(callee.expression, depth + 1);
  // `expressjwt({ secret: getKey, … })` where the function making it builds a jwks-rsa client.
  return callsMember(value, facts, JWT_MIDDLEWARE) && enclosingFunctionCalls(value, facts, PUBLISHED_BY_PROVIDER);
}

function callsMember(call: ts.CallExpression | ts.NewExpression, facts: FileFacts, members: Record<string, (path: readonly string[]) => boolean>): boolean {
  const member = resolveImportedMember(call.expression, facts.imports);
  return member !== undefined && members[member.module]?.(member.path) === true;
}

function enclosingFunctionCalls(node: ts.Node, facts: FileFacts, members: Record<string, (path: readonly string[]) => boolean>): boolean {
  const fn = ts.findAncestor(node.parent, ts.isFunctionLike);
  if (!fn) return false;
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if ((ts.isCallExpression(current) || ts.isNewExpression(current)) && callsMember(current, facts, members)) found = true;
    else ts.forEachChild(current, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}
