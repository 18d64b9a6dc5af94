import ts = require('typescript');
import { collectImports, type ImportBinding, type ImportTable } from './imports';
import { localInitializer } from './scope';
import { skipOuterExpressions } from './text';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind, forEachChild } = ts;

export type FunctionNode =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

export type CallLike = ts.CallExpression | ts.NewExpression;

export interface FunctionInfo {
  node: FunctionNode;
  /** The function this one is written in, if any. */
  parent: FunctionNode | undefined;
  /** Calls written directly in this function (not in nested functions). */
  calls: CallLike[];
  /** Function literals and declarations written directly inside this one. */
  children: FunctionNode[];
  /** Tagged templates written directly in this function (``sql`…` ``, ``prisma.$executeRaw`…` ``). */
  taggedTemplates: ts.TaggedTemplateExpression[];
}

/** Where a mutation's target starts: a plain name (`sessions.set`) or `this.<field>` (`this.sessions.set`). */
export type MutationRoot =
  | { kind: 'identifier'; identifier: ts.Identifier; member: string | undefined }
  | { kind: 'this'; member: string; memberNode: ts.Node };

export interface Mutation {
  /** The whole writing expression (the call, assignment, `++`, `delete`). */
  node: ts.Expression;
  root: MutationRoot;
  /** A numeric increment or decrement (`n++`, `n += k`, `m.set(k, (m.get(k) ?? 0) + 1)`). */
  isIncrement: boolean;
  /** Assignment to the bare root name (`x = …`), as opposed to a change inside it. */
  isReassignment: boolean;
  function: FunctionNode | undefined;
}

export interface FileFacts {
  sourceFile: ts.SourceFile;
  imports: ImportTable;
  /** Module-scope names: variables (the VariableDeclaration), functions and classes. */
  topLevel: ReadonlyMap<string, ts.VariableDeclaration | ts.FunctionDeclaration | ts.ClassDeclaration>;
  functions: ReadonlyMap<FunctionNode, FunctionInfo>;
  /** Every call and `new` in the file with the function it is written in. */
  calls: readonly { node: CallLike; function: FunctionNode | undefined }[];
  /** Every tagged template with the function it is written in (SQL clients take queries this way). */
  taggedTemplates: readonly { node: ts.TaggedTemplateExpression; function: FunctionNode | undefined }[];
  mutations: readonly Mutation[];
  classes: readonly ts.ClassDeclaration[];
  /** `'use server'` / `'use client'` at the top of the file. */
  directives: ReadonlySet<string>;
  /** Object literals with a `Query`, `Mutation` or `Subscription` key (GraphQL resolver maps). */
  resolverMaps: readonly ts.ObjectLiteralExpression[];
}

const RESOLVER_MAP_KEYS = new Set(['Query', 'Mutation', 'Subscription']);

const MUTATING_METHODS = new Set([
  'set', 'add', 'delete', 'clear', 'push', 'unshift', 'splice', 'pop', 'shift', 'sort', 'reverse', 'fill', 'copyWithin',
]);

const ASSIGNMENT_OPERATORS = new Set([
  SyntaxKind.EqualsToken, SyntaxKind.PlusEqualsToken, SyntaxKind.MinusEqualsToken, SyntaxKind.AsteriskEqualsToken,
  SyntaxKind.SlashEqualsToken, SyntaxKind.PercentEqualsToken, SyntaxKind.QuestionQuestionEqualsToken,
  SyntaxKind.BarBarEqualsToken, SyntaxKind.AmpersandAmpersandEqualsToken, SyntaxKind.BarEqualsToken,
  SyntaxKind.AmpersandEqualsToken, SyntaxKind.CaretEqualsToken, SyntaxKind.LessThanLessThanEqualsToken,
  SyntaxKind.GreaterThanGreaterThanEqualsToken, SyntaxKind.AsteriskAsteriskEqualsToken,
]);

/** Assignments whose value is what the left side holds afterwards, the entry written into by `(m[k] ??= []).push(x)`. */
const HANDING_BACK_ASSIGNMENTS = new Set([SyntaxKind.EqualsToken, SyntaxKind.QuestionQuestionEqualsToken, SyntaxKind.BarBarEqualsToken]);

