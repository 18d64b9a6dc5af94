import ts = require('typescript');
import { propertyNameText, skipOuterExpressions, stringValue } from '../text';
import type { DetectorContext, EntryCandidate } from './types';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

const HTTP_DECORATORS: Record<string, string> = {
  Get: 'GET', Sse: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', All: 'ALL', Options: 'OPTIONS', Head: 'HEAD', Search: 'SEARCH',
};
const GRAPHQL_DECORATORS = new Set(['Query', 'Mutation', 'Subscription', 'ResolveField', 'ResolveProperty']);
const MESSAGE_DECORATORS = new Set(['MessagePattern', 'EventPattern', 'GrpcMethod']);
/** Interfaces whose single method Nest calls on every request. */
const REQUEST_PIPELINE: Record<string, string> = {
  CanActivate: 'canActivate',
  NestInterceptor: 'intercept',
  NestMiddleware: 'use',
  PipeTransform: 'transform',
  ExceptionFilter: 'catch',
};

export function decoratorsOf(node: ts.Node): { name: string; call: ts.CallExpression | undefined; node: ts.Decorator }[] {
  if (!ts.canHaveDecorators(node)) return [];
  return (ts.getDecorators(node) ?? []).flatMap((decorator) => {
    let expression = skipOuterExpressions(decorator.expression);
    // `@ConditionalGateway` with `const ConditionalGateway = disabled ? () => {} : WebSocketGateway({ cors: true })`.
    if (ts.isIdentifier(expression)) expression = decoratorAlias(expression) ?? expression;
    const callee = ts.isCallExpression(expression) ? skipOuterExpressions(expression.expression) : expression;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    return name === undefined ? [] : [{ name, call: ts.isCallExpression(expression) ? expression : undefined, node: decorator }];
  });
}

/**
 * A decorator kept in a module-scope `const` of the same file: `const Gateway = WebSocketGateway({ cors:
 * true })`, or one a setting picks, `const Gateway = setting ? () => {} : WebSocketGateway(…)` (the
 * decorator a deployment gets unless it turns it off). The decorator call it holds, or undefined.
 */
function decoratorAlias(name: ts.Identifier): ts.CallExpression | undefined {
  const sourceFile = name.getSourceFile();
  let aliases = decoratorAliases.get(sourceFile);
  if (!aliases) {
    aliases = new Map<string, ts.CallExpression>();
    for (const statement of sourceFile.statements) {
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
        const value = skipOuterExpressions(declaration.initializer);
        const branches = ts.isConditionalExpression(value) ? [value.whenTrue, value.whenFalse].map((branch) => skipOuterExpressions(branch)) : [value];
        const calls = branches.filter((branch): branch is ts.CallExpression => ts.isCallExpression(branch) && /^[A-Z]/.test(skipOuterExpressions(branch.expression).getText()));
        if (calls.length === 1) aliases.set(declaration.name.text, calls[0]);
      }
    }
    decoratorAliases.set(sourceFile, aliases);
  }
  return aliases.get(name.text);
}

const decoratorAliases = new WeakMap<ts.SourceFile, Map<string, ts.CallExpression>>();

