import ts = require('typescript');
import { cachedResolution } from './resolution-cache';
import { getFileFacts, isFunctionNode, type FunctionNode } from './file-facts';
import { isShadowed } from './scope';
import { propertyNameText, skipOuterExpressions } from './text';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/**
 * Finds the functions a call or a handler reference runs. With a type checker it follows symbols
 * across files; without one it looks only in the same file (module scope, the enclosing class, and
 * classes and objects declared in the file).
 */
export class Resolver {
  readonly checker: ts.TypeChecker | undefined;

  constructor(private readonly program: ts.Program | undefined) {
    this.checker = program?.getTypeChecker();
  }

  /** Functions a call may run (its callee's declarations that have a body in the program). */
  callTargets(call: ts.CallExpression | ts.NewExpression): FunctionNode[] {
    const callee = skipOuterExpressions(call.expression);
    if (ts.isNewExpression(call)) return this.constructorsOf(callee);
    // fn.call(this, …) / fn.apply(…)
    if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'call' || callee.name.text === 'apply')) {
      const inner = this.functionsOf(callee.expression, 0);
      if (inner.length > 0) return inner;
    }
    return this.functionsOf(callee, 0);
  }

  /**
   * Functions an expression given as a handler stands for: function literals, references,
   * `fn.bind(x)`, wrappers such as `asyncHandler(fn)`, arrays, and middleware factories defined in
   * the program (`auth()` whose body returns a function).
   */
  handlerFunctions(expression: ts.Expression, depth = 0): FunctionNode[] {
    const value = skipOuterExpressions(expression);
    if (depth > 3) return [];
    if (ts.isFunctionExpression(value) || ts.isArrowFunction(value)) return [value];
    if (ts.isArrayLiteralExpression(value)) return value.elements.flatMap((element) => (ts.isSpreadElement(element) ? [] : this.handlerFunctions(element, depth + 1)));
    if (ts.isCallExpression(value)) {
      const callee = skipOuterExpressions(value.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind') return this.handlerFunctions(callee.expression, depth + 1);
      const fromArguments = value.arguments.flatMap((argument) => this.handlerFunctions(argument, depth + 1));
      const fromFactory = this.callTargets(value).flatMap(returnedFunctions);
      return [...fromArguments, ...fromFactory];
    }
    if (ts.isIdentifier(value) || ts.isPropertyAccessExpression(value) || ts.isElementAccessExpression(value)) return this.functionsOf(value, depth);
    return [];
  }

  private constructorsOf(callee: ts.Expression): FunctionNode[] {
    const classes = this.declarationsOf(callee).filter(ts.isClassDeclaration);
    return classes.flatMap((declaration) => declaration.members.filter((member): member is ts.ConstructorDeclaration => ts.isConstructorDeclaration(member) && member.body !== undefined));
  }

  private functionsOf(expression: ts.Expression, depth: number): FunctionNode[] {
    const result: FunctionNode[] = [];
    for (const declaration of this.declarationsOf(expression)) {
      const fn = functionOfDeclaration(declaration);
      if (fn) result.push(fn);
      else if (depth < 3 && ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isCallExpression(skipOuterExpressions(declaration.initializer))) {
        // const handler = asyncHandler(async (req, res) => …)
        result.push(...this.handlerFunctions(declaration.initializer, depth + 1));
      }
    }
    return result;
  }

  /** Declarations (in the program's own files) that an identifier or member access refers to. */
  declarationsOf(expression: ts.Expression): ts.Declaration[] {
    const target = skipOuterExpressions(expression);
    if (this.checker) return this.typedDeclarations(target);
    return untypedDeclarations(target);
  }

  private typedDeclarations(target: ts.Expression): ts.Declaration[] {
    return [...cachedResolution(this.program!, target, () => this.checkedDeclarations(target))];
  }

  private checkedDeclarations(target: ts.Expression): ts.Declaration[] {
    const checker = this.checker!;
    let location: ts.Node = target;
    if (ts.isPropertyAccessExpression(target)) location = target.name;
    else if (ts.isElementAccessExpression(target)) location = target.argumentExpression;
    let symbol: ts.Symbol | undefined;
    try {
      symbol = checker.getSymbolAtLocation(location);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    } catch {
      return [];
    }
    const declarations = symbol?.declarations ?? [];
    const result: ts.Declaration[] = [];
    for (const declaration of declarations) {
      const file = declaration.getSourceFile();
      if (file.isDeclarationFile || this.program!.isSourceFileFromExternalLibrary(file)) continue;
      if (ts.isShorthandPropertyAssignment(declaration)) {
        const value = checker.getShorthandAssignmentValueSymbol(declaration);
        const resolved = value && value.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(value) : value;
        result.push(...(resolved?.declarations ?? []).filter((d) => !d.getSourceFile().isDeclarationFile));
      } else result.push(declaration);
    }
    return result;
  }
}

