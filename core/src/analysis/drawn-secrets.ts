import ts = require('typescript');
import type { FileFacts } from './file-facts';
import { resolveImportedMember } from './imports';
import { isCallArgument, propertyNameText, skipOuterExpressions, stringValue, within } from './text';

/**
 * Keys drawn at random as a process starts and then used to sign or encrypt what clients carry
 * (a session cookie, a JWT, a captcha tag): every instance draws its own, so what one instance
 * signed the others reject, and users are logged out whenever the load balancer switches them.
 */
export interface DrawnSecret {
  /** Where to report: the module constant's name, or the draw written in place. */
  node: ts.Node;
  /** The constant's name, or the draw's text. */
  name: string;
  /** What the key does, for the message: `signs the session cookie (express-session)`. */
  use: string;
  /** The call that uses it (the first one found). */
  at: ts.CallExpression | ts.NewExpression;
  /** The draw itself. */
  drawn: ts.Expression;
}

/** Calls that draw a value at random. */
const RANDOM_DRAW = /^(?:(?:[cC]rypto\.)?(?:random(?:UUID|Bytes)|pseudoRandomBytes)|uuid(?:\.v[14]|v[14])?|v[14]|nanoid|cuid2?|createId|Math\.random)$/;

/** A module required in place (`require('crypto').randomBytes`, `require('node:crypto')`) reads as its name. */
const REQUIRED_IN_PLACE = /^require\(\s*(['"`])(?:node:)?([\w-]+)\1\s*\)\s*\./;

/** Whether a call draws at random: `uuid()`, `crypto.randomBytes(32)`, `require('crypto').randomBytes(64)`. */
function isRandomDraw(call: ts.CallExpression): boolean {
  return RANDOM_DRAW.test(skipOuterExpressions(call.expression).getText().replace(REQUIRED_IN_PLACE, '$2.'));
}

/** `uuid()`, `crypto.randomBytes(32).toString('hex')`, `Buffer.from(randomBytes(8))`, `` `${nanoid()}` ``: the value comes from a random draw. */
export function drawsAtRandom(expression: ts.Expression): boolean {
  let value = skipOuterExpressions(expression);
  for (;;) {
    if (ts.isTemplateExpression(value) && value.templateSpans.length === 1 && value.head.text === '' && value.templateSpans[0].literal.text === '') value = skipOuterExpressions(value.templateSpans[0].expression);
    // `randomBytes(32).toString('hex')`: the draw, turned into text.
    else if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && /^(?:toString|substring|slice|substr|replace)$/.test(value.expression.name.text)) value = skipOuterExpressions(value.expression.expression);
    // `Buffer.from(randomBytes(8))`, `String(uuid())`: the draw, copied.
    else if (ts.isCallExpression(value) && value.arguments.length >= 1 && /^(?:Buffer\.from|String)$/.test(skipOuterExpressions(value.expression).getText())) value = skipOuterExpressions(value.arguments[0]);
    else break;
  }
  return ts.isCallExpression(value) && isRandomDraw(value);
}

/** Where each library takes its key: an argument position, or an option of the options object it is given first. */
const KEY_USES: readonly { module: string; path: string; argument?: number[]; options?: string[]; use: string }[] = [
  { module: 'express-session', path: '', options: ['secret'], use: 'signs the session cookie (express-session)' },
  { module: 'cookie-session', path: '', options: ['secret', 'keys'], use: 'signs the session cookie (cookie-session)' },
  { module: 'cookie-parser', path: '', argument: [0], use: 'signs cookies (cookie-parser)' },
  { module: 'jsonwebtoken', path: 'sign', argument: [1], use: 'signs tokens (`jwt.sign`)' },
  { module: 'jsonwebtoken', path: 'verify', argument: [1], use: 'verifies tokens (`jwt.verify`)' },
  { module: 'crypto', path: 'createCipheriv', argument: [1, 2], use: 'encrypts what clients hand back (`createCipheriv`)' },
  { module: 'crypto', path: 'createDecipheriv', argument: [1, 2], use: 'decrypts what clients hand back (`createDecipheriv`)' },
  { module: 'crypto', path: 'createHmac', argument: [1], use: 'signs with an HMAC (`createHmac`)' },
];

/**
 * The draw behind a key: the value itself when it is drawn at random (`uuid()`), or the initializer
 * of the module constant it names when that is (`const secret = randomBytes(32).toString('hex')`).
 */
export function drawnValue(value: ts.Expression, facts: FileFacts): ts.Expression | undefined {
  const expression = skipOuterExpressions(value);
  if (drawsAtRandom(expression)) return expression;
  if (!ts.isIdentifier(expression)) return undefined;
  const declaration = facts.topLevel.get(expression.text);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer || !(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) return undefined;
  return drawsAtRandom(declaration.initializer) ? declaration.initializer : undefined;
}

/**
 * The keys of a file drawn at random and used where a library signs or encrypts with them: a module
 * constant (`const iv = randomBytes(8)` handed to `createCipheriv`) or a draw written in the call
 * (`session({ secret: uuid() })`). A key read from the environment with a drawn fallback
 * (`process.env.SESSION_SECRET || uuid()`) is no draw here: under a key's name it is
 * `findNamedDrawnKeys`'s.
 */
export function findDrawnSecrets(facts: FileFacts): DrawnSecret[] {
  const found = new Map<ts.Node, DrawnSecret>();
  const consider = (argument: ts.Expression | undefined, use: string, at: ts.CallExpression | ts.NewExpression): void => {
    if (!argument) return;
    const value = skipOuterExpressions(argument);
    if (ts.isArrayLiteralExpression(value)) {
      for (const element of value.elements) consider(element, use, at);
      return;
    }
    const drawn = drawnValue(value, facts);
    if (!drawn) return;
    // Reported where it is drawn: in the call, or at the module constant's name.
    const node = drawn === value ? value : (drawn.parent as ts.VariableDeclaration).name;
    if (!found.has(node)) found.set(node, { node, name: value.getText(), use, at, drawn });
  };
  for (const { node } of facts.calls) {
    if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) continue;
    const member = resolveImportedMember(node.expression, facts.imports);
    if (!member) continue;
    const path = member.path.join('.');
    for (const key of KEY_USES) {
      if (key.module !== member.module || key.path !== path) continue;
      for (const index of key.argument ?? []) consider(node.arguments?.[index], key.use, node);
      const options = key.options && node.arguments?.[0] && skipOuterExpressions(node.arguments[0]);
      if (!options || !ts.isObjectLiteralExpression(options)) continue;
      for (const property of options.properties) {
        if (!key.options?.includes(property.name?.getText() ?? '')) continue;
        if (ts.isPropertyAssignment(property)) consider(property.initializer, key.use, node);
        else if (ts.isShorthandPropertyAssignment(property)) consider(property.name, key.use, node);
      }
    }
  }
  for (const keys of koaKeys(facts)) consider(keys.value, KOA_KEYS_USE, keys.app);
  return [...found.values()];
}

const KOA_KEYS_USE = "signs the app's cookies and its session (Koa `app.keys`)";

/**
 * The keys a Koa app signs its cookies with (koa-session's signed cookie among them): `new Koa({ keys })`,
 * and `app.keys = […]` on an app the same function or module made with `new Koa()`.
 */
function koaKeys(facts: FileFacts): { value: ts.Expression; app: ts.NewExpression }[] {
  const found: { value: ts.Expression; app: ts.NewExpression }[] = [];
  for (const { node } of facts.calls) {
    if (!ts.isNewExpression(node)) continue;
    const member = resolveImportedMember(node.expression, facts.imports);
    if (member?.module !== 'koa' || member.path.length > 0) continue;
    const options = node.arguments?.[0] && skipOuterExpressions(node.arguments[0]);
    if (options && ts.isObjectLiteralExpression(options)) {
      for (const property of options.properties) {
        if (propertyNameText(property.name) !== 'keys') continue;
        if (ts.isPropertyAssignment(property)) found.push({ value: property.initializer, app: node });
        else if (ts.isShorthandPropertyAssignment(property)) found.push({ value: property.name, app: node });
      }
    }
    const declaration = skipOuterParents(node).parent;
    if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) continue;
    const app = declaration.name.text;
    // The scope the app's name lives in: its function's body, or the module.
    let scope: ts.Node = declaration;
    while (!ts.isSourceFile(scope) && !ts.isFunctionLike(scope)) scope = scope.parent;
    const visit = (child: ts.Node): void => {
      if (ts.isBinaryExpression(child) && child.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const target = skipOuterExpressions(child.left);
        if (ts.isPropertyAccessExpression(target) && target.name.text === 'keys' && ts.isIdentifier(target.expression) && target.expression.text === app) found.push({ value: child.right, app: node });
      }
      ts.forEachChild(child, visit);
    };
    visit(scope);
  }
  return found;
}

