import ts = require('typescript');
import type { FileFacts } from './file-facts';
import { resolveImportedMember } from './imports';
import { skipOuterExpressions } from './text';

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
}

/** Calls that draw a value at random. */
const RANDOM_DRAW = /^(?:(?:crypto\.)?random(?:UUID|Bytes)|uuid(?:\.v4|v4)?|v4|nanoid|cuid2?|createId|Math\.random)$/;

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
  return ts.isCallExpression(value) && RANDOM_DRAW.test(skipOuterExpressions(value.expression).getText());
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
 * (`process.env.SESSION_SECRET || uuid()`) is the deployment's to set, and is not reported.
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
    if (!found.has(node)) found.set(node, { node, name: value.getText(), use, at });
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
  return [...found.values()];
}