/** The function a declaration defines: `function f`, `const f = () => …`, a method, `f: function () {}`. */
export function functionOfDeclaration(declaration: ts.Node): FunctionNode | undefined {
  if (isFunctionNode(declaration)) return hasBody(declaration) ? declaration : undefined;
  let initializer: ts.Expression | undefined;
  if (ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration) || ts.isPropertyAssignment(declaration)) initializer = declaration.initializer;
  else if (ts.isExportAssignment(declaration)) initializer = declaration.expression;
  else if (ts.isBinaryExpression(declaration)) initializer = declaration.right;
  // CommonJS: `exports.save = (req, res) => …` declares `save` at the property access on the left.
  else if ((ts.isPropertyAccessExpression(declaration) || ts.isElementAccessExpression(declaration)) && ts.isBinaryExpression(declaration.parent) && declaration.parent.left === declaration && declaration.parent.operatorToken.kind === SyntaxKind.EqualsToken) {
    initializer = declaration.parent.right;
  }
  if (!initializer) return undefined;
  const value = skipOuterExpressions(initializer);
  return ts.isFunctionExpression(value) || ts.isArrowFunction(value) ? value : undefined;
}

function hasBody(fn: FunctionNode): boolean {
  return fn.body !== undefined;
}

/** Function literals a middleware factory returns: `function auth() { return (req, res, next) => … }`. */
export function returnedFunctions(fn: FunctionNode): FunctionNode[] {
  const body = fn.body;
  if (!body) return [];
  if (!ts.isBlock(body)) {
    const value = skipOuterExpressions(body);
    return ts.isFunctionExpression(value) || ts.isArrowFunction(value) ? [value] : [];
  }
  const result: FunctionNode[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionNode(node)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      const value = skipOuterExpressions(node.expression);
      if (ts.isFunctionExpression(value) || ts.isArrowFunction(value)) result.push(value);
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return result;
}

/** Same-file resolution used without a type checker. */
function untypedDeclarations(target: ts.Expression): ts.Declaration[] {
  const facts = getFileFacts(target.getSourceFile());
  if (ts.isIdentifier(target)) {
    if (isShadowed(target, target.text)) return localDeclarations(target);
    const declaration = facts.topLevel.get(target.text);
    return declaration ? [declaration] : [];
  }
  if (!ts.isPropertyAccessExpression(target)) return [];
  const memberName = target.name.text;
  const owner = skipOuterExpressions(target.expression);
  const classes = ownerClasses(owner, facts.topLevel);
  const members: ts.Declaration[] = [];
  for (const { declaration, isStatic } of classes) members.push(...classMembers(declaration, memberName, isStatic));
  if (ts.isIdentifier(owner) && !isShadowed(owner, owner.text)) {
    const variable = facts.topLevel.get(owner.text);
    if (variable && ts.isVariableDeclaration(variable) && variable.initializer) {
      const init = skipOuterExpressions(variable.initializer);
      if (ts.isObjectLiteralExpression(init)) {
        for (const property of init.properties) {
          if (propertyNameText(property.name) === memberName) members.push(property);
        }
      }
    }
  }
  return members;
}

/** Declarations of a locally shadowed name that are functions in an enclosing scope (`const helper = () => …` inside a handler). */
function localDeclarations(identifier: ts.Identifier): ts.Declaration[] {
  for (let current: ts.Node | undefined = identifier.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (!ts.isBlock(current)) continue;
    for (const statement of current.statements) {
      if (ts.isFunctionDeclaration(statement) && statement.name?.text === identifier.text) return [statement];
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name) && declaration.name.text === identifier.text) return [declaration];
        }
      }
    }
  }
  return [];
}

