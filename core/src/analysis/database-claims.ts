import ts = require('typescript');
import type { CallLike } from './file-facts';
import { enclosingFunction } from './request-graph';
import { localInitializer } from './scope';
import { skipOuterExpressions, sqlText, stringValue } from './text';

/**
 * `const [claimed] = await db.insert(sent).values({ invoiceId }).onConflictDoNothing().returning();
 * if (!claimed) continue;`: an insert that does nothing when the row is already there and hands back
 * what it inserted, tested before the work. The unique key lets one instance win each claim; the
 * others get nothing back and skip, so what follows the claim happens once, however many instances
 * run the job. Drizzle (`onConflictDoNothing`), Knex (`onConflict(…).ignore()`) and Kysely
 * (`onConflict((oc) => oc.doNothing())`) with `returning`, and SQL `INSERT … ON CONFLICT … DO
 * NOTHING` handed to a client's `query`.
 *
 * The same claims written as SQL for a client's `query`, awaited or with a callback
 * (`connection.query(sql, values, (err, result) => { if (!result.insertId) return next(); … })`):
 * MySQL's `INSERT IGNORE`, a plain `INSERT` whose duplicate-key error the callback recognises
 * (`ER_DUP_ENTRY`, Postgres `23505`), and a compare-and-set `UPDATE jobs SET status = 2 WHERE id = ?
 * AND status = 1` (a column the statement sets is also one its condition tests), whose affected rows
 * are tested: the instance whose statement changed the row goes on, the others skip.
 *
 * Returns the claim's outermost call when `call` is a link of such a claim, else `undefined`.
 */
export function databaseClaimOf(call: CallLike): ts.CallExpression | undefined {
  if (!ts.isCallExpression(call)) return undefined;
  const outer = outermostChainCall(call);
  if (!isClaimingStatement(outer)) return undefined;
  // A plain insert claims only through its unique key, which a recognised duplicate-key error shows.
  if (sqlClaimOf(outer) === 'plain insert') return testingCallback(outer) ? outer : undefined;
  return isResultTested(outer) ? outer : undefined;
}

/**
 * Where, in the function that makes a claim, the guarded part begins: the claim and every call after
 * it in that function (its own nested callbacks included) run only on the instance that won it.
 */
export function guardedByClaim(call: CallLike, claim: ts.CallExpression): boolean {
  // With a callback, only what the callback runs waits for the claim; what follows the call runs anyway.
  const callback = testingCallback(claim);
  if (callback) return call === claim || (call.getStart() >= callback.getStart() && call.getEnd() <= callback.getEnd());
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

/** SQL claims: an insert that skips an existing row, and a compare-and-set update. */
const IGNORING_INSERT = /^\s*insert\s+ignore\b|^\s*insert\b[\s\S]*\bon\s+conflict\b[\s\S]*\bdo\s+nothing\b/i;
const PLAIN_INSERT = /^\s*insert\s+into\b/i;
const UPDATE_STATEMENT = /^\s*update\s+[\s\S]+?\s+set\s+([\s\S]+?)\s+where\s+([\s\S]+)$/i;
/** The error codes a driver gives a second insert of a unique key: MySQL, Postgres, SQLite. */
const DUPLICATE_KEY = /['"](?:ER_DUP_ENTRY|23505|SQLITE_CONSTRAINT(?:_UNIQUE)?)['"]/;

type SqlClaim = 'ignoring insert' | 'plain insert' | 'compare and set';

function isClaimingStatement(outer: ts.CallExpression): boolean {
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
  return sqlClaimOf(outer) !== undefined;
}

/** `pool.query('INSERT … ON CONFLICT (…) DO NOTHING', …)`, `connection.query('INSERT IGNORE …', …)`, a compare-and-set UPDATE. */
function sqlClaimOf(call: ts.CallExpression): SqlClaim | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !/^(?:query|execute|run)$/.test(callee.name.text)) return undefined;
  const sql = statementText(call.arguments[0]);
  if (sql === undefined) return undefined;
  if (IGNORING_INSERT.test(sql)) return 'ignoring insert';
  if (PLAIN_INSERT.test(sql)) return 'plain insert';
  return isCompareAndSet(sql) ? 'compare and set' : undefined;
}

