import ts = require('typescript');
import { getFileFacts, type FileFacts, type Mutation } from './file-facts';
import { resolveImportedMember } from './imports';
import { isRateLimiterCreation } from './rate-limiters';
import { localInitializer } from './scope';
import { returnedValues, skipOuterExpressions } from './text';

const { SyntaxKind } = ts;

/** The limiter package's in-process limiters: `new TokenBucket({…})`, `new RateLimiter({…})`. */
const LIMITER_PACKAGE_CLASSES = new Set(['RateLimiter', 'TokenBucket']);

/**
 * `this.bucket = new TokenBucket({…})`, `this.limiter = this.createLimiter(points)` with a method of the
 * class returning `new RateLimiterMemory({…})`, `= null` once let go: a single binding every write gives
 * a limiter a library builds holds that limiter. Where it counts is the limiter's own store, reported (or
 * not) at the call that builds it by the counter rule; the binding holds no one's data.
 */
export function holdsLimiterHandle(mutations: readonly Mutation[]): boolean {
  let limiters = 0;
  for (const mutation of mutations) {
    const node = mutation.node;
    if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== SyntaxKind.EqualsToken) return false;
    const value = skipOuterExpressions(node.right);
    if (isLimiterValue(value, getFileFacts(node.getSourceFile()), 0)) limiters++;
    else if (value.kind !== SyntaxKind.NullKeyword && !(ts.isIdentifier(value) && value.text === 'undefined')) return false;
  }
  return limiters > 0;
}

function isLimiterValue(expression: ts.Expression, facts: FileFacts, depth: number): boolean {
  const value = skipOuterExpressions(expression);
  // `return this.bucket = new TokenBucket({…})`: the assignment's value.
  if (ts.isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.EqualsToken) return isLimiterValue(value.right, facts, depth);
  if (ts.isIdentifier(value)) {
    const initializer = localInitializer(value);
    return initializer !== undefined && isLimiterValue(initializer, facts, depth);
  }
  if (isRateLimiterCreation(value, facts) || isLimiterPackageCreation(value, facts)) return true;
  const method = depth < 2 ? ownMethodCalled(value) : undefined;
  if (!method?.body) return false;
  const returned = returnedValues(method);
  return returned.length > 0 && returned.every((result) => isLimiterValue(result, facts, depth + 1));
}

function isLimiterPackageCreation(value: ts.Expression, facts: FileFacts): boolean {
  if (!ts.isNewExpression(value)) return false;
  const member = resolveImportedMember(value.expression, facts.imports);
  return member !== undefined && member.module === 'limiter' && member.path.length === 1 && LIMITER_PACKAGE_CLASSES.has(member.path[0]);
}

/** `this.createLimiter(points)`: the method of that name in the class around the call. */
function ownMethodCalled(value: ts.Expression): ts.MethodDeclaration | undefined {
  if (!ts.isCallExpression(value) || !ts.isPropertyAccessExpression(value.expression) || value.expression.expression.kind !== SyntaxKind.ThisKeyword) return undefined;
  const name = value.expression.name.text;
  const owner = ts.findAncestor(value, ts.isClassLike);
  return owner?.members.find((member): member is ts.MethodDeclaration => ts.isMethodDeclaration(member) && member.name.getText() === name);
}

/** The values a body's `return` statements give, not counting functions inside it. */
