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
  for (const { node } of facts.calls) {
    if (!ts.isCallExpression(node)) continue;
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