/** `UPDATE importer SET status = 2, processed = 0 WHERE id = ? AND status = 1`: the condition tests a column the statement sets. */
function isCompareAndSet(sql: string): boolean {
  const match = UPDATE_STATEMENT.exec(sql.replace(/\s+/g, ' '));
  if (!match) return false;
  const [, assignments, condition] = match;
  const columns = [...assignments.matchAll(/([\w`".]+)\s*=/g)].map((column) => column[1].replace(/[`"]/g, '').split('.').pop()!);
  return columns.some((column) => new RegExp(`(?:^|[\\s(.\`"])${column}[\`"]?\\s*(?:=|<>|!=|\\bis\\b|\\bin\\b)`, 'i').test(condition));
}

/**
 * The statement a query call runs, as far as its text is written: a literal, a template's or a `+` chain's
 * literal parts with a placeholder for each value spliced in, or what a local holds
 * (`let query = 'INSERT INTO \`trigger__' + trigger.id + '\` …'; connection.query(query, …)`).
 */
function statementText(argument: ts.Expression | undefined): string | undefined {
  if (!argument) return undefined;
  let value = skipOuterExpressions(argument);
  if (ts.isIdentifier(value)) {
    const initializer = localInitializer(value);
    if (!initializer) return undefined;
    value = skipOuterExpressions(initializer);
  }
  if (!ts.isBinaryExpression(value) || value.operatorToken.kind !== ts.SyntaxKind.PlusToken) return sqlText(value);
  const parts: string[] = [];
  const collect = (node: ts.Expression): void => {
    const part = skipOuterExpressions(node);
    if (ts.isBinaryExpression(part) && part.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      collect(part.left);
      collect(part.right);
    } else parts.push(stringValue(part) ?? '?');
  };
  collect(value);
  return parts[0] === '?' ? undefined : parts.join('');
}

/**
 * The claim's result is bound (`const [row] = await …`, `const { rowCount } = await …`) and a
 * condition of the same function reads it (`if (!row) return`, `if (rowCount === 0) continue`,
 * `claimed && send()`): the work is skipped when the claim was lost.
 */
function isResultTested(outer: ts.CallExpression): boolean {
  if (testingCallback(outer)) return true;
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

/**
 * `connection.query(sql, values, (err, result) => { if (!result.affectedRows) return next(); … })`: the
 * callback a claim written as SQL is given, when it tests the result (or, for a plain insert, recognises
 * the duplicate-key error) before going on.
 */
function testingCallback(claim: ts.CallExpression): ts.FunctionExpression | ts.ArrowFunction | undefined {
  const kind = sqlClaimOf(claim);
  if (kind === undefined) return undefined;
  const last = claim.arguments.length > 1 ? skipOuterExpressions(claim.arguments[claim.arguments.length - 1]) : undefined;
  if (!last || !(ts.isArrowFunction(last) || ts.isFunctionExpression(last))) return undefined;
  const [error, result] = last.parameters;
  if (kind === 'plain insert') return error && DUPLICATE_KEY.test(last.body.getText()) ? last : undefined;
  return result && testsParameter(last, result) ? last : undefined;
}

/** A condition of the function reads the parameter (`if (!result.insertId) return`, `if (!data) return`, `data && work()`). */
function testsParameter(fn: ts.SignatureDeclaration & { body?: ts.ConciseBody }, parameter: ts.ParameterDeclaration): boolean {
  if (!fn.body) return false;
  const names = new Set<string>();
  const collect = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
  };
  collect(parameter.name);
  const reads = (node: ts.Node): boolean => (ts.isIdentifier(node) && names.has(node.text)) || (ts.forEachChild(node, reads) ?? false);
  let tested = false;
  const visit = (node: ts.Node): void => {
    if (tested) return;
    if (ts.isIfStatement(node) && reads(node.expression)) tested = true;
    else if (ts.isConditionalExpression(node) && reads(node.condition)) tested = true;
    else if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken) && reads(node.left)) tested = true;
    else ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return tested;
}

/**
 * `findUnprocessed((err, job) => { if (!job) return retry(); process(job); })` where `findUnprocessed`
 * hands its callback a row only after claiming it (`callback(null, job)` inside the claim's callback; its
 * other calls of the callback pass an error or nothing): the callback's work, behind its test of what it
 * was handed, runs only on the instance that won the claim. `claimsOf` lists a function's claims.
 */
export function handsClaimedResult(
  target: ts.SignatureDeclaration & { body?: ts.ConciseBody },
  parameterIndex: number,
  claimsOf: (fn: ts.SignatureDeclaration) => readonly ts.CallExpression[],
): boolean {
  const parameter = target.parameters[parameterIndex];
  if (!parameter || !ts.isIdentifier(parameter.name) || !target.body) return false;
  const name = parameter.name.text;
  const claims = claimsOf(target);
  if (claims.length === 0) return false;
  let handed = false;
  let unclaimedData = false;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name) {
      if (claims.some((claim) => guardedByClaim(node, claim))) handed = true;
      else if (!passesNoResult(node)) unclaimedData = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(target.body);
  return handed && !unclaimedData;
}

/** `callback(err)`, `callback(null, false)`, `callback()`: a call that hands no result. */
function passesNoResult(call: ts.CallExpression): boolean {
  const result = call.arguments[1];
  if (result === undefined) return true;
  const value = skipOuterExpressions(result);
  return value.kind === ts.SyntaxKind.FalseKeyword || value.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(value) && value.text === 'undefined');
}

/** The callback literal's test of what it was handed (its second parameter, after the error). */
export function testsHandedResult(callback: ts.ArrowFunction | ts.FunctionExpression): boolean {
  const result = callback.parameters[1];
  return result !== undefined && testsParameter(callback, result);
}