/** `new Koa()` with the parentheses, `as` and `!` around it skipped, up to what holds it. */
function skipOuterParents(node: ts.Expression): ts.Expression {
  let current = node;
  while (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isNonNullExpression(current.parent)) current = current.parent;
  return current;
}

/** What a signing or encryption key is called: `jwtSecret`, `SERVER_SECRET`, `secretCookie`, `jwt_secret`, `sessionKey`, `privateKey`. */
const KEY_NAME = /secret|(?:jwt|signing|private|cookie|session|token|hmac|encryption|cipher)_?key/i;

/** A key drawn at random under a key's name, outside any library call that uses it. */
export interface NamedDrawnKey {
  /** The draw (reported here). */
  drawn: ts.Expression;
  /** The name it is kept under. */
  name: string;
  /** Drawn only when none is configured or stored (`process.env.JWT_SECRET || uuid()`, `if (!config.secret) …`). */
  fallback: boolean;
}

/**
 * Keys drawn at random and kept under a key's name: `SERVER_SECRET = uuid()`, `const jwtSecret =
 * process.env.JWT_SECRET ? process.env.JWT_SECRET : uuid()`, `self.secret = randomBytes(32).toString('hex')`,
 * `{ secretKey: randomBytes(32).toString('hex') }` written to a secrets file, `const s = randomBytes(20);
 * config.secretCookie = s`. Where a process draws it as it starts (the caller checks), every instance
 * has its own, also when each saves it to its own settings file for the next start. Options of a
 * library call (`session({ secret: uuid() })`) are `findDrawnSecrets`'s and the session stores'.
 */