/** Classes whose members `owner.x` refers to: `this` in a class, `Class.x` statics, `instance.x` for `const instance = new Class()`, `this.field.x` for a field typed as a class of this file. */
function ownerClasses(owner: ts.Expression, topLevel: ReturnType<typeof getFileFacts>['topLevel']): { declaration: ts.ClassDeclaration; isStatic: boolean }[] {
  if (owner.kind === SyntaxKind.ThisKeyword) {
    const enclosing = enclosingClass(owner);
    if (!enclosing) return [];
    return [{ declaration: enclosing.declaration, isStatic: enclosing.isStatic }];
  }
  if (ts.isIdentifier(owner)) {
    if (isShadowed(owner, owner.text)) return [];
    const declaration = topLevel.get(owner.text);
    if (declaration && ts.isClassDeclaration(declaration)) return [{ declaration, isStatic: true }];
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
      const init = skipOuterExpressions(declaration.initializer);
      if (ts.isNewExpression(init) && ts.isIdentifier(init.expression)) {
        const cls = topLevel.get(init.expression.text);
        if (cls && ts.isClassDeclaration(cls)) return [{ declaration: cls, isStatic: false }];
      }
    }
    return [];
  }
  if (ts.isPropertyAccessExpression(owner) && owner.expression.kind === SyntaxKind.ThisKeyword) {
    const enclosing = enclosingClass(owner);
    if (!enclosing) return [];
    const typeName = fieldTypeName(enclosing.declaration, owner.name.text);
    const cls = typeName ? topLevel.get(typeName) : undefined;
    return cls && ts.isClassDeclaration(cls) ? [{ declaration: cls, isStatic: false }] : [];
  }
  return [];
}

export function enclosingClass(node: ts.Node): { declaration: ts.ClassDeclaration; isStatic: boolean } | undefined {
  let isStatic = false;
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if ((ts.isMethodDeclaration(current) || ts.isPropertyDeclaration(current) || ts.isGetAccessor(current) || ts.isSetAccessor(current)) && ts.isClassDeclaration(current.parent)) {
      isStatic = current.modifiers?.some((m) => m.kind === SyntaxKind.StaticKeyword) ?? false;
      return { declaration: current.parent, isStatic };
    }
    if (ts.isConstructorDeclaration(current) && ts.isClassDeclaration(current.parent)) return { declaration: current.parent, isStatic: false };
    if (ts.isFunctionExpression(current) || ts.isFunctionDeclaration(current) || ts.isClassLike(current)) return undefined;
  }
  return undefined;
}

function classMembers(declaration: ts.ClassDeclaration, name: string, isStatic: boolean): ts.Declaration[] {
  const members: ts.Declaration[] = declaration.members.filter((member) => {
    if (propertyNameText(member.name) !== name) return false;
    const memberIsStatic = ts.canHaveModifiers(member) && (ts.getModifiers(member)?.some((m) => m.kind === SyntaxKind.StaticKeyword) ?? false);
    return memberIsStatic === isStatic;
  });
  if (isStatic) return members;
  // Constructor parameter properties: `constructor(private readonly repo: Repository<User>)`.
  for (const member of declaration.members) {
    if (!ts.isConstructorDeclaration(member)) continue;
    for (const parameter of member.parameters) {
      if (ts.isIdentifier(parameter.name) && parameter.name.text === name && ts.isParameterPropertyDeclaration(parameter, member)) members.push(parameter);
    }
  }
  return members;
}

/** The class name a field is typed as: `private readonly users: UsersService` or a constructor parameter property. */
function fieldTypeName(declaration: ts.ClassDeclaration, field: string): string | undefined {
  for (const member of declaration.members) {
    if (ts.isPropertyDeclaration(member) && propertyNameText(member.name) === field) {
      if (member.type && ts.isTypeReferenceNode(member.type) && ts.isIdentifier(member.type.typeName)) return member.type.typeName.text;
      if (member.initializer && ts.isNewExpression(member.initializer) && ts.isIdentifier(member.initializer.expression)) return member.initializer.expression.text;
    }
    if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (ts.isIdentifier(parameter.name) && parameter.name.text === field && parameter.type && ts.isTypeReferenceNode(parameter.type) && ts.isIdentifier(parameter.type.typeName)) {
          return parameter.type.typeName.text;
        }
      }
    }
  }
  return undefined;
}
