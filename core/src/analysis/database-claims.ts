import ts = require('typescript');
import type { CallLike } from './file-facts';
import { enclosingFunction } from './request-graph';
import { skipOuterExpressions } from './text';

/**
 * `const [claimed] = await db.insert(sent).values({ invoiceId }).onConflictDoNothing().returning();
 * if (!claimed) continue;`: an insert that does nothing when the row is already there and hands back
 * what it inserted, tested before the work. The unique key lets one instance win each claim; the
 * others get nothing back and skip, so what follows the claim happens once, however many instances
 * run the job. Drizzle (`onConflictDoNothing`), Knex (`onConflict(…).ignore()`) and Kysely
 * (`onConflict((oc) => oc.doNothing())`) with `returning`, and SQL `INSERT … ON CONFLICT … DO
 * NOTHING RETURNING` handed to a client's `query`.
 *
 * Returns the claim's outermost call when `call` is a link of such a claim, else `undefined`.
 */
export function databaseClaimOf(call: CallLike): ts.CallExpression | undefined {
  if (!ts.isCallExpression(call)) return undefined;
  const outer = outermostChainCall(call);
  if (!isClaimingInsert(outer)) return undefined;
  return isResultTested(outer) ? outer : undefined;
}

/**
 * Where, in the function that makes a claim, the guarded part begins: the claim and every call after
 * it in that function (its own nested callbacks included) run only on the instance that won it.
 */
export function guardedByClaim(call: CallLike, claim: ts.CallExpression): boolean {
  const owner = enclosingFunction(claim);
  if (!owner || call.getStart() < claim.getStart()) return false;
  return call.getStart() >= owner.getStart() && call.getEnd() <= owner.getEnd();
}

/** `a.b(x).c(y).d()` from any of its calls: the call the chain ends with. */
function outermostChainCall(call: ts.CallExpression): ts.CallExpression {
  let current: ts.CallExpression = call;
  for (;;) {
    const access = current.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== current) return current;
    const next = access.parent;
    if (!ts.isCallExpression(next) || next.expression !== access) return current;
    current = next;
  }
}

/** The method names of a chain, outermost first (`returning`, `onConflictDoNothing`, `values`, `insert`). */
function chainMethods(outer: ts.CallExpression): { names: string[]; calls: ts.CallExpression[] } {
  const names: string[] = [];
  const calls: ts.CallExpression[] = [];
  let current: ts.Expression = outer;
  while (ts.isCallExpression(current)) {
    calls.push(current);
    const callee = skipOuterExpressions(current.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      names.push(callee.name.text);
      current = skipOuterExpressions(callee.expression);
    } else {
      if (ts.isIdentifier(callee)) names.push(callee.text);
      break;
    }
  }
  return { names, calls };
}

const CLAIM_SQL = /^\s*insert\b[\s\S]*\bon\s+conflict\b[\s\S]*\bdo\s+nothing\b[\s\S]*\breturning\b/i;

function isClaimingInsert(outer: ts.CallExpression): boolean {
  const { names, calls } = chainMethods(outer);
  const inserts = names.some((name) => name === 'insert' || name === 'insertInto');
  const returns = names.some((name) => name === 'returning' || name === 'returningAll');
  if (inserts && returns) {
    // Drizzle's onConflictDoNothing; Knex's onConflict(…).ignore(); Kysely's onConflict((oc) => oc.doNothing()).
    if (names.includes('onConflictDoNothing')) return true;
    const onConflict = calls.find((link) => {
      const callee = skipOuterExpressions(link.expression);
      return ts.isPropertyAccessExpression(callee) && callee.name.text === 'onConflict';
    });
    if (onConflict && (names.includes('ignore') || /\bdoNothing\s*\(/.test(onConflict.arguments.map((argument) => argument.getText()).join(' ')))) return true;
  }
  // pool.query('INSERT … ON CONFLICT (…) DO NOTHING RETURNING id', [...])
  const first = outer.arguments[0] && skipOuterExpressions(outer.arguments[0]);
  return first !== undefined && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) && CLAIM_SQL.test(first.text);
}

/**
 * The claim's result is bound (`const [row] = await …`, `const { rowCount } = await …`) and a
 * condition of the same function reads it (`if (!row) return`, `if (rowCount === 0) continue`,
 * `claimed && send()`): the work is skipped when the claim was lost.
 */
function isResultTested(outer: ts.CallExpression): boolean {
  let holder: ts.Node = outer;
  while (ts.isAwaitExpression(holder.parent) || ts.isParenthesizedExpression(holder.parent)) holder = holder.parent;
  const declaration = holder.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== holder) return false;
  const names = new Set<string>();
  const collect = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
  };
  collect(declaration.name);
  const owner = enclosingFunction(outer);
  if (!owner || names.size === 0) return false;
  let tested = false;
  const readsClaim = (node: ts.Node): boolean => {
    let found = false;
    const visit = (child: ts.Node): void => {
      if (found) return;
      if (ts.isIdentifier(child) && names.has(child.text)) found = true;
      else ts.forEachChild(child, visit);
    };
    visit(node);
    return found;
  };
  const visit = (node: ts.Node): void => {
    if (tested || node.getStart() < declaration.getEnd()) {
      if (!tested) ts.forEachChild(node, visit);
      return;
    }
    if ((ts.isIfStatement(node) || ts.isConditionalExpression(node)) && readsClaim(ts.isIfStatement(node) ? node.expression : node.condition)) tested = true;
    else if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken) && readsClaim(node.left)) tested = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(owner, visit);
  return tested;
}
