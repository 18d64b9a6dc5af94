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

/** The names of the properties a spread brings (`...settings.rateLimiting`), or `undefined` when they cannot be known. */
export type SpreadNames = (spread: ts.Expression) => ReadonlySet<string> | undefined;

/**
 * The option named `name`, or a spread that may bring it in (so a spread counts as "has it"),
 * unless `spreadNames` knows every property the spread brings and `name` is not one of them.
 */
export function findOption(object: ts.ObjectLiteralExpression, name: string, spreadNames?: SpreadNames): ts.ObjectLiteralElementLike | undefined {
  return object.properties.find((property) => (ts.isSpreadAssignment(property) ? spreadNames?.(property.expression)?.has(name) ?? true : propertyNameText(property.name) === name));
}

/**
 * The property names of the object a spread's expression is declared as, through `declarationsOf`:
 * an object literal (`rateLimiting: { windowMs: 90000, max: 10 }`) or a type literal
 * (`rateLimiting: { windowMs?: number, max: number }`). A nested spread, an index signature, or a
 * declaration of any other shape makes them unknown.
 */
export function declaredPropertyNames(expression: ts.Expression, declarationsOf: (expression: ts.Expression) => readonly ts.Declaration[]): ReadonlySet<string> | undefined {
  const declarations = declarationsOf(expression);
  if (declarations.length === 0) return undefined;
  const names = new Set<string>();
  for (const declaration of declarations) {
    const members = declaredMembers(declaration);
    if (!members) return undefined;
    for (const member of members) {
      const name = member.name && propertyNameText(member.name);
      if (name === undefined || ts.isSpreadAssignment(member) || ts.isIndexSignatureDeclaration(member)) return undefined;
      names.add(name);
    }
  }
  return names;
}

function declaredMembers(declaration: ts.Declaration): readonly (ts.ObjectLiteralElementLike | ts.TypeElement)[] | undefined {
  const initializer = (ts.isPropertyAssignment(declaration) || ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  if (initializer) return ts.isObjectLiteralExpression(initializer) ? initializer.properties : undefined;
  const type = (ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration) || ts.isVariableDeclaration(declaration)) ? declaration.type : undefined;
  return type && ts.isTypeLiteralNode(type) ? type.members : undefined;
}
