import ts = require('typescript');
import { isFunctionNode } from '../file-facts';
import { functionName, skipOuterExpressions } from '../text';
import type { DetectorContext, EntryCandidate } from './types';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

const NEXT_ROUTE_FILE = /(?:^|\/)app\/(?:(.*)\/)?route\.[cm]?[jt]sx?$/;
const NEXT_PAGES_API_FILE = /(?:^|\/)pages\/api\/(.+)\.[cm]?[jt]sx?$/;
/** A page of the pages router (not an API route): its `getServerSideProps` runs on the server for every request of the page. */
const NEXT_PAGE_FILE = /(?:^|\/)pages\/(?!api\/)(.+)\.[cm]?[jt]sx?$/;
/** Next.js runs middleware only from the project root or `src/`. */
const NEXT_MIDDLEWARE_FILE = /^(?:src\/)?middleware\.[cm]?[jt]s$/;
const LAMBDA_FIRST_PARAMETER = /^_?(event|evt|e|input|payload|records?)$/i;
const LAMBDA_TYPES = /APIGateway|Lambda|SQSEvent|SNSEvent|S3Event|Handler\b|Context\b|ScheduledEvent|DynamoDBStreamEvent|EventBridge/;
const HTTP_VERB_EXPORTS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
/** A SvelteKit endpoint (`src/routes/api/items/+server.js`): its verb exports (and `fallback`) answer requests of the folder's path. */
const SVELTEKIT_ENDPOINT_FILE = /(?:^|\/)src\/routes\/(?:(.*)\/)?\+server\.[cm]?[jt]s$/;
/** A page's or layout's server module: its `load` runs on the server for every request of the page (or of each page under the layout), its `actions` on every form post. */
const SVELTEKIT_SERVER_LOAD_FILE = /(?:^|\/)src\/routes\/(?:(.*)\/)?\+(page|layout)\.server\.[cm]?[jt]s$/;
/** SvelteKit's server hooks: `handle` runs for every request. */
const SVELTEKIT_HOOKS_FILE = /(?:^|\/)src\/hooks\.server\.[cm]?[jt]s$/;

/** Handlers known by what a file exports: Next.js route handlers, pages/api, pages' getServerSideProps, middleware, server actions, AWS Lambda. */
export function detectExportedHandlers(context: DetectorContext, found: EntryCandidate[]): void {
  const { facts, relativePath } = context;
  const exports = exportedValues(facts.sourceFile);
  const routeMatch = NEXT_ROUTE_FILE.exec(relativePath);
  if (routeMatch) {
    const route = nextRoutePath(routeMatch[1] ?? '');
    for (const item of exports) {
      if (HTTP_VERB_EXPORTS.has(item.name)) found.push({ label: `${item.name} ${route}`, framework: 'nextjs', registration: item.nameNode, handlers: [item.value] });
    }
  }
  const pagesMatch = NEXT_PAGES_API_FILE.exec(relativePath);
  if (pagesMatch) {
    const route = `/api/${pagesMatch[1].replace(/(^|\/)index$/, '')}`.replace(/\/$/, '');
    for (const item of exports) {
      if (item.name === 'default') found.push({ label: `API ${route}`, framework: 'nextjs', registration: item.nameNode, handlers: [item.value] });
    }
  }
  const pageMatch = pagesMatch ? null : NEXT_PAGE_FILE.exec(relativePath);
  if (pageMatch) {
    const route = `/${pageMatch[1].replace(/(^|\/)index$/, '')}`.replace(/(.)\/$/, '$1');
    for (const item of exports) {
      if (item.name === 'getServerSideProps') found.push({ label: `page ${route} (getServerSideProps)`, framework: 'nextjs', registration: item.nameNode, handlers: [item.value] });
    }
  }
  detectSvelteKitHandlers(relativePath, exports, found);
  if (NEXT_MIDDLEWARE_FILE.test(relativePath)) {
    for (const item of exports) {
      if (item.name === 'middleware' || item.name === 'default') found.push({ label: 'Next.js middleware (every matched request)', framework: 'nextjs', registration: item.nameNode, handlers: [item.value] });
    }
  }
  if (facts.directives.has('use server')) {
    for (const item of exports) {
      if (item.name !== 'default' || isFunctionValue(item.value)) found.push({ label: `server action ${item.name}`, framework: 'nextjs', registration: item.nameNode, handlers: [item.value] });
    }
  }
  for (const [fn] of facts.functions) {
    if (fn.body && ts.isBlock(fn.body) && hasUseServerDirective(fn.body)) {
      const name = functionName(fn) ?? 'inline';
      found.push({ label: `server action ${name}`, framework: 'nextjs', registration: fn.body.statements[0], handlers: [fn] });
    }
  }
  for (const item of exports) {
    if (item.name === 'handler' && looksLikeLambda(item.value, facts)) {
      found.push({ label: 'Lambda handler (every invocation)', framework: 'aws-lambda', registration: item.nameNode, handlers: [item.value] });
    }
  }
}