const factsCache = new WeakMap<ts.SourceFile, FileFacts>();
const NO_TAGGED_TEMPLATES: ts.TaggedTemplateExpression[] = [];

const FUNCTION_KINDS = new Set<ts.SyntaxKind>([
  SyntaxKind.FunctionDeclaration, SyntaxKind.FunctionExpression, SyntaxKind.ArrowFunction, SyntaxKind.MethodDeclaration,
  SyntaxKind.Constructor, SyntaxKind.GetAccessor, SyntaxKind.SetAccessor,
]);

export function isFunctionNode(node: ts.Node): node is FunctionNode {
  return FUNCTION_KINDS.has(node.kind);
}

/** One walk over a file collecting everything the rules ask about. Cached per SourceFile. */
export function getFileFacts(sourceFile: ts.SourceFile): FileFacts {
  let facts = factsCache.get(sourceFile);
  if (!facts) {
    facts = collectFileFacts(sourceFile);
    factsCache.set(sourceFile, facts);
  }
  return facts;
}

function collectFileFacts(sourceFile: ts.SourceFile): FileFacts {
  const imports = new Map<string, ImportBinding>();
  const topLevel = new Map<string, ts.VariableDeclaration | ts.FunctionDeclaration | ts.ClassDeclaration>();
  const functions = new Map<FunctionNode, FunctionInfo>();
  const calls: { node: CallLike; function: FunctionNode | undefined }[] = [];
  const taggedTemplates: { node: ts.TaggedTemplateExpression; function: FunctionNode | undefined }[] = [];
  const mutations: Mutation[] = [];
  const classes: ts.ClassDeclaration[] = [];
  const directives = new Set<string>();
  const resolverMaps: ts.ObjectLiteralExpression[] = [];

  for (const statement of sourceFile.statements) {
    if (ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression)) {
      directives.add(statement.expression.text);
      continue;
    }
    break;
  }
  for (const statement of sourceFile.statements) {
    collectImports(sourceFile, imports, statement);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) topLevel.set(declaration.name.text, declaration);
      }
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
      // Overloads share a name: keep the one with a body.
      const previous = topLevel.get(statement.name.text);
      if (!previous || !ts.isFunctionDeclaration(previous) || !previous.body) topLevel.set(statement.name.text, statement);
    }
  }

  let current: FunctionNode | undefined;
  let currentInfo: FunctionInfo | undefined;
  const visit = (node: ts.Node): void => {
    const kind = node.kind;
    if (kind >= SyntaxKind.FirstTypeNode && kind <= SyntaxKind.LastTypeNode) return;
    switch (kind) {
      case SyntaxKind.InterfaceDeclaration:
      case SyntaxKind.TypeAliasDeclaration:
      case SyntaxKind.ImportDeclaration:
      case SyntaxKind.ModuleDeclaration:
        if (kind !== SyntaxKind.ModuleDeclaration || (node as ts.ModuleDeclaration).modifiers?.some((m) => m.kind === SyntaxKind.DeclareKeyword)) return;
        break;
      case SyntaxKind.ClassDeclaration:
        classes.push(node as ts.ClassDeclaration);
        break;
      case SyntaxKind.ObjectLiteralExpression:
        if ((node as ts.ObjectLiteralExpression).properties.some((p) => p.name !== undefined && ts.isIdentifier(p.name) && RESOLVER_MAP_KEYS.has(p.name.text))) {
          resolverMaps.push(node as ts.ObjectLiteralExpression);
        }
        break;
      case SyntaxKind.TaggedTemplateExpression:
        taggedTemplates.push({ node: node as ts.TaggedTemplateExpression, function: current });
        if (currentInfo) {
          // Rare: the list is allocated on first use.
          if (currentInfo.taggedTemplates === NO_TAGGED_TEMPLATES) currentInfo.taggedTemplates = [];
          currentInfo.taggedTemplates.push(node as ts.TaggedTemplateExpression);
        }
        break;
      case SyntaxKind.CallExpression:
      case SyntaxKind.NewExpression: {
        const call = node as CallLike;
        calls.push({ node: call, function: current });
        currentInfo?.calls.push(call);
        if (kind === SyntaxKind.CallExpression) collectCallMutation(call as ts.CallExpression, mutations, current);
        break;
      }
      case SyntaxKind.BinaryExpression: {
        const binary = node as ts.BinaryExpression;
        if (ASSIGNMENT_OPERATORS.has(binary.operatorToken.kind)) collectAssignment(binary, mutations, current);
        break;
      }
      case SyntaxKind.PrefixUnaryExpression:
      case SyntaxKind.PostfixUnaryExpression: {
        const unary = node as ts.PrefixUnaryExpression | ts.PostfixUnaryExpression;
        if (unary.operator === SyntaxKind.PlusPlusToken || unary.operator === SyntaxKind.MinusMinusToken) {
          const root = mutationRoot(unary.operand);
          if (root) mutations.push({ node: unary, root, isIncrement: true, isReassignment: isBareRoot(unary.operand), function: current });
        }
        break;
      }
      case SyntaxKind.DeleteExpression: {
        const root = mutationRoot((node as ts.DeleteExpression).expression);
        if (root) mutations.push({ node: node as ts.DeleteExpression, root, isIncrement: false, isReassignment: false, function: current });
        break;
      }
      default:
        if (FUNCTION_KINDS.has(kind)) {
          const fn = node as FunctionNode;
          const info: FunctionInfo = { node: fn, parent: current, calls: [], children: [], taggedTemplates: NO_TAGGED_TEMPLATES };
          functions.set(fn, info);
          currentInfo?.children.push(fn);
          const outer = current;
          const outerInfo = currentInfo;
          current = fn;
          currentInfo = info;
          forEachChild(node, visit);
          current = outer;
          currentInfo = outerInfo;
          return;
        }
        break;
    }
    forEachChild(node, visit);
  };
  forEachChild(sourceFile, visit);

  return { sourceFile, imports, topLevel, functions, calls, taggedTemplates, mutations, classes, directives, resolverMaps };
}

