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

function collectResolverMap(object: ts.ObjectLiteralExpression, found: EntryCandidate[]): void {
  const operations = object.properties.filter((property) => OPERATION_TYPES[propertyNameText(property.name) ?? ''] !== undefined);
  if (operations.length === 0) return;
  for (const operation of operations) {
    if (!ts.isPropertyAssignment(operation)) continue;
    const fields = skipOuterExpressions(operation.initializer);
    if (!ts.isObjectLiteralExpression(fields)) continue;
    const kind = OPERATION_TYPES[propertyNameText(operation.name)!];
    for (const field of fields.properties) {
      const name = propertyNameText(field.name) ?? 'field';
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
