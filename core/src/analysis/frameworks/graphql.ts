import ts = require('typescript');
import type { FunctionNode } from '../file-facts';
import { propertyNameText, skipOuterExpressions } from '../text';
import type { DetectorContext, EntryCandidate } from './types';

const OPERATION_TYPES: Record<string, string> = { Query: 'query', Mutation: 'mutation', Subscription: 'subscription' };

/**
 * GraphQL resolver maps (Apollo Server, graphql-yoga, mercurius, graphql-tools):
 * `{ Query: { users: () => … }, Mutation: { addUser(_, args) { … } } }` — every operation field is an entry.
 */
export function detectGraphqlResolvers(context: DetectorContext, found: EntryCandidate[]): void {
  for (const object of context.facts.resolverMaps) collectResolverMap(object, found);
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

function collectResolverMap(object: ts.ObjectLiteralExpression, found: EntryCandidate[]): void {
  const hasRoot = object.properties.some((property) => OPERATION_TYPES[propertyNameText(property.name) ?? ''] !== undefined);
  if (!hasRoot) return;
  for (const operation of object.properties) {
    const typeName = propertyNameText(operation.name) ?? '';
    const kind = operationKind(typeName, hasRoot);
    if (kind === undefined || !ts.isPropertyAssignment(operation)) continue;
    const fields = skipOuterExpressions(operation.initializer);
    if (!ts.isObjectLiteralExpression(fields)) continue;
    for (const field of fields.properties) {
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
