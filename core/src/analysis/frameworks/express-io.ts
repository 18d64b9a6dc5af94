import ts = require('typescript');
import type { FunctionNode } from '../file-facts';
import { propertyNameText, skipOuterExpressions, stringValue } from '../text';
import type { DetectorContext, EntryCandidate } from './types';

/**
 * express.io / express.oi realtime routes: `app.io.route('messages', { create(req) {…}, list(req) {…} })`
 * registers one socket event per member (`messages:create`), `app.io.route('ready', handler)` one
 * event. HTTP routes forward to them with `req.io.route('messages:list')`.
 */
export function detectExpressIo(context: DetectorContext, found: EntryCandidate[]): void {
  for (const { node } of context.facts.calls) {
    if (!ts.isCallExpression(node) || node.arguments.length < 2) continue;
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'route') continue;
    const receiver = skipOuterExpressions(callee.expression);
    if (!ts.isPropertyAccessExpression(receiver) || receiver.name.text !== 'io') continue;
    const name = stringValue(node.arguments[0]);
    if (name === undefined) continue;
    const handler = skipOuterExpressions(node.arguments[1]);
    if (!ts.isObjectLiteralExpression(handler)) {
      found.push({ label: `socket event "${name}"`, framework: 'express.io', registration: node, handlers: [handler] });
      continue;
    }
    for (const property of handler.properties) {
      const key = propertyNameText(property.name);
      const value: ts.Expression | FunctionNode | undefined = ts.isPropertyAssignment(property) ? property.initializer : ts.isMethodDeclaration(property) ? property : undefined;
      if (key === undefined || value === undefined) continue;
      found.push({ label: `socket event "${name}:${key}"`, framework: 'express.io', registration: property, handlers: [value] });
    }
  }
}
