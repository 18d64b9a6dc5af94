import ts = require('typescript');
import { isShadowed, localVariableOf } from './scope';
import { skipOuterExpressions, within } from './text';

/**
 * `if (!fs.existsSync(dir)) fs.mkdirSync(dir)`: the entry is made by the first request that finds it
 * missing, once per process; every later request pays one stat, as `existsSync` alone does.
 */
export function isMadeWhenMissing(call: ts.CallExpression): boolean {
  const entry = call.arguments[0];
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
  const [path, content] = call.arguments;
  return path !== undefined && content !== undefined && isMadeWhenMissing(call) && isFixedLocation(path) && isFixedContent(content, 0);
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
    return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && ['path', 'process'].includes(callee.expression.text) && node.arguments.every(isFixedLocation);
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
