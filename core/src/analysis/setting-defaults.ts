import ts = require('typescript');
import { propertyNameText, skipOuterExpressions } from './text';
import { localInitializer } from './scope';

/** What a setting's value is followed through: the project's resolver (`config.REDIS_ENABLED` to `REDIS_ENABLED: …` in config.ts). */
export interface SettingLookup {
  declarationsOf(expression: ts.Expression): ts.Declaration[];
}

/**
 * Whether a branch test holds when the deployment sets nothing, as far as the code states it, or
 * undefined when it does not say. A setting read from the environment is unset by default, so
 * `process.env.REDIS_ENABLED !== 'false'` holds and `process.env.REDIS_URL` does not; a setting of the
 * service's configuration is followed to where it is made: a literal (`enabled: true`), an environment
 * test, a fallback (`process.env.X ?? 'true'`), a helper handed the setting's name and its default
 * (`defaultsBool('REDIS_ENABLED', true)`, the function's parameter named as the default), or a schema's
 * default (`z.boolean().default(true)`, `{ format: Boolean, default: true }`). The corpus labels a
 * branch by the default the code states (a store only a setting that is on by default turns off).
 */
export function defaultTruth(test: ts.Expression, lookup: SettingLookup | undefined): boolean | undefined {
  const value = defaultValue(test, lookup, 0);
  return value === UNKNOWN ? undefined : truthy(value);
}

const UNKNOWN = Symbol('unknown');
type Value = string | number | boolean | undefined | null | typeof UNKNOWN;

function truthy(value: Exclude<Value, typeof UNKNOWN>): boolean {
  return Boolean(value);
}

function defaultValue(expression: ts.Expression, lookup: SettingLookup | undefined, depth: number): Value {
  if (depth > 6) return UNKNOWN;
  const node = skipOuterExpressions(expression);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = defaultValue(node.operand, lookup, depth + 1);
    return inner === UNKNOWN ? UNKNOWN : !truthy(inner);
  }
  // `process.env.REDIS_URL`, `process.env['X']`: unset unless the deployment sets it.
  if (isEnvironmentRead(node)) return undefined;
  if (ts.isBinaryExpression(node)) {
    const kind = node.operatorToken.kind;
    const left = defaultValue(node.left, lookup, depth + 1);
    if (kind === ts.SyntaxKind.QuestionQuestionToken) return left === UNKNOWN ? UNKNOWN : left ?? defaultValue(node.right, lookup, depth + 1);
    if (kind === ts.SyntaxKind.BarBarToken) return left === UNKNOWN ? UNKNOWN : left || defaultValue(node.right, lookup, depth + 1);
    if (kind === ts.SyntaxKind.AmpersandAmpersandToken) return left === UNKNOWN ? UNKNOWN : left && defaultValue(node.right, lookup, depth + 1);
    const right = defaultValue(node.right, lookup, depth + 1);
    if (left === UNKNOWN || right === UNKNOWN) return UNKNOWN;
    if (kind === ts.SyntaxKind.EqualsEqualsEqualsToken) return left === right;
    if (kind === ts.SyntaxKind.ExclamationEqualsEqualsToken) return left !== right;
    if (kind === ts.SyntaxKind.EqualsEqualsToken) return left == right;
    if (kind === ts.SyntaxKind.ExclamationEqualsToken) return left != right;
    return UNKNOWN;
  }
  if (ts.isCallExpression(node)) return calledDefault(node, lookup, depth);
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
    if (ts.isIdentifier(node) && node.text === 'undefined') return undefined;
    const local = ts.isIdentifier(node) ? localInitializer(node) : undefined;
    if (local) return defaultValue(local, lookup, depth + 1);
    const found = new Set<Value>();
    for (const declaration of lookup?.declarationsOf(node) ?? []) found.add(declaredDefault(declaration, lookup, depth));
    if (found.size === 1 && !found.has(UNKNOWN)) return [...found][0];
    // Typed, `config.REDIS_ENABLED` of `const config: BackendConfig = { … }` names the interface's member: read the object the code builds.
    return ts.isPropertyAccessExpression(node) ? memberOfBuiltObject(node, lookup, depth) : UNKNOWN;
  }
  return UNKNOWN;
}

function memberOfBuiltObject(access: ts.PropertyAccessExpression, lookup: SettingLookup | undefined, depth: number): Value {
  const found = new Set<Value>();
  for (const declaration of lookup?.declarationsOf(access.expression) ?? []) {
    const value = ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
    if (!value || !ts.isObjectLiteralExpression(value)) return UNKNOWN;
    const property = value.properties.find((candidate): candidate is ts.PropertyAssignment => ts.isPropertyAssignment(candidate) && propertyNameText(candidate.name) === access.name.text);
    found.add(property ? declaredDefault(property, lookup, depth) : UNKNOWN);
  }
  return found.size === 1 ? [...found][0] : UNKNOWN;
}

function isEnvironmentRead(node: ts.Expression): boolean {
  const object = ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) ? skipOuterExpressions(node.expression) : undefined;
  return object !== undefined && /^(?:globalThis\.)?process\.env$|^import\.meta\.env$|^Bun\.env$/.test(object.getText());
}

/** The value a setting's declaration states for a deployment that sets nothing. */
function declaredDefault(declaration: ts.Declaration, lookup: SettingLookup | undefined, depth: number): Value {
  const value = ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration) ? declaration.initializer : undefined;
  if (!value) return UNKNOWN;
  const inner = skipOuterExpressions(value);
  // A schema entry: `{ doc, format: Boolean, default: true, env: 'REDIS_ENABLED' }` (convict and the like).
  if (ts.isObjectLiteralExpression(inner)) {
    const stated = inner.properties.find((property): property is ts.PropertyAssignment => ts.isPropertyAssignment(property) && propertyNameText(property.name) === 'default');
    return stated ? defaultValue(stated.initializer, lookup, depth + 1) : UNKNOWN;
  }
  return defaultValue(inner, lookup, depth + 1);
}

/**
 * `defaultsBool('REDIS_ENABLED', true)`, `envFlag('X', { default: true })` with a helper whose parameter is named
 * as the default, or whose name says so; `z.boolean().default(true)`, `Joi.boolean().default(true)`.
 */
function calledDefault(call: ts.CallExpression, lookup: SettingLookup | undefined, depth: number): Value {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'default' && call.arguments.length === 1) return defaultValue(call.arguments[0], lookup, depth + 1);
  const first = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  const named = first && ts.isStringLiteralLike(first) ? first.text : undefined;
  if (named === undefined || !/^[A-Z][A-Z0-9_]*$/.test(named) || call.arguments.length !== 2) return UNKNOWN;
  const calleeName = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  const parameterNames = (lookup?.declarationsOf(callee) ?? []).flatMap((declaration) => {
    const fn = ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : declaration;
    return ts.isFunctionLike(fn) && fn.parameters[1] && ts.isIdentifier(fn.parameters[1].name) ? [fn.parameters[1].name.text] : [];
  });
  if (!DEFAULT_NAME.test(calleeName) && !parameterNames.some((name) => DEFAULT_NAME.test(name))) return UNKNOWN;
  const second = skipOuterExpressions(call.arguments[1]);
  if (ts.isObjectLiteralExpression(second)) {
    const stated = second.properties.find((property): property is ts.PropertyAssignment => ts.isPropertyAssignment(property) && propertyNameText(property.name) === 'default');
    return stated ? defaultValue(stated.initializer, lookup, depth + 1) : UNKNOWN;
  }
  return defaultValue(second, lookup, depth + 1);
}

const DEFAULT_NAME = /default|fallback/i;
