import ts = require('typescript');
import type { FileFacts } from './file-facts';
import { propertyNameText, skipOuterExpressions } from './text';

/**
 * The options object a middleware factory is given: the literal argument, or the same-file
 * `const options = { … }` it names. `undefined` when there is none (no argument, or a list such as
 * Nest's `forRoot([{ ttl, limit }])`); `unknown` when it cannot be seen (a parameter, an import).
 */
export function optionsObject(argument: ts.Expression | undefined, facts: FileFacts): ts.ObjectLiteralExpression | undefined | 'unknown' {
  if (!argument) return undefined;
  let value = skipOuterExpressions(argument);
  if (ts.isIdentifier(value)) {
    const declaration = facts.topLevel.get(value.text);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return 'unknown';
    value = skipOuterExpressions(declaration.initializer);
  }
  if (ts.isObjectLiteralExpression(value)) return value;
  if (ts.isArrayLiteralExpression(value)) return undefined;
  return 'unknown';
}

/** The option named `name`, or a spread that may bring it in (so a spread counts as "has it"). */
export function findOption(object: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return object.properties.find((property) => ts.isSpreadAssignment(property) || propertyNameText(property.name) === name);
}