export function findNamedDrawnKeys(facts: FileFacts): NamedDrawnKey[] {
  const found: NamedDrawnKey[] = [];
  for (const { node } of facts.calls) {
    if (!ts.isCallExpression(node) || !isRandomDraw(node)) continue;
    const drawn = outermostDraw(node);
    let value: ts.Expression = drawn;
    let fallback = false;
    // `process.env.JWT_SECRET || uuid()`, `configured ? configured : uuid()`: the draw is what is kept when nothing is configured.
    for (;;) {
      const parent = value.parent;
      if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent)) value = parent;
      else if (ts.isBinaryExpression(parent) && parent.right === value && isFallbackOperator(parent.operatorToken.kind)) {
        value = parent;
        fallback = true;
      } else if (ts.isConditionalExpression(parent) && parent.condition !== value) {
        value = parent;
        fallback = true;
      } else break;
    }
    const name = keptUnder(value);
    if (!name || !KEY_NAME.test(name)) continue;
    found.push({ drawn, name, fallback: fallback || isConditional(drawn) });
  }
  return found;
}

function isFallbackOperator(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken;
}

/** The draw with what turns it into a key around it: `randomBytes(32).toString('hex')`, `Buffer.from(randomBytes(8))`. */
function outermostDraw(call: ts.CallExpression): ts.Expression {
  let value: ts.Expression = call;
  for (;;) {
    const parent = value.parent;
    if (ts.isParenthesizedExpression(parent)) value = parent;
    else if (ts.isPropertyAccessExpression(parent) && parent.expression === value && ts.isCallExpression(parent.parent) && parent.parent.expression === parent && drawsAtRandom(parent.parent)) value = parent.parent;
    else if (ts.isCallExpression(parent) && parent.arguments[0] === value && drawsAtRandom(parent)) value = parent;
    else if (ts.isTemplateSpan(parent) && ts.isTemplateExpression(parent.parent) && drawsAtRandom(parent.parent)) value = parent.parent;
    else return value;
  }
}

/** The name a value is kept under: a variable, a property or an element assigned, an object's property, a string key it is set under (`db.set('jwt_secret', …)`); through one local constant. */
function keptUnder(value: ts.Expression): string | undefined {
  const parent = value.parent;
  if (ts.isVariableDeclaration(parent) && parent.initializer === value && ts.isIdentifier(parent.name)) {
    if (KEY_NAME.test(parent.name.text)) return parent.name.text;
    // `const randomString = randomBytes(20).toString('hex'); config.secretCookie = randomString;`
    const scope = parent.parent.parent?.parent;
    if (!scope || !(ts.getCombinedNodeFlags(parent) & ts.NodeFlags.Const)) return undefined;
    const local = parent.name.text;
    let kept: string | undefined;
    const visit = (node: ts.Node): void => {
      if (kept) return;
      if (ts.isIdentifier(node) && node.text === local && node !== parent.name && ts.isExpression(node)) {
        const name = keptUnder(node);
        if (name && KEY_NAME.test(name)) kept = name;
      }
      ts.forEachChild(node, visit);
    };
    visit(scope);
    return kept;
  }
  if (ts.isBinaryExpression(parent) && parent.right === value && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const target = skipOuterExpressions(parent.left);
    if (ts.isIdentifier(target)) return target.text;
    if (ts.isPropertyAccessExpression(target)) return target.name.text;
    if (ts.isElementAccessExpression(target)) return stringValue(target.argumentExpression);
    return undefined;
  }
  // An object literal handed to a call is that library's options: known keys are read where the library is known.
  if (ts.isPropertyAssignment(parent) && parent.initializer === value && !isCallArgument(parent.parent)) return propertyNameText(parent.name);
  if (ts.isCallExpression(parent) && parent.arguments.length === 2 && parent.arguments[1] === value && ts.isPropertyAccessExpression(parent.expression) && /^set/i.test(parent.expression.name.text)) return stringValue(parent.arguments[0]);
  return undefined;
}

/** Whether the draw is taken only on a branch (`if (!config.secret) { … }`, an `else`, a `catch`) of its function or module. */
function isConditional(node: ts.Node): boolean {
  for (let current = node.parent; current && !ts.isSourceFile(current) && !ts.isFunctionLike(current); current = current.parent) {
    if (ts.isIfStatement(current) && !within(node, current.expression)) return true;
    if (ts.isCatchClause(current)) return true;
  }
  return false;
}
