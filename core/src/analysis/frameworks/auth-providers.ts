import ts = require('typescript');
import { propertyNameText, skipOuterExpressions } from '../text';
import type { DetectorContext, EntryCandidate } from './types';

/** Provider factories of next-auth and Auth.js: `next-auth/providers/credentials`, `@auth/core/providers/nodemailer`. */
const PROVIDER_MODULE = /^(?:next-auth|@auth\/[\w-]+)\/providers\/([\w-]+)$/;

/** What the library calls while it answers a sign-in request: the credentials check, the e-mail sender. */
const SIGN_IN_MEMBERS = new Set(['authorize', 'sendVerificationRequest']);

/**
 * Functions a next-auth (Auth.js) provider runs for a sign-in request: `CredentialsProvider({ authorize })`
 * checks the password while the sign-in route waits, `EmailProvider({ sendVerificationRequest })` sends
 * the link. The route hands the request to the library (`NextAuth(req, res, options)`), which calls them.
 */
export function detectAuthProviders(context: DetectorContext, found: EntryCandidate[]): void {
  const { facts } = context;
  detectNestPassportStrategies(context, found);
  for (const { node } of facts.calls) {
    if (ts.isNewExpression(node)) {
      detectPassportStrategy(context, node, found);
      continue;
    }
    if (!ts.isCallExpression(node)) continue;
    if (detectPassportSession(context, node, found)) continue;
    const callee = skipOuterExpressions(node.expression);
    const binding = ts.isIdentifier(callee) ? facts.imports.get(callee.text) : undefined;
    const provider = binding && PROVIDER_MODULE.exec(binding.module);
    const options = node.arguments[0] && skipOuterExpressions(node.arguments[0]);
    if (!provider || !options || !ts.isObjectLiteralExpression(options)) continue;
    for (const member of options.properties) {
      const name = propertyNameText(member.name) ?? '';
      if (!SIGN_IN_MEMBERS.has(name)) continue;
      const value = ts.isMethodDeclaration(member) ? member : ts.isPropertyAssignment(member) ? member.initializer : undefined;
      if (value) found.push({ label: `next-auth sign-in (${provider[1]} provider's ${name})`, framework: 'next-auth', registration: member, handlers: [value] });
    }
  }
}

/** Strategy packages of passport: `passport-local`, `passport-jwt`, `passport-google-oauth20`, `@node-saml/passport-saml`. */
const PASSPORT_STRATEGY_MODULE = /^(?:@[\w-]+\/)?passport-([\w-]+)$/;

/**
 * The verify function of a passport strategy, `new LocalStrategy({ usernameField: 'email' }, verify)`:
 * passport calls it while the login route (`passport.authenticate('local')`) waits, or on every
 * request a bearer or JWT strategy guards. It is the strategy's last function argument: a function, or a
 * method referenced or bound (`this.tokens.verify.bind(this)`).
 */
function detectPassportStrategy(context: DetectorContext, node: ts.NewExpression, found: EntryCandidate[]): void {
  const callee = skipOuterExpressions(node.expression);
  const local = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression.text : undefined;
  const binding = local === undefined ? undefined : context.facts.imports.get(local);
  const strategy = binding && PASSPORT_STRATEGY_MODULE.exec(binding.module);
  const verify = node.arguments?.at(-1);
  if (!strategy || !verify) return;
  const value = skipOuterExpressions(verify);
  // A method of the service's own, referenced or bound: `tokens.verify`, `this.tokens.verify.bind(this)`.
  if (!ts.isArrowFunction(value) && !ts.isFunctionExpression(value) && !ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value) && !isBoundMethod(value)) return;
  found.push({ label: `passport sign-in (${binding.module} strategy's verify)`, framework: 'passport', registration: node, handlers: [value] });
}

/** `x.method.bind(…)`: the method, run with another `this`. */
function isBoundMethod(value: ts.Expression): boolean {
  if (!ts.isCallExpression(value)) return false;
  const callee = skipOuterExpressions(value.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind' && ts.isPropertyAccessExpression(skipOuterExpressions(callee.expression));
}

/**
 * A Nest passport strategy, `class LocalStrategy extends PassportStrategy(Strategy) { validate(…) }`:
 * `@nestjs/passport` hands the class's `validate` to passport as the verify function, so it runs
 * while the route its guard protects (`@UseGuards(AuthGuard('local'))`) waits.
 */
function detectNestPassportStrategies(context: DetectorContext, found: EntryCandidate[]): void {
  for (const declaration of context.facts.classes) {
    const base = declaration.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    const mixin = base && skipOuterExpressions(base);
    if (!mixin || !ts.isCallExpression(mixin)) continue;
    const callee = skipOuterExpressions(mixin.expression);
    const binding = ts.isIdentifier(callee) ? context.facts.imports.get(callee.text) : undefined;
    if (binding?.module !== '@nestjs/passport' || binding.path.join('.') !== 'PassportStrategy') continue;
    const validate = declaration.members.find((member): member is ts.MethodDeclaration => ts.isMethodDeclaration(member) && !!member.body && propertyNameText(member.name) === 'validate');
    if (!validate) continue;
    const className = declaration.name?.text ?? 'anonymous class';
    found.push({ label: `passport sign-in (${className}.validate, a @nestjs/passport strategy)`, framework: 'passport', registration: validate.name, handlers: [validate] });
  }
}

/** `passport.deserializeUser(fn)` runs on every request that carries a session; `serializeUser(fn)` on each login. */
function detectPassportSession(context: DetectorContext, node: ts.CallExpression, found: EntryCandidate[]): boolean {
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isPropertyAccessExpression(callee) || (callee.name.text !== 'deserializeUser' && callee.name.text !== 'serializeUser')) return false;
  const receiver = skipOuterExpressions(callee.expression);
  if (!ts.isIdentifier(receiver) || context.facts.imports.get(receiver.text)?.module !== 'passport') return false;
  const handler = node.arguments[0] && skipOuterExpressions(node.arguments[0]);
  if (!handler || (!ts.isArrowFunction(handler) && !ts.isFunctionExpression(handler) && !ts.isIdentifier(handler))) return false;
  found.push({ label: `passport session (${callee.name.text})`, framework: 'passport', registration: node, handlers: [handler] });
  return true;
}