/**
 * SvelteKit's server modules, known by their file names under `src/routes`: an endpoint's verb
 * exports, a page's or layout's `load` and its form `actions` (each property of the object), and
 * the `handle` hook. A page's universal `+page.js` also runs in the browser and is left out, as are
 * a module's other exports (`prerender`, `ssr`, helpers).
 */
function detectSvelteKitHandlers(relativePath: string, exports: readonly ExportedValue[], found: EntryCandidate[]): void {
  const endpoint = SVELTEKIT_ENDPOINT_FILE.exec(relativePath);
  if (endpoint) {
    const route = nextRoutePath(endpoint[1] ?? '');
    for (const item of exports) {
      if (HTTP_VERB_EXPORTS.has(item.name) || item.name === 'fallback') found.push({ label: `${item.name === 'fallback' ? 'any method' : item.name} ${route}`, framework: 'sveltekit', registration: item.nameNode, handlers: [item.value] });
    }
  }
  const page = SVELTEKIT_SERVER_LOAD_FILE.exec(relativePath);
  if (page) {
    const route = nextRoutePath(page[1] ?? '');
    for (const item of exports) {
      if (item.name === 'load') found.push({ label: `${page[2]} ${route} (load)`, framework: 'sveltekit', registration: item.nameNode, handlers: [item.value] });
      if (item.name !== 'actions' || isFunctionNode(item.value)) continue;
      const actions = skipOuterExpressions(item.value);
      if (!ts.isObjectLiteralExpression(actions)) continue;
      for (const property of actions.properties) {
        const name = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
        if (name === undefined) continue;
        const handler = ts.isPropertyAssignment(property) ? property.initializer : ts.isMethodDeclaration(property) ? (property as unknown as ts.Expression) : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
        if (handler) found.push({ label: `form action ${name} ${route}`, framework: 'sveltekit', registration: property, handlers: [handler] });
      }
    }
  }
  if (SVELTEKIT_HOOKS_FILE.test(relativePath)) {
    for (const item of exports) {
      if (item.name === 'handle') found.push({ label: 'SvelteKit handle hook (every request)', framework: 'sveltekit', registration: item.nameNode, handlers: [item.value] });
    }
  }
}

/**
 * `export const handler = async (event, context) => …`, a wrapped handler (`middy(fn)`), or one typed
 * with aws-lambda types. Koa route modules also export `handler` (taking `ctx`): not Lambda.
 */
