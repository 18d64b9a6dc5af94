import ts = require('typescript');
import type { Mutation } from './file-facts';
import { localDeclarations } from './scope';
import { isRemoval } from './process-work';
import { storedValue } from './state-use';
import { skipOuterExpressions } from './text';

/**
 * The server end of one client's session with a protocol library: the Model Context Protocol SDK's
 * `StreamableHTTPServerTransport`, `SSEServerTransport` and their web-standard kin.
 */
const SESSION_TRANSPORT = /\w*ServerTransport\b/;

/**
 * A map of the server transports of clients' sessions, kept under the session id the client sends
 * back on every later request (`transports[transport.sessionId] = transport`, `sessions.set(id, {
 * transport, userId })`): the session lives in this process, and a request of the session that the
 * balancer sends to another instance finds no transport there. It is a session whatever the map's
 * use looks like (looked up before it is filled, as a cache is) and although a transport is made
 * with a library's constructor, as a client of another system is.
 */
export function holdsSessionTransports(declaration: ts.Node, holds: string, mutations: readonly Mutation[]): boolean {
  if (holds === 'value') return false;
  // `const transports: Record<string, SSEServerTransport> = {}`, `new Map<string, StreamableHTTPServerTransport>()`.
  if ((ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) && SESSION_TRANSPORT.test(`${declaration.type?.getText() ?? ''} ${declaration.initializer?.getText() ?? ''}`)) {
    return mutations.some((mutation) => !isRemoval(mutation));
  }
  const fills = mutations.filter((mutation) => !isRemoval(mutation) && !mutation.isReassignment);
  return fills.length > 0 && fills.every((mutation) => {
    const value = storedValue(mutation);
    return value !== undefined && isSessionTransport(skipOuterExpressions(value));
  });
}

/** `new SSEServerTransport('/messages', res)`, a local or parameter holding one, or a record with one among its fields. */
function isSessionTransport(value: ts.Expression): boolean {
  if (ts.isNewExpression(value)) return SESSION_TRANSPORT.test(value.expression.getText());
  if (ts.isObjectLiteralExpression(value)) {
    return value.properties.some((property) => {
      if (ts.isShorthandPropertyAssignment(property)) return isSessionTransport(property.name);
      return ts.isPropertyAssignment(property) && isSessionTransport(skipOuterExpressions(property.initializer));
    });
  }
  if (!ts.isIdentifier(value)) return false;
  return localDeclarations(value).some((declaration) => {
    if (ts.isParameter(declaration) || ts.isVariableDeclaration(declaration)) {
      if (declaration.type && SESSION_TRANSPORT.test(declaration.type.getText())) return true;
      if (ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isNewExpression(skipOuterExpressions(declaration.initializer))) return SESSION_TRANSPORT.test((skipOuterExpressions(declaration.initializer) as ts.NewExpression).expression.getText());
      // `let transport; … transport = new StreamableHTTPServerTransport({ … })` in the block it is declared in.
      return ts.isVariableDeclaration(declaration) && assignsSessionTransport(declaration.parent.parent.parent, value.text);
    }
    return false;
  });
}

function assignsSessionTransport(scope: ts.Node, name: string): boolean {
  const visit = (node: ts.Node): boolean => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && node.left.text === name) {
      const right = skipOuterExpressions(node.right);
      if (ts.isNewExpression(right) && SESSION_TRANSPORT.test(right.expression.getText())) return true;
    }
    return ts.forEachChild(node, visit) ?? false;
  };
  return visit(scope);
}
