import ts = require('typescript');
import { skipOuterExpressions } from './text';

/** Environment names of a development machine or a test run, never of a deployment. */
const DEVELOPMENT_ENVIRONMENTS = new Set(['dev', 'development', 'local', 'test', 'testing', 'e2e']);
/** What holds the environment's name: `process.env.NODE_ENV`, `process.env.ENV`, `config.env`, `APP_ENV`. */
const ENVIRONMENT_NAME = /(?:^|\.)(?:NODE_ENV|ENV|APP_ENV|ENVIRONMENT|RUNTIME_ENV|DEPLOY_ENV|STAGE|env|environment)$/;
/** A flag that says the process runs in development or tests: `isDev`, `config.isDevelopment`, `IS_TEST`. */
const DEVELOPMENT_FLAG = /^(?:is|in)_?(?:dev|development|local|test|testing|e2e)(?:_?(?:mode|env|environment))?$/i;

/**
 * Whether a node (a limiter, a socket.io server) is made only where the environment is a development one: the first branch of
 * `process.env.ENV === 'local' ? rateLimit({ max: 0 }) : rateLimit({ … })` or of `if (isDev) { … }`,
 * the second of `NODE_ENV !== 'development' ? … : …`. A deployment runs the other branch, judged on its
 * own; a branch picked by a setting of the deployment (`STORAGE === 'local'`) is no such branch.
 */
export function isDevelopmentBranch(node: ts.Node): boolean {
  for (let child: ts.Node = node, parent = node.parent; parent && !ts.isSourceFile(parent) && !ts.isFunctionLike(parent); child = parent, parent = parent.parent) {
    const branches = ts.isConditionalExpression(parent) ? { test: parent.condition, first: parent.whenTrue, second: parent.whenFalse } : ts.isIfStatement(parent) ? { test: parent.expression, first: parent.thenStatement, second: parent.elseStatement } : undefined;
    if (!branches || (child !== branches.first && child !== branches.second)) continue;
    const holds = developmentTest(branches.test);
    if ((holds === true && child === branches.first) || (holds === false && child === branches.second)) return true;
  }
  return false;
}

/** True when the test holds in development only, false when it fails there only, undefined when it says nothing of the environment. */
function developmentTest(test: ts.Expression): boolean | undefined {
  const value = skipOuterExpressions(test);
  if (ts.isPrefixUnaryExpression(value) && value.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = developmentTest(value.operand);
    return inner === undefined ? undefined : !inner;
  }
  if (ts.isIdentifier(value)) return DEVELOPMENT_FLAG.test(value.text) || undefined;
  if (ts.isPropertyAccessExpression(value)) return DEVELOPMENT_FLAG.test(value.name.text) || undefined;
  if (!ts.isBinaryExpression(value)) return undefined;
  const operator = value.operatorToken.kind;
  // `isDev && …` holds in development only; `!isDev || …` fails there only.
  if (operator === ts.SyntaxKind.AmpersandAmpersandToken) return developmentTest(value.left) === true || developmentTest(value.right) === true ? true : undefined;
  if (operator === ts.SyntaxKind.BarBarToken) return developmentTest(value.left) === false || developmentTest(value.right) === false ? false : undefined;
  const equal = operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsToken;
  if (!equal && operator !== ts.SyntaxKind.ExclamationEqualsEqualsToken && operator !== ts.SyntaxKind.ExclamationEqualsToken) return undefined;
  const left = skipOuterExpressions(value.left);
  const right = skipOuterExpressions(value.right);
  const literal = ts.isStringLiteralLike(right) ? right : ts.isStringLiteralLike(left) ? left : undefined;
  const other = literal === right ? left : right;
  if (!literal || !DEVELOPMENT_ENVIRONMENTS.has(literal.text.toLowerCase()) || !ENVIRONMENT_NAME.test(other.getText().replace(/\s+/g, ''))) return undefined;
  return equal;
}
