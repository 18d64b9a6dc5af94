import ts = require('typescript');
import { getFileFacts } from './file-facts';
import type { RequestGraph } from './request-graph';
import { skipOuterExpressions } from './text';

/**
 * Providers the service makes afresh for each call. `@Injectable() class RuleComparatorService` may
 * be listed in a module, yet a factory hands each run its own (`create() { return new
 * RuleComparatorService(this.getter, this.logger) }`) and no constructor injects it: what the request
 * path writes through `this` lives in objects made per call, not in one object per process. A provider
 * that some constructor injects, or that is made for a field (`this.cache = new X()`) or at module
 * scope, stays one per process.
 */
export function isMadePerCall(graph: RequestGraph, declaration: ts.ClassDeclaration): boolean {
  const name = declaration.name?.text;
  if (!name) return false;
  const { madeInFunctions, kept } = creationsOf(graph);
  if (kept.has(name)) return false;
  const creations = madeInFunctions.get(name);
  return creations !== undefined && creations.some((callee) => graph.resolver.declarationsOf(callee).includes(declaration));
}

interface Creations {
  /** `new X(…)` whose object a function hands back or keeps in a local, by class name. */
  madeInFunctions: Map<string, ts.Expression[]>;
  /** Class names some constructor injects, or that are made for a field or at module scope. */
  kept: Set<string>;
}

const creationsCache = new WeakMap<RequestGraph, { files: number; creations: Creations }>();

function creationsOf(graph: RequestGraph): Creations {
  const cached = creationsCache.get(graph);
  if (cached?.files === graph.files.length) return cached.creations;
  const creations: Creations = { madeInFunctions: new Map(), kept: new Set() };
  for (const file of graph.files) {
    if (graph.isIgnoredFile(file)) continue;
    const facts = getFileFacts(file);
    for (const { node, function: around } of facts.calls) {
      if (!ts.isNewExpression(node) || !ts.isIdentifier(node.expression)) continue;
      const className = node.expression.text;
      if (around === undefined || ts.isConstructorDeclaration(around) || isMadeOnce(node, around) || !handedOutOrLocal(node)) creations.kept.add(className);
      else creations.madeInFunctions.set(className, [...(creations.madeInFunctions.get(className) ?? []), node.expression]);
    }
    for (const declaration of facts.classes) {
      for (const member of declaration.members) {
        if (!ts.isConstructorDeclaration(member)) continue;
        for (const parameter of member.parameters) for (const injected of injectedNames(parameter)) creations.kept.add(injected);
      }
    }
  }
  creationsCache.set(graph, { files: graph.files.length, creations });
  return creations;
}

/**
 * Made once however it is written: in a decorator's arguments (`@Param('id', new ParsePipe())`, run
 * as the class is defined) or by a module's provider factory (`useFactory: () => new GitHubStrategy(config)`,
 * which Nest calls once).
 */
function isMadeOnce(creation: ts.NewExpression, around: ts.Node): boolean {
  if (ts.findAncestor(creation, ts.isDecorator)) return true;
  for (let fn: ts.Node | undefined = around; fn; fn = ts.findAncestor(fn.parent, (node) => ts.isFunctionLike(node))) {
    const holder = fn.parent;
    const name = holder && (ts.isPropertyAssignment(holder) || ts.isMethodDeclaration(holder)) ? holder.name : ts.isMethodDeclaration(fn) ? fn.name : undefined;
    if (name && ts.isIdentifier(name) && name.text === 'useFactory') return true;
    if (!fn.parent) break;
  }
  return false;
}

/** `return new X()`, `const x = new X()`, `=> new X()`, an argument: the object goes to the caller or stays in the call. */
function handedOutOrLocal(creation: ts.NewExpression): boolean {
  let node: ts.Node = creation;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isAwaitExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isReturnStatement(parent) || ts.isArrowFunction(parent) || ts.isCallExpression(parent)) return true;
  return ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name);
}

/** `private readonly comparator: RuleComparatorService`, `@Inject(RuleComparatorService) comparator`: the class names a constructor parameter injects. */
function injectedNames(parameter: ts.ParameterDeclaration): string[] {
  const names: string[] = [];
  const type = parameter.type;
  if (type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) names.push(type.typeName.text);
  for (const modifier of ts.canHaveDecorators(parameter) ? ts.getDecorators(parameter) ?? [] : []) {
    const call = skipOuterExpressions(modifier.expression);
    if (!ts.isCallExpression(call)) continue;
    for (const argument of call.arguments) {
      const value = skipOuterExpressions(argument);
      if (ts.isIdentifier(value)) names.push(value.text);
      // `@Inject(forwardRef(() => SettingsService))`
      if (ts.isCallExpression(value)) for (const inner of value.arguments) if (ts.isArrowFunction(inner) && ts.isIdentifier(inner.body)) names.push(inner.body.text);
    }
  }
  return names;
}