/** NestJS controllers (`@Controller` + `@Get`…), gateways (`@SubscribeMessage`), resolvers, microservice handlers, guards, interceptors, middleware. */
export function detectNest(context: DetectorContext, found: EntryCandidate[]): void {
  for (const declaration of context.facts.classes) {
    const classDecorators = decoratorsOf(declaration);
    const className = declaration.name?.text ?? 'anonymous class';
    const controller = classDecorators.find((d) => d.name === 'Controller');
    const isGateway = classDecorators.some((d) => d.name === 'WebSocketGateway');
    const isResolver = classDecorators.some((d) => d.name === 'Resolver');
    const prefix = controller ? controllerPrefix(controller.call) : '';
    const pipelineMethod = pipelineMethodOf(declaration);

    for (const member of declaration.members) {
      if (!ts.isMethodDeclaration(member) || !member.body) continue;
      const methodName = propertyNameText(member.name) ?? 'method';
      const where = `${className}.${methodName}`;
      // A provider (`@Injectable()`), or an exception filter, which Nest knows by its `@Catch(…)` and is often built with `new` for `useGlobalFilters`.
      if (pipelineMethod && methodName === pipelineMethod.method && classDecorators.some((d) => d.name === 'Injectable' || (d.name === 'Catch' && pipelineMethod.method === 'catch'))) {
        found.push({ label: `${pipelineMethod.kind} ${className} (every request it guards)`, framework: 'nestjs', registration: member.name, handlers: [member] });
        continue;
      }
      // OnGatewayConnection / OnGatewayDisconnect hooks run for every client.
      if (isGateway && (methodName === 'handleConnection' || methodName === 'handleDisconnect')) {
        found.push({ label: `WebSocket ${methodName === 'handleConnection' ? 'connection' : 'disconnection'} (${where})`, framework: 'nestjs', registration: member.name, handlers: [member] });
        continue;
      }
      for (const decorator of decoratorsOf(member)) {
        if (controller && HTTP_DECORATORS[decorator.name]) {
          const path = joinPaths(prefix, decoratorPath(decorator.call));
          const method = HTTP_DECORATORS[decorator.name];
          found.push({ label: `${method} ${path} (${where})`, framework: 'nestjs', registration: decorator.node, handlers: [member], controllerRoute: { method, path, where } });
        } else if (isGateway && decorator.name === 'SubscribeMessage') {
          const event = stringValue(decorator.call?.arguments[0]) ?? methodName;
          found.push({ label: `WebSocket message "${event}" (${where})`, framework: 'nestjs', registration: decorator.node, handlers: [member] });
        } else if (isResolver && GRAPHQL_DECORATORS.has(decorator.name)) {
          found.push({ label: `GraphQL ${decorator.name.toLowerCase()} ${graphqlName(decorator.call) ?? methodName} (${where})`, framework: 'nestjs', registration: decorator.node, handlers: [member] });
        } else if (MESSAGE_DECORATORS.has(decorator.name)) {
          const pattern = decorator.call?.arguments[0]?.getText() ?? methodName;
          found.push({ label: `message ${pattern} (${where})`, framework: 'nestjs', registration: decorator.node, handlers: [member] });
        }
      }
    }
  }
}

function pipelineMethodOf(declaration: ts.ClassDeclaration): { kind: string; method: string } | undefined {
  for (const clause of declaration.heritageClauses ?? []) {
    if (clause.token !== SyntaxKind.ImplementsKeyword) continue;
    for (const type of clause.types) {
      const name = ts.isIdentifier(type.expression) ? type.expression.text : ts.isPropertyAccessExpression(type.expression) ? type.expression.name.text : undefined;
      if (name && REQUEST_PIPELINE[name]) return { kind: name.replace(/^Nest/, '').replace('CanActivate', 'guard').replace('PipeTransform', 'pipe').replace('ExceptionFilter', 'exception filter').toLowerCase(), method: REQUEST_PIPELINE[name] };
    }
  }
  return undefined;
}

function controllerPrefix(call: ts.CallExpression | undefined): string {
  const argument = call?.arguments[0];
  if (!argument) return '';
  const text = stringValue(argument);
  if (text !== undefined) return text;
  const value = skipOuterExpressions(argument);
  if (ts.isObjectLiteralExpression(value)) {
    for (const property of value.properties) {
      if (ts.isPropertyAssignment(property) && propertyNameText(property.name) === 'path') return stringValue(property.initializer) ?? '';
    }
  }
  return '';
}

function decoratorPath(call: ts.CallExpression | undefined): string {
  return stringValue(call?.arguments[0]) ?? '';
}

function joinPaths(prefix: string, path: string): string {
  const parts = [prefix, path].map((part) => part.replace(/^\/+|\/+$/g, '')).filter((part) => part !== '');
  return `/${parts.join('/')}`;
}

function graphqlName(call: ts.CallExpression | undefined): string | undefined {
  for (const argument of call?.arguments ?? []) {
    const value = skipOuterExpressions(argument);
    const text = stringValue(value);
    if (text !== undefined) return text;
    if (ts.isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        if (ts.isPropertyAssignment(property) && propertyNameText(property.name) === 'name') return stringValue(property.initializer);
      }
    }
  }
  return undefined;
}