function collectCallMutation(call: ts.CallExpression, mutations: Mutation[], current: FunctionNode | undefined): void {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee) && MUTATING_METHODS.has(callee.name.text)) {
    const root = mutationRoot(callee.expression);
    if (root) mutations.push({ node: call, root, isIncrement: callee.name.text === 'set' && isMapIncrement(call, callee), isReassignment: false, function: current });
    return;
  }
  // Object.assign(target, …) writes into target.
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'assign' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object' && call.arguments.length > 0) {
    const root = mutationRoot(call.arguments[0]);
    if (root) mutations.push({ node: call, root, isIncrement: false, isReassignment: false, function: current });
  }
}

function collectAssignment(binary: ts.BinaryExpression, mutations: Mutation[], current: FunctionNode | undefined): void {
  const left = skipOuterExpressions(binary.left);
  if (!ts.isIdentifier(left) && !ts.isPropertyAccessExpression(left) && !ts.isElementAccessExpression(left)) return;
  const root = mutationRoot(left);
  if (!root) return;
  mutations.push({ node: binary, root, isIncrement: isAssignmentIncrement(binary), isReassignment: isBareRoot(left), function: current });
}

/** `x` or `this.x` alone: the write replaces the binding instead of changing what it holds. */
function isBareRoot(expression: ts.Expression): boolean {
  const target = skipOuterExpressions(expression);
  if (ts.isIdentifier(target)) return true;
  return ts.isPropertyAccessExpression(target) && skipOuterExpressions(target.expression).kind === SyntaxKind.ThisKeyword;
}

/**
 * Follows a written expression down to what owns it: `sessions[id].cart.push` → `sessions`;
 * `this.sessions.get(id)!.x = 1` → `this.sessions`; `Store.sessions.set` → `Store` with member `sessions`.
 */