function looksLikeLambda(value: ts.Expression | ts.FunctionDeclaration, facts: DetectorContext['facts']): boolean {
  if ([...facts.imports.values()].some((binding) => binding.module === 'aws-lambda' || binding.module.startsWith('@middy/'))) return true;
  const fn = isFunctionNode(value) ? value : ts.isIdentifier(value) ? undefined : skipOuterExpressions(value);
  if (fn && (ts.isFunctionExpression(fn) || ts.isArrowFunction(fn) || ts.isFunctionDeclaration(fn))) {
    const first = fn.parameters[0];
    if (!first) return false;
    if (first.type && LAMBDA_TYPES.test(first.type.getText())) return true;
    return ts.isIdentifier(first.name) && LAMBDA_FIRST_PARAMETER.test(first.name.text);
  }
  return false;
}

function nextRoutePath(folder: string): string {
  const segments = folder.split('/').filter((segment) => segment !== '' && !/^\(.*\)$/.test(segment) && !segment.startsWith('@'));
  // `app/` may sit under `src/`; anything before `app/` is not part of the URL.
  return `/${segments.join('/')}`;
}

interface ExportedValue {
  name: string;
  nameNode: ts.Node;
  value: ts.Expression | ts.FunctionDeclaration;
}

/** Values a module exports: `export function f`, `export const f = …`, `export default …`, `export { f }`, `exports.f = …`, `module.exports = { f }`. */
function exportedValues(sourceFile: ts.SourceFile): ExportedValue[] {
  const result: ExportedValue[] = [];
  for (const statement of sourceFile.statements) {
    const exported = ts.canHaveModifiers(statement) && (ts.getModifiers(statement)?.some((m) => m.kind === SyntaxKind.ExportKeyword) ?? false);
    const isDefault = ts.canHaveModifiers(statement) && (ts.getModifiers(statement)?.some((m) => m.kind === SyntaxKind.DefaultKeyword) ?? false);
    if (ts.isFunctionDeclaration(statement) && exported && statement.body) {
      result.push({ name: isDefault ? 'default' : (statement.name?.text ?? 'default'), nameNode: statement.name ?? statement, value: statement });
    } else if (ts.isVariableStatement(statement) && exported) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.initializer) result.push({ name: declaration.name.text, nameNode: declaration.name, value: declaration.initializer });
      }
    } else if (ts.isExportAssignment(statement) && !statement.isExportEquals) {
      result.push({ name: 'default', nameNode: statement, value: statement.expression });
    } else if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) {
        const local = element.propertyName ?? element.name;
        if (ts.isIdentifier(local)) result.push({ name: element.name.text, nameNode: element.name, value: local });
      }
    } else if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression) && statement.expression.operatorToken.kind === SyntaxKind.EqualsToken) {
      collectCommonJsExport(statement.expression, result);
    }
  }
  return result;
}

function collectCommonJsExport(assignment: ts.BinaryExpression, result: ExportedValue[]): void {
  const target = assignment.left.getText();
  const member = /^(?:module\.)?exports\.(\w+)$/.exec(target);
  if (member) {
    result.push({ name: member[1], nameNode: assignment.left, value: assignment.right });
    return;
  }
  if (target !== 'module.exports') return;
  const value = skipOuterExpressions(assignment.right);
  if (ts.isObjectLiteralExpression(value)) {
    for (const property of value.properties) {
      if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name)) result.push({ name: property.name.text, nameNode: property.name, value: property.initializer });
      else if (ts.isShorthandPropertyAssignment(property)) result.push({ name: property.name.text, nameNode: property.name, value: property.name });
      else if (ts.isMethodDeclaration(property) && ts.isIdentifier(property.name)) result.push({ name: property.name.text, nameNode: property.name, value: property as unknown as ts.Expression });
    }
  } else result.push({ name: 'default', nameNode: assignment.left, value: assignment.right });
}

function isFunctionValue(value: ts.Expression | ts.FunctionDeclaration): boolean {
  if (isFunctionNode(value)) return true;
  const inner = skipOuterExpressions(value);
  return ts.isFunctionExpression(inner) || ts.isArrowFunction(inner);
}

function hasUseServerDirective(body: ts.Block): boolean {
  const first = body.statements[0];
  return first !== undefined && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === 'use server';
}
