import ts = require('typescript');
import { isShadowed, localVariableOf } from './scope';
import { skipOuterExpressions, within } from './text';

/**
 * `if (!fs.existsSync(dir)) fs.mkdirSync(dir)`: the entry is made by the first request that finds it
 * missing, once per process; every later request pays one stat, as `existsSync` alone does.
 */
export function isMadeWhenMissing(call: ts.CallExpression, entry: ts.Expression | undefined = call.arguments[0]): boolean {
  if (!entry) return false;
  const target = compact(entry);
  for (let node: ts.Node | undefined = call.parent; node && !ts.isFunctionLike(node); node = node.parent) {
    if (!ts.isIfStatement(node) || !within(call, node.thenStatement)) continue;
    const condition = skipOuterExpressions(node.expression);
    if (!ts.isPrefixUnaryExpression(condition) || condition.operator !== ts.SyntaxKind.ExclamationToken) continue;
    const test = skipOuterExpressions(condition.operand);
    if (!ts.isCallExpression(test) || test.arguments.length !== 1) continue;
    const callee = skipOuterExpressions(test.expression);
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
    if (name === 'existsSync' && compact(test.arguments[0]) === target) return true;
  }
  return false;
}

/**
 * `if (!fs.existsSync(RECORD_FILE)) fs.writeFileSync(RECORD_FILE, JSON.stringify({ files: [] }))`: a file
 * of the service's own, at a place fixed by its code, seeded with content fixed by its code when this
 * process finds it missing. It holds nothing a user sent (what the service later writes into it is the
 * hazard), and it is written once per process, as a folder made when missing is. A path built from the
 * request (a new page of a flat-file wiki), or content the code draws or receives, stays a write.
 */
export function isSeededWhenMissing(call: ts.CallExpression): boolean {
  if (COPY_CALLS.has(calleeName(call) ?? '')) return isShippedDefaultRestored(call);
  const [path, content] = call.arguments;
  return path !== undefined && content !== undefined && isMadeWhenMissing(call) && isFixedLocation(path) && isFixedContent(content, 0);
}

/** Node's and fs-extra's sync copies of one file: `copyFileSync(from, to)`, `copySync(from, to)`. */
const COPY_CALLS = new Set(['copyFileSync', 'copySync']);

/**
 * `if (!existsSync(target)) copyFileSync(join(process.cwd(), 'skeleton', name), join(CONF_DIR, name))`: a
 * default the service ships, copied into its place when this process finds it missing. The copy
 * holds the shipped file's content, not anything a user sent, and it is made once per process, as a
 * file seeded with fixed content is. Both places are fixed by the code, or vary by one and the same
 * name at their end, so only a file the service ships can be copied. A template copied to a place
 * the request names (a new page made from `page.md`) stays a write.
 */
function isShippedDefaultRestored(call: ts.CallExpression): boolean {
  const [source, target] = call.arguments;
  if (!source || !target || !isMadeWhenMissing(call, target)) return false;
  const from = pathParts(source, 0);
  const to = pathParts(target, 0);
  if (!from || !to) return false;
  const fromVarying = from.filter((part) => !isFixedLocation(part));
  const toVarying = to.filter((part) => !isFixedLocation(part));
  if (fromVarying.length === 0 && toVarying.length === 0) return true;
  if (fromVarying.length !== 1 || toVarying.length !== 1) return false;
  const [name] = fromVarying;
  return name === from[from.length - 1] && toVarying[0] === to[to.length - 1] && ts.isIdentifier(name) && ts.isIdentifier(toVarying[0]) && name.text === toVarying[0].text;
}

/** The segments of a path the code builds (`path.join(a, b)`, an imported `join`/`resolve`, through a local `const`), or the expression itself. */
function pathParts(expression: ts.Expression, depth: number): ts.Expression[] | undefined {
  const node = skipOuterExpressions(expression);
  if (depth > 3) return undefined;
  if (ts.isIdentifier(node)) {
    const local = localVariableOf(node);
    if (local) return isConst(local) && local.initializer !== undefined ? pathParts(local.initializer, depth + 1) : [node];
    return [node];
  }
  if (ts.isCallExpression(node) && isPathJoin(node)) return node.arguments.flatMap((argument) => pathParts(argument, depth + 1) ?? [argument]);
  return [node];
}

/** `path.join(…)`, `path.resolve(…)`, or `join(…)` / `resolve(…)` imported from `path`. */
function isPathJoin(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee)) return ts.isIdentifier(callee.expression) && callee.expression.text === 'path' && PATH_JOINS.has(callee.name.text);
  return ts.isIdentifier(callee) && PATH_JOINS.has(callee.text) && isImportedFromPath(callee);
}

const PATH_JOINS = new Set(['join', 'resolve']);

function isImportedFromPath(name: ts.Identifier): boolean {
  return name.getSourceFile().statements.some((statement) => {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || !/^(?:node:)?path$/.test(statement.moduleSpecifier.text)) return false;
    const bindings = statement.importClause?.namedBindings;
    return bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.some((element) => element.name.text === name.text);
  });
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
}

/** A place named by the code, not by a request: a literal, a module or class constant, `this.field`, `path.join` of those. */
function isFixedLocation(expression: ts.Expression): boolean {
  const node = skipOuterExpressions(expression);
  if (ts.isStringLiteralLike(node)) return true;
  if (node.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (ts.isIdentifier(node)) {
    const local = localVariableOf(node);
    // A local is fixed only through its own `const` initializer; a module's or a class's name is, a parameter's is not.
    if (local) return isConst(local) && local.initializer !== undefined && isFixedLocation(local.initializer);
    return !isShadowed(node, node.text);
  }
  if (ts.isPropertyAccessExpression(node)) return isFixedLocation(node.expression);
  if (ts.isTemplateExpression(node)) return node.templateSpans.every((span) => isFixedLocation(span.expression));
  if (ts.isCallExpression(node)) {
    const callee = skipOuterExpressions(node.expression);
    // path.join(DATA_DIR, 'uploads', 'files.json'), process.cwd()
    const joins = isPathJoin(node) || (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && ['path', 'process'].includes(callee.expression.text));
    return joins && node.arguments.every(isFixedLocation);
  }
  return false;
}

/** Content written by the code itself: literals, and arrays, objects and `JSON.stringify` of them. */
function isFixedContent(expression: ts.Expression, depth: number): boolean {
  if (depth > 4) return false;
  const node = skipOuterExpressions(expression);
  if (ts.isStringLiteralLike(node) || ts.isNumericLiteral(node)) return true;
  if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword || node.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isArrayLiteralExpression(node)) return node.elements.every((element) => !ts.isSpreadElement(element) && isFixedContent(element, depth + 1));
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.every((property) => ts.isPropertyAssignment(property) && !ts.isComputedPropertyName(property.name) && isFixedContent(property.initializer, depth + 1));
  }
  if (ts.isIdentifier(node)) {
    const local = localVariableOf(node);
    return local !== undefined && isConst(local) && local.initializer !== undefined && isFixedContent(local.initializer, depth + 1);
  }
  if (ts.isCallExpression(node)) {
    const callee = skipOuterExpressions(node.expression);
    const isStringify = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'JSON' && callee.name.text === 'stringify';
    return isStringify && node.arguments.length > 0 && node.arguments.every((argument) => isFixedContent(argument, depth + 1));
  }
  return false;
}

function isConst(declaration: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
}

function compact(node: ts.Node): string {
  return node.getText().replace(/\s+/g, '');
}