export function mutationRoot(expression: ts.Expression): MutationRoot | undefined {
  let current = skipOuterExpressions(expression);
  let lastMember: string | undefined;
  let lastMemberNode: ts.Node | undefined;
  for (let guard = 0; guard < 32; guard++) {
    if (ts.isPropertyAccessExpression(current)) {
      lastMember = current.name.text;
      lastMemberNode = current.name;
      current = skipOuterExpressions(current.expression);
    } else if (ts.isElementAccessExpression(current)) {
      lastMember = ts.isStringLiteralLike(current.argumentExpression) ? current.argumentExpression.text : undefined;
      lastMemberNode = current.argumentExpression;
      current = skipOuterExpressions(current.expression);
    } else if (ts.isBinaryExpression(current) && HANDING_BACK_ASSIGNMENTS.has(current.operatorToken.kind)) {
      // (byUser[id] ??= []).push(…): the assignment hands back what its left side holds.
      current = skipOuterExpressions(current.left);
    } else if (ts.isCallExpression(current)) {
      // Reads that hand back a part of the collection: m.get(k).push(…), arr.find(…).x = …
      const callee = skipOuterExpressions(current.expression);
      if (!ts.isPropertyAccessExpression(callee) || !['get', 'find', 'at'].includes(callee.name.text)) return undefined;
      lastMember = undefined;
      lastMemberNode = undefined;
      current = skipOuterExpressions(callee.expression);
    } else break;
  }
  if (ts.isIdentifier(current)) return { kind: 'identifier', identifier: current, member: lastMember };
  if (current.kind === SyntaxKind.ThisKeyword && lastMember !== undefined && lastMemberNode) {
    return { kind: 'this', member: lastMember, memberNode: lastMemberNode };
  }
  return undefined;
}

function isAssignmentIncrement(binary: ts.BinaryExpression): boolean {
  const operator = binary.operatorToken.kind;
  if (operator === SyntaxKind.PlusEqualsToken || operator === SyntaxKind.MinusEqualsToken) {
    const right = skipOuterExpressions(binary.right);
    return !ts.isStringLiteralLike(right) && !ts.isTemplateExpression(right);
  }
  if (operator !== SyntaxKind.EqualsToken) return false;
  const right = skipOuterExpressions(binary.right);
  const initializer = ts.isIdentifier(right) ? localInitializer(right) : undefined;
  return isArithmeticOnSelf(initializer ?? right, binary.left.getText());
}

/** `m.set(k, (m.get(k) ?? 0) + 1)` and `m.set(k, n + 1)` style increments. */
function isMapIncrement(call: ts.CallExpression, callee: ts.PropertyAccessExpression): boolean {
  if (call.arguments.length < 2) return false;
  const selfText = `${callee.expression.getText()}.get(`;
  const value = skipOuterExpressions(call.arguments[1]);
  // const next = (m.get(k) ?? 0) + 1; m.set(k, next)
  if (ts.isIdentifier(value)) {
    const initializer = localInitializer(value);
    return initializer !== undefined && isArithmeticOnSelf(initializer, selfText);
  }
  return isArithmeticOnSelf(value, selfText);
}


/**
 * `x + 1`, `(x || 0) + k`, `x - 1` where one operand mentions `selfText` (or is a local read from it:
 * `const failures = m.get(k) ?? 0; … m.set(k, failures + 1)`), or adds a number literal.
 */
function isArithmeticOnSelf(expression: ts.Expression, selfText: string): boolean {
  const value = skipOuterExpressions(expression);
  if (!ts.isBinaryExpression(value)) return false;
  const operator = value.operatorToken.kind;
  if (operator !== SyntaxKind.PlusToken && operator !== SyntaxKind.MinusToken) return false;
  const mentionsSelf = (side: ts.Expression): boolean => {
    if (side.getText().includes(selfText)) return true;
    const local = skipOuterExpressions(side);
    const initializer = ts.isIdentifier(local) ? localInitializer(local) : undefined;
    return initializer !== undefined && initializer.getText().includes(selfText);
  };
  const isNumber = (side: ts.Expression): boolean => ts.isNumericLiteral(skipOuterExpressions(side));
  return (mentionsSelf(value.left) && (isNumber(value.right) || !ts.isStringLiteralLike(skipOuterExpressions(value.right)))) || (mentionsSelf(value.right) && isNumber(value.left));
}
