import ts = require('typescript');
import type { FunctionNode } from '../file-facts';
import type { Resolver } from '../resolve';
import { propertyNameText, skipOuterExpressions } from '../text';
import type { DetectorContext, EntryCandidate } from './types';

const OPERATION_TYPES: Record<string, string> = { Query: 'query', Mutation: 'mutation', Subscription: 'subscription' };

/**
 * GraphQL resolver maps (Apollo Server, graphql-yoga, mercurius, graphql-tools):
 * `{ Query: { users: () => … }, Mutation: { addUser(_, args) { … } } }` — every operation field is an entry.
 * A type's fields may be written elsewhere, one module per type (`import { Mutation } from './Mutation'`
 * then `{ Query, Mutation }`), or spread together from several objects.
 */
export function detectGraphqlResolvers(context: DetectorContext, found: EntryCandidate[]): void {
  for (const object of context.facts.resolverMaps) collectResolverMap(object, found, context.resolver);
}

/** How many names or spreads deep a type's fields are followed (`Mutation: mutations`, `mutations = { ...hiveMutations }`). */
const MAX_FIELD_DEPTH = 3;

/**
 * The object literals that hold a type's resolver fields: the value itself, an object a name is bound
 * to (a variable of this module or an import of another's), and the objects spread into either.
 */
function fieldObjects(value: ts.Expression, resolver: Resolver, depth = 0): ts.ObjectLiteralExpression[] {
  const settled = skipOuterExpressions(value);
  if (ts.isObjectLiteralExpression(settled)) {
    const spread = depth < MAX_FIELD_DEPTH ? settled.properties.filter(ts.isSpreadAssignment).flatMap((p) => fieldObjects(p.expression, resolver, depth + 1)) : [];
    return [settled, ...spread];
  }
  if (depth >= MAX_FIELD_DEPTH || !(ts.isIdentifier(settled) || ts.isPropertyAccessExpression(settled))) return [];
  return resolver
    .declarationsOf(settled)
    .flatMap((declaration) => (ts.isVariableDeclaration(declaration) && declaration.initializer ? fieldObjects(declaration.initializer, resolver, depth + 1) : []));
}

/**
 * The operation kind of a resolver map's type: the root types, and the namespace types a root field
 * returns (`Mutation: { system: () => ({}) }, SystemMutation: { export(…) {…} }`, as Wiki.js groups
 * its API), whose fields run per request as the root's do.
 */
function operationKind(typeName: string, hasRoot: boolean): string | undefined {
  if (OPERATION_TYPES[typeName] !== undefined) return OPERATION_TYPES[typeName];
  const namespaced = hasRoot ? /^[A-Z][A-Za-z0-9]*(Query|Mutation)$/.exec(typeName) : null;
  return namespaced ? OPERATION_TYPES[namespaced[1]] : undefined;
}

function collectResolverMap(object: ts.ObjectLiteralExpression, found: EntryCandidate[], resolver: Resolver): void {
  const hasRoot = object.properties.some((property) => OPERATION_TYPES[propertyNameText(property.name) ?? ''] !== undefined);
  if (!hasRoot) return;
  for (const operation of object.properties) {
    const typeName = propertyNameText(operation.name) ?? '';
    const kind = operationKind(typeName, hasRoot);
    if (kind === undefined) continue;
    const value = ts.isPropertyAssignment(operation) ? operation.initializer : ts.isShorthandPropertyAssignment(operation) ? operation.name : undefined;
    if (!value) continue;
    for (const field of fieldObjects(value, resolver).flatMap((fields) => fields.properties)) {
      const fieldName = propertyNameText(field.name) ?? 'field';
      const name = OPERATION_TYPES[typeName] !== undefined ? fieldName : `${typeName}.${fieldName}`;
      if (ts.isMethodDeclaration(field)) found.push({ label: `GraphQL ${kind} ${name}`, framework: 'graphql', registration: field.name, handlers: [field] });
      else if (ts.isPropertyAssignment(field)) {
        // Subscriptions are `{ subscribe, resolve }` objects.
        const value = skipOuterExpressions(field.initializer);
        const handlers: (ts.Expression | FunctionNode)[] = ts.isObjectLiteralExpression(value)
          ? value.properties.flatMap((p): (ts.Expression | FunctionNode)[] => (ts.isMethodDeclaration(p) ? [p] : ts.isPropertyAssignment(p) ? [p.initializer] : []))
          : [field.initializer];
        found.push({ label: `GraphQL ${kind} ${name}`, framework: 'graphql', registration: field.name, handlers });
      } else if (ts.isShorthandPropertyAssignment(field)) found.push({ label: `GraphQL ${kind} ${name}`, framework: 'graphql', registration: field.name, handlers: [field.name] });
    }
  }
}
