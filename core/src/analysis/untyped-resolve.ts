import ts = require('typescript');
import { getFileFacts, isFunctionNode, type FunctionNode } from './file-facts';
import { contextObjectMembers, contextObjectNames, type ContextObject } from './context-objects';
import { expandoMembers, factoryResults, memberWiseParameter, moduleObjectMembers } from './factory-results';
import { globalNamespaceMembers, globalNamespaceRoots, type FilesMatching, type GlobalNamespace } from './global-namespaces';
import { requiredPath, resolveImportedMember } from './imports';
import { moduleExportsOf, type ExportTarget } from './module-exports';
import { isNonServerPath } from './paths';
import { isShadowed, localDeclarations, localInitializer, valuesOfLocal, localBindingElement } from './scope';
import { propertyNameText, skipOuterExpressions } from './text';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** How resolution without a checker reaches other files: by import specifier (the project index answers). */
export interface ModuleLookup {
  /** The parsed file `specifier` names when imported from `fromFile`; undefined for packages and missing files. */
  moduleFile(fromFile: string, specifier: string): ts.SourceFile | undefined;
  /** The parsed project files whose text matches: where a global namespace and its members are assigned. */
  filesMatching?: FilesMatching;
  /** The parsed project source files in a folder (and its subfolders when `recursive`): the modules a loader lists and loads at start-up. */
  filesUnder?(directory: string, recursive: boolean): readonly ts.SourceFile[];
  /** A file whose functions the walk reaches without an import (a Fastify plugin's decoration): it joins the graph as an imported module does. */
  enter?(file: ts.SourceFile): void;
  /** The parsed project files with a class whose `implements` clause names this interface (by its name); they join the graph. */
  implementersOf?(interfaceName: string): readonly ts.SourceFile[];
}

/** A whole module as a value: `import * as m`, `require('./m')`, or a default import of a module without a default export. */
class ModuleValue {
  constructor(readonly file: ts.SourceFile) {}
}

/** A global namespace (`global.WIKI = …`) as a value, where a file names it without declaring it. */
class GlobalValue {
  constructor(readonly namespace: GlobalNamespace) {}
}

type Value = ts.Node | ModuleValue | GlobalValue;

const MAX_DEPTH = 12;
/**
 * Steps (values and members looked up) one question may take. The depth limit bounds how far a
 * question goes, not how wide: names whose values lead back to themselves branch at every step
 * (tududi's tests swap `global.Date` for a subclass and back, so each `Date.UTC` became such a
 * question, and its report ran for more than 15 minutes). A question past the budget answers with
 * what it found.
 */
const MAX_STEPS = 20_000;

/**
 * What names and member accesses refer to, from syntax alone: scopes and classes of the file, and
 * with a `ModuleLookup` the exports of the modules it imports (ESM, CommonJS, re-exports), followed
 * through objects, class instances and namespaces (`authController.login`, `users.service.create`).
 */
export class UntypedResolver {
  private readonly names = new WeakMap<ts.SourceFile, Map<string, Value[]>>();
  private globalRoots: Map<string, ts.BinaryExpression[]> | undefined;
  private readonly globals = new Map<string, GlobalNamespace>();
  private contextNames: Set<string> | undefined;
  private readonly contexts = new Map<string, ContextObject>();
  private readonly factoryCalls = new WeakMap<ts.SourceFile, { fn: FunctionNode; calls: ts.CallExpression[] } | undefined>();
  private readonly constructions = new WeakMap<ts.Node, ts.NewExpression[]>();

  private steps = 0;
  private openQuestions = 0;

  constructor(private readonly modules: ModuleLookup | undefined) {}

  /** Declarations an identifier or member access refers to (same file, or across files with a lookup). */
  declarationsOf(target: ts.Expression): ts.Declaration[] {
    // A question asked while answering another (a prototype borrower's check) spends the outer budget.
    if (this.openQuestions === 0) this.steps = 0;
    this.openQuestions++;
    try {
      const result: ts.Declaration[] = [];
      for (const value of this.valuesOf(target, 0)) for (const declaration of this.declarationsOfValue(value, 0)) if (!result.includes(declaration)) result.push(declaration);
      return result;
    } finally {
      this.openQuestions--;
    }
  }

  private valuesOf(expression: ts.Expression, depth: number): Value[] {
    if (depth > MAX_DEPTH || ++this.steps > MAX_STEPS) return [];
    const target = skipOuterExpressions(expression);
    if (ts.isIdentifier(target)) {
      if (isShadowed(target, target.text)) {
        const declared = localDeclarations(target);
        if (declared.length > 0) return declared;
        // `const { sendEmail } = createEmailSender(fastify)`: the member of what the initializer gives.
        const binding = localBindingElement(target);
        return binding ? this.destructuredValues(binding, depth + 1) : [];
      }
      return this.resolveName(target.getSourceFile(), target.text, depth + 1);
    }
    if (ts.isCallExpression(target)) {
      const required = this.modules && requiredPath(target);
      if (!required) return this.returnedInstances(target, depth + 1);
      const file = this.modules?.moduleFile(target.getSourceFile().fileName, required.module);
      return file ? this.valuesAtPath([new ModuleValue(file)], required.path, depth + 1) : [];
    }
    const memberName = ts.isPropertyAccessExpression(target) ? target.name.text : ts.isElementAccessExpression(target) && ts.isStringLiteralLike(target.argumentExpression) ? target.argumentExpression.text : undefined;
    if (memberName === undefined || !(ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target))) return [];
    const owner = skipOuterExpressions(target.expression);
    if (owner.kind === SyntaxKind.ThisKeyword) {
      // module.exports = { count() {…}, list() { this.count() } }: a method's `this` is its object.
      const literal = objectOfMethod(owner);
      if (literal) return literal.properties.filter((property) => property.name !== undefined && propertyNameText(property.name) === memberName);
      const enclosing = enclosingClass(owner);
      if (!enclosing) {
        // Game.prototype.addPlayer = function () { this.sendToAll(…) }: a method on the same prototype.
        const constructor = prototypeOwnerDeclaration(owner) ?? constructorFunctionAround(owner);
        const members = (constructor ? [constructor] : this.borrowingConstructors(owner)).flatMap((declaration) => this.constructorFunctionMembers(declaration, memberName, depth + 1));
        if (members.length > 0 || !ts.isPropertyAccessExpression(target)) return members;
        // `this.event` set from the constructor function's parameter: what its creators hand it (`new Scheduler(event)`).
        return this.constructorFunctionArguments(target, depth + 1).flatMap((argument) => (ts.isNewExpression(skipOuterExpressions(argument)) ? [] : this.valuesOf(argument, depth + 1)));
      }
      if (enclosing.isStatic) return this.staticMembers(enclosing.declaration, memberName, depth + 1);
      const members = this.instanceMembers(enclosing.declaration, memberName, depth + 1);
      const parameter = members.length === 0 && ts.isPropertyAccessExpression(target) ? fieldParameter(enclosing.declaration, memberName) : undefined;
      // `this.monitor`, set from the constructor's parameter (`constructor(monitor) { this.monitor = monitor }`): what the code creating the class hands it.
      return parameter ? this.argumentsOf(parameter, depth + 1).flatMap((argument) => (ts.isNewExpression(skipOuterExpressions(argument)) ? [] : this.valuesOf(argument, depth + 1))) : members;
    }
    if (ts.isPropertyAccessExpression(owner) && owner.expression.kind === SyntaxKind.ThisKeyword) {
      // this.users.create(): the field's class, by its declared type or `new` initializer.
      const enclosing = enclosingClass(owner);
      const typeNames = enclosing ? fieldTypeNames(enclosing.declaration, owner.name.text) : [];
      const typed = typeNames.flatMap((typeName) => this.declaredTypeMembers(owner.getSourceFile(), [typeName], memberName, depth + 1, true));
      if (!enclosing) return this.constructorFunctionFieldMembers(owner, memberName, depth + 1);
      if (typed.length > 0 || enclosing.isStatic) return typed;
      // `this.store = store` in the constructor: what the code creating the class hands that parameter (`new Db(dir, store)`).
      const parameter = fieldParameter(enclosing.declaration, owner.name.text);
      if (!parameter) return [];
      return this.argumentsOf(parameter, depth + 1).flatMap((argument) => this.membersOfArgument(argument, memberName, depth + 1));
    }
    // `Container.get(ScriptService).save()`: a member of the instance the container hands out.
    if (ts.isCallExpression(owner) && containerLookupArgument(owner)) return this.membersOfExpression(owner, memberName, depth + 1);
    return this.valuesAtPath(this.valuesOf(owner, depth + 1), [memberName], depth + 1);
  }

  private membersOfArgument(argument: ts.Expression, memberName: string, depth: number): Value[] {
    return ts.isNewExpression(skipOuterExpressions(argument)) ? this.membersOfExpression(argument, memberName, depth) : this.valuesOf(argument, depth).flatMap((value) => this.membersOf(value, memberName, depth));
  }

  /**
   * `this.scheduler.scheduleJob()` in a method of a constructor function (`Gateway.prototype.init = init`,
   * in its file or hung there from another): `function Gateway(…, scheduler) { this.scheduler = scheduler; }`
   * holds what the code creating it hands that parameter (`new Gateway(…, scheduler)`), as a class's
   * constructor does.
   */
  private constructorFunctionFieldMembers(field: ts.PropertyAccessExpression, memberName: string, depth: number): Value[] {
    const result: Value[] = [];
    for (const argument of this.constructorFunctionArguments(field, depth)) {
      for (const member of this.membersOfArgument(argument, memberName, depth + 1)) if (!result.includes(member)) result.push(member);
    }
    // `function Storage(config) { this.local = new LocalStorage(config) }`: what the constructor makes for the field itself.
    for (const constructor of this.constructorFunctionsOf(field)) {
      const fn = functionOfDeclaration(constructor);
      for (const made of fn ? constructorFunctionFieldInstances(fn, field.name.text) : []) {
        for (const member of this.membersOfArgument(made, memberName, depth + 1)) if (!result.includes(member)) result.push(member);
      }
    }
    return result;
  }

  /** The constructor functions a field written in a method is an instance field of (see `constructorFunctionArguments`). */
  private constructorFunctionsOf(field: ts.PropertyAccessExpression): ts.Node[] {
    const own = prototypeOwnerDeclaration(field);
    const constructors: ts.Node[] = own ? [own] : this.borrowingConstructors(field);
    if (constructors.length === 0) {
      const itself = moduleScopeFunction(field);
      if (itself) constructors.push(itself);
    }
    return constructors;
  }

  /**
   * What the creators of a constructor function hand the parameter it sets `this.field` to: the
   * function is the one whose prototype takes the method `field` is written in (its file, or hung there
   * from another), or the constructor function itself.
   */
  private constructorFunctionArguments(field: ts.PropertyAccessExpression, depth: number): ts.Expression[] {
    if (depth > MAX_DEPTH) return [];
    const result: ts.Expression[] = [];
    for (const constructor of this.constructorFunctionsOf(field)) {
      const fn = functionOfDeclaration(constructor);
      const index = fn ? constructorFunctionFieldParameter(fn, field.name.text) : undefined;
      if (!fn || index === undefined) continue;
      for (const created of this.constructionsOf(fn, depth + 1)) {
        const argument = created.arguments && created.arguments.length > index && !created.arguments.slice(0, index + 1).some(ts.isSpreadElement) ? created.arguments[index] : undefined;
        if (argument && !result.includes(argument)) result.push(argument);
      }
    }
    return result;
  }

  /** The member an object pattern takes from its initializer's values: `send` of `const { send } = createMailer()`, the factory's returned object's. */
  private destructuredValues(binding: ts.BindingElement, depth: number): Value[] {
    const declaration = binding.parent.parent;
    const name = propertyNameText(binding.propertyName ?? binding.name);
    if (!ts.isVariableDeclaration(declaration) || !declaration.initializer || name === undefined || depth > MAX_DEPTH) return [];
    let made = skipOuterExpressions(declaration.initializer);
    if (ts.isAwaitExpression(made)) made = skipOuterExpressions(made.expression);
    return this.valuesOf(made, depth + 1).flatMap((value) => this.membersOf(value, name, depth + 1));
  }

  /**
   * The instances a call returns when its function makes them: `return new Store()`, and the singleton
   * accessor (`static getInstance() { if (!C.instance) C.instance = new C(); return C.instance; }`,
   * `return (instance ??= new Cache())`), so `Server.getInstance().send()` reaches `send`.
   */
  private returnedInstances(call: ts.CallExpression, depth: number): Value[] {
    if (depth > MAX_DEPTH) return [];
    // `rooms.get(id)` of a Map that only ever holds `new Room(…)`: one of those rooms.
    const kept = this.instancesKeptIn(call, depth + 1);
    if (kept.length > 0) return kept;
    const result: Value[] = [];
    for (const value of this.valuesOf(call.expression, depth + 1)) {
      for (const declaration of value instanceof ModuleValue ? [] : this.declarationsOfValue(value, depth + 1)) {
        const fn = functionOfDeclaration(declaration);
        if (fn) for (const made of instancesReturnedBy(fn)) if (!result.includes(made)) result.push(made);
        // `function getRoom(socket) { return roomList.get(socket.room_id) || null }`: a room the Map holds.
        if (fn) for (const read of mapReadsReturnedBy(fn)) for (const made of this.instancesKeptIn(read, depth + 1)) if (!result.includes(made)) result.push(made);
        const self = fn && objectReturningItself(fn);
        if (self && !result.includes(self)) result.push(self);
        if (fn) for (const made of factoryResults(fn)) if (!result.includes(made)) result.push(made);
        // `getHandler(…): IMailHandler` returning what a lookup found (`this.handlers.find(…)`): an instance of the type it is declared to return.
        const declared = fn && declaredReturnType(fn);
        if (declared && !result.includes(declared)) result.push(declared);
        // `wrapController(usersController)`: an object with the argument's members, each wrapped.
        const wrapped = fn && memberWiseParameter(fn);
        const argument = wrapped === undefined ? undefined : call.arguments[wrapped];
        if (argument) for (const member of this.valuesOf(argument, depth + 1)) if (!result.includes(member)) result.push(member);
      }
      // `require('./cache')(env, ctx)`: a module that is its factory; `Storage(config)` of a module that is a
      // constructor function guarding its calls without `new` (`if (!(this instanceof Storage)) return new Storage(config)`).
      if (value instanceof ModuleValue) {
        for (const declaration of this.declarationsOfValue(value, depth + 1)) {
          const fn = functionOfDeclaration(declaration);
          if (fn) for (const made of [...factoryResults(fn), ...instancesReturnedBy(fn)]) if (!result.includes(made)) result.push(made);
        }
      }
    }
    return result;
  }

  /**
   * The instances a Map read (`rooms.get(id)`) hands back, when the Map is a variable or a class's field
   * made empty (`new Map()`) and every `set` of it stores a `new Room(…)` (directly or through a local
   * made so): a registry of objects whose methods the code then calls on what it takes out. A Map that
   * also stores anything else answers nothing.
   */
  private instancesKeptIn(read: ts.CallExpression, depth: number): ts.NewExpression[] {
    const callee = skipOuterExpressions(read.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'get' || read.arguments.length !== 1 || depth > MAX_DEPTH) return [];
    const result: ts.NewExpression[] = [];
    for (const value of this.valuesOf(callee.expression, depth + 1)) {
      if (value instanceof ModuleValue || value instanceof GlobalValue) continue;
      for (const made of storedInstances(value)) if (!result.includes(made)) result.push(made);
    }
    return result;
  }

  /** A module-scope name of a file: its own declaration, or what the import it comes from exports. */
  private resolveName(file: ts.SourceFile, name: string, depth: number): Value[] {
    let byName = this.names.get(file);
    if (!byName) {
      byName = new Map();
      this.names.set(file, byName);
    }
    const cached = byName.get(name);
    if (cached) return cached;
    byName.set(name, []); // a cycle resolves to nothing
    const facts = getFileFacts(file);
    let values: Value[] = [];
    const binding = facts.imports.get(name);
    if (binding && this.modules && depth <= MAX_DEPTH) {
      const moduleFile = this.modules.moduleFile(file.fileName, binding.module);
      if (moduleFile) values = this.valuesAtPath([new ModuleValue(moduleFile)], binding.path, depth + 1);
    }
    if (values.length === 0) {
      const declaration = facts.topLevel.get(name);
      if (declaration) values = [declaration];
      // `exports.emitUsers(socket)` in a CommonJS module calls what the module exports under that name.
      else if (name === 'exports' && !binding) values = [new ModuleValue(file)];
      else if (!binding) {
        const namespace = this.globalNamespace(name);
        if (namespace) values = [new GlobalValue(namespace)];
      }
    }
    // An answer cut short by the step budget is this question's, not the name's.
    if (this.steps > MAX_STEPS) byName.delete(name);
    else byName.set(name, values);
    return values;
  }

  /**
   * The constructor functions whose prototype takes, in another file, the module-scope function around
   * `node` as a method: `const { setupPoll } = require('./device.setupPoll'); Device.prototype.setupPoll = setupPoll;`.
   * That function's `this` is their instance. Found among the files that assign a prototype member
   * and name the function's module.
   */
  private borrowingConstructors(node: ts.Node): ts.Declaration[] {
    const fn = moduleScopeFunction(node);
    const filesMatching = this.modules?.filesMatching;
    if (!fn || !filesMatching) return [];
    const known = this.borrowers.get(fn);
    if (known) return known;
    const found: ts.Declaration[] = [];
    this.borrowers.set(fn, found); // a cycle finds nothing more
    const file = fn.getSourceFile();
    const stem = moduleStem(file.fileName);
    for (const borrower of filesMatching(PROTOTYPE_MEMBER_ASSIGNMENT)) {
      if (borrower === file || !borrower.text.includes(stem)) continue;
      for (const statement of borrower.statements) {
        if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression) || statement.expression.operatorToken.kind !== SyntaxKind.EqualsToken) continue;
        const { left, right } = statement.expression;
        const value = skipOuterExpressions(right);
        if (!ts.isPropertyAccessExpression(left) || !ts.isPropertyAccessExpression(left.expression) || left.expression.name.text !== 'prototype' || !ts.isIdentifier(left.expression.expression)) continue;
        if (!ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value)) continue;
        if (!this.declarationsOf(value).some((declaration) => functionOfDeclaration(declaration) === fn)) continue;
        const constructor = getFileFacts(borrower).topLevel.get(left.expression.expression.text);
        if (constructor && !found.includes(constructor)) found.push(constructor);
      }
    }
    return found;
  }

  private readonly borrowers = new WeakMap<FunctionNode, ts.Declaration[]>();

  /** The global namespace a name stands for where no declaration or import binds it (`WIKI` after `global.WIKI = …`). */
  globalNamespace(name: string): GlobalNamespace | undefined {
    const filesMatching = this.modules?.filesMatching;
    if (!filesMatching) return undefined;
    const known = this.globals.get(name);
    if (known) return known;
    this.globalRoots ??= globalNamespaceRoots(filesMatching);
    const roots = this.globalRoots.get(name);
    if (!roots) return undefined;
    const namespace: GlobalNamespace = { roots, members: globalNamespaceMembers(name, roots, filesMatching) };
    this.globals.set(name, namespace);
    return namespace;
  }

  /** The context object a parameter or variable of this name stands for (`ctx` after `ctx.cache = require('./cache')(env, ctx)`). */
  contextObject(name: string): ContextObject | undefined {
    const filesMatching = this.modules?.filesMatching;
    if (!filesMatching) return undefined;
    const known = this.contexts.get(name);
    if (known) return known;
    this.contextNames ??= contextObjectNames(filesMatching);
    if (!this.contextNames.has(name)) return undefined;
    const context: ContextObject = { members: contextObjectMembers(name, filesMatching) };
    this.contexts.set(name, context);
    return context;
  }

  /**
   * The arguments a module's factory is called with, for one of its parameters: `module.exports = init`
   * (or `= function (env, ctx) {…}`) called as `require('./m')(env, ctx)` in the project's files; for
   * any other function, the calls its own file makes of it (`ownFileCallsOf`).
   */
  private argumentsOf(parameter: ts.ParameterDeclaration, depth: number): readonly ts.Expression[] {
    const fn = parameter.parent;
    if (depth > MAX_DEPTH || !isFunctionNode(fn)) return [];
    const index = fn.parameters.indexOf(parameter);
    if (index < 0 || parameter.dotDotDotToken) return [];
    // A constructor's parameter: what the module that creates the class it exports hands it (`new Db(dir, store)`).
    if (ts.isConstructorDeclaration(fn)) {
      return this.constructionsOf(fn.parent, depth + 1).flatMap((created) => (created.arguments && created.arguments.length > index && !created.arguments.slice(0, index + 1).some(ts.isSpreadElement) ? [created.arguments[index]] : []));
    }
    const factory = this.modules?.filesMatching ? this.factoryCallsOf(fn.getSourceFile(), depth + 1) : undefined;
    // Its own file's calls only a few steps from the parameter asked about: each argument may be another function's
    // parameter, and following every file call of every one of them grows with the file's calls to that power
    // (YMFE/yapi's untyped lint ran for more than 20 minutes at MAX_DEPTH; 6 s at 4, which NodeBB's mounts need).
    const calls = factory?.fn === fn ? factory.calls : depth <= OWN_FILE_CALL_DEPTH ? ownFileCallsOf(fn) : [];
    return calls.flatMap((call) => (call.arguments.length > index && !call.arguments.slice(0, index + 1).some(ts.isSpreadElement) ? [call.arguments[index]] : []));
  }

  /**
   * `new X(…)` of a class a module exports (`module.exports = class Db {…}`), in the files that require it
   * by its name, and in its own file; once per class. A class no module exports as a whole is left out.
   */
  private constructionsOf(declaration: ts.ClassLikeDeclaration | FunctionNode, depth: number): readonly ts.NewExpression[] {
    const known = this.constructions.get(declaration);
    if (known) return known;
    const found: ts.NewExpression[] = [];
    this.constructions.set(declaration, found); // a cycle finds none
    const file = declaration.getSourceFile();
    // A class, or a constructor function (`const Scheduler = function Scheduler(event) {…}; module.exports = Scheduler`).
    const made = (value: ts.Node): ts.Node[] => {
      if (ts.isClassLike(declaration)) return classesOf(value);
      const fn = functionOfDeclaration(value);
      return fn ? [fn] : [];
    };
    const exported = this.moduleDefault(file).flatMap((value) => this.declarationsOfValue(value, depth + 1)).flatMap(made);
    // Or exported by its name (`export class InstanceController`, `module.exports = { InstanceController }`), made by the module that wires the services.
    const name = ts.isClassLike(declaration) ? declaration.name?.text : undefined;
    const exportedByName = (): boolean => name !== undefined && this.exportOf(file, name, depth + 1, new Set()).flatMap((value) => this.declarationsOfValue(value, depth + 1)).flatMap(made).includes(declaration);
    if (!(exported.includes(declaration) || exportedByName()) || !this.modules?.filesMatching) return found;
    const base = file.fileName.replace(/(?:\/index)?\.[cm]?[jt]sx?$/, '').replace(/^.*\//, '');
    const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const callers = new Set([file, ...this.modules.filesMatching(new RegExp(`(?:require\\s*\\(\\s*|from\\s*)['"][^'"]*\\b${escaped}(?:\\.[cm]?[jt]s)?['"]`))]);
    for (const caller of callers) {
      // A script or a test that makes the class with other parts (`new Catalog(new DiskBlobs())` in scripts/) hands a request nothing.
      if (isNonServerPath(pathBelowCommonFolder(caller.fileName, file.fileName))) continue;
      for (const { node } of getFileFacts(caller).calls) {
        if (!ts.isNewExpression(node)) continue;
        const classes = this.valuesOf(node.expression, depth + 1).flatMap((value) => this.declarationsOfValue(value, depth + 1)).flatMap(made);
        if (classes.includes(declaration)) found.push(node);
      }
    }
    return found;
  }

  /** A module that is a factory (`module.exports = init`), and the `require('./m')(…)` calls of it in the project's files; once per file. */
  private factoryCallsOf(file: ts.SourceFile, depth: number): { fn: FunctionNode; calls: ts.CallExpression[] } | undefined {
    if (this.factoryCalls.has(file)) return this.factoryCalls.get(file);
    this.factoryCalls.set(file, undefined); // a cycle finds none
    const fn = this.moduleDefault(file).flatMap((exported) => this.declarationsOfValue(exported, depth + 1)).map(functionOfDeclaration).find((found) => found !== undefined);
    if (!fn) return undefined;
    // `require('../authorization')` names `authorization/index.js` by its folder.
    const base = file.fileName.replace(/(?:\/index)?\.[cm]?[jt]sx?$/, '').replace(/^.*\//, '');
    const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const calls: ts.CallExpression[] = [];
    for (const caller of this.modules?.filesMatching?.(new RegExp(`require\\s*\\(\\s*['"][^'"]*\\b${escaped}(?:\\.[cm]?js)?['"]\\s*\\)\\s*\\(`)) ?? []) {
      for (const { node } of getFileFacts(caller).calls) {
        if (!ts.isCallExpression(node)) continue;
        const required = requiredPath(node.expression);
        if (required && required.path.length === 0 && this.modules?.moduleFile(caller.fileName, required.module) === file) calls.push(node);
      }
    }
    const factory = { fn, calls };
    this.factoryCalls.set(file, factory);
    return factory;
  }

  private valuesAtPath(start: Value[], path: readonly string[], depth: number): Value[] {
    let current = start;
    for (const member of path) {
      if (depth > MAX_DEPTH) return [];
      current = current.flatMap((value) => this.membersOf(value, member, depth + 1));
    }
    return current;
  }

  /**
   * The elements of a list written as an array literal where the expression is, or where the binding or
   * field it names is declared (`handlers: Handler[] = [new ChatHandler(), new AdminHandler()]`); spreads left out.
   */
  private arrayElementsOf(expression: ts.Expression, depth: number): ts.Expression[] {
    const target = skipOuterExpressions(expression);
    const literals = ts.isArrayLiteralExpression(target)
      ? [target]
      : this.valuesOf(target, depth).flatMap((value) => {
          const initializer = value instanceof ModuleValue || value instanceof GlobalValue ? undefined : initializerOf(value);
          const literal = initializer && skipOuterExpressions(initializer);
          return literal && ts.isArrayLiteralExpression(literal) ? [literal] : [];
        });
    return literals.flatMap((literal) => literal.elements.filter((element) => !ts.isSpreadElement(element) && !ts.isOmittedExpression(element)));
  }

  /** `value.name`: an export of a module, a property of an object, a member of a class or of its instance. */
  private membersOf(value: Value, name: string, depth: number): Value[] {
    if (depth > MAX_DEPTH || ++this.steps > MAX_STEPS) return [];
    if (value instanceof ModuleValue) {
      const exported = this.exportOf(value.file, name, depth + 1, new Set());
      if (exported.length > 0) return exported;
      return this.moduleDefault(value.file).flatMap((whole) => this.membersOf(whole, name, depth + 1));
    }
    // What start-up put into the namespace (`global.WIKI = { kernel: require('./kernel') }`) and what any file assigned to it since.
    if (value instanceof GlobalValue) return [...value.namespace.roots.flatMap((root) => this.membersOf(root, name, depth + 1)), ...(value.namespace.members.get(name) ?? [])];
    // An instance of the type a function is declared to return.
    if (ts.isTypeReferenceNode(value)) {
      const typeName = typeReferenceName(value);
      return typeName ? this.declaredTypeMembers(value.getSourceFile(), typeName, name, depth + 1, true) : [];
    }
    // An object a method returns as `this` (`require('./system').init()`).
    if (ts.isObjectLiteralExpression(value)) return this.membersOfExpression(value, name, depth + 1);
    if (ts.isClassLike(value)) return this.staticMembers(value, name, depth + 1);
    if (ts.isNewExpression(value)) return this.membersOfExpression(value, name, depth + 1);
    // `return { store }` in a factory: the name as its scope binds it (a local of the factory, else the module's).
    if (ts.isShorthandPropertyAssignment(value)) return this.valuesOf(value.name, depth + 1).flatMap((v) => this.membersOf(v, name, depth + 1));
    const initializer = initializerOf(value);
    const members = initializer ? this.membersOfExpression(initializer, name, depth + 1) : [];
    if (members.length > 0) return members;
    // `for (const handler of this.handlers) handler.create(socket)` over `handlers = [new ChatHandler(), new AdminHandler()]`: each element's member.
    if (ts.isVariableDeclaration(value) && !value.initializer && ts.isVariableDeclarationList(value.parent) && ts.isForOfStatement(value.parent.parent)) {
      const elements = this.arrayElementsOf(value.parent.parent.expression, depth + 1);
      const fromElements = elements.flatMap((element) => this.membersOfExpression(element, name, depth + 1));
      if (fromElements.length > 0) return fromElements;
    }
    // `var thisGame;` in a connection handler, set by its events (`thisGame = lobby.newGame()`): what they assign.
    if (ts.isVariableDeclaration(value) && !value.initializer && ts.isIdentifier(value.name)) {
      // Each value read at this depth, as an initializer is: a handler's `lobby.newGame()` already sits near the resolver's depth limit.
      const assigned = valuesOfLocal(value.name).flatMap((expression) => this.valuesOf(expression, depth)).flatMap((v) => this.membersOf(v, name, depth + 1));
      if (assigned.length > 0) return assigned;
    }
    // `function api() { return api; } api.save = …; return api();` in a factory: what was hung on the name.
    const expandos = value instanceof ModuleValue || value instanceof GlobalValue ? [] : expandoMembers(value, name);
    if (expandos.length > 0) return expandos;
    // `const self = { onHold: new Set() }; self.upload = …; module.exports = self`: what the module hung on its object.
    const hung = value instanceof ModuleValue || value instanceof GlobalValue ? [] : moduleObjectMembers(value, name);
    if (hung.length > 0) return hung;
    // A module factory's parameter: what its callers hand it (`require('./endpoints')(env, authorization)`).
    if (ts.isParameter(value)) {
      const handed = this.argumentsOf(value, depth + 1).flatMap((argument) => this.valuesOf(argument, depth + 1)).flatMap((v) => this.membersOf(v, name, depth + 1));
      if (handed.length > 0) return handed;
    }
    // A factory's `ctx` parameter: what start-up assigned to `ctx.<name>` (`ctx.cache = require('./cache')(env, ctx)`).
    const context = (ts.isParameter(value) || (ts.isVariableDeclaration(value) && isEmptyObject(initializer))) && ts.isIdentifier(value.name) ? this.contextObject(value.name.text) : undefined;
    if (context) return [...(context.members.get(name) ?? [])];
    // `client: Client`, `manager!: ClientManager`, `const store: UploadStore = pick()`: an instance of the declared class.
    // `sockets: SocketManager.Sockets`: a class of a module imported as a namespace.
    // A variable or parameter declared with a class type; one declared with an interface is left to what it is given.
    const typeName = declaredClassName(value);
    return typeName ? this.declaredTypeMembers(value.getSourceFile(), typeName, name, depth + 1, false) : [];
  }

  /**
   * The members of an instance of a declared type (`Client`, `Sockets.Registry`): the class's own and
   * inherited ones. With `throughInterface`, for a type that names no class of the project (an
   * interface), the methods of that name of the project's classes that implement it (`implementsMembers`):
   * for a class's field (`this.provider.sendMessage()` with `provider: IEmailProvider`, which subclasses
   * or a DI container fill) and what a function is declared to return, seams nothing at the call says
   * more about. A variable or parameter is resolved by what it is given instead.
   */
  private declaredTypeMembers(file: ts.SourceFile, typeName: readonly string[], name: string, depth: number, throughInterface: boolean): Value[] {
    if (depth > MAX_DEPTH) return [];
    const [first, ...rest] = typeName;
    const classes = this.classesOfValues(this.valuesAtPath(this.resolveName(file, first, depth + 1), rest, depth + 1), depth + 1);
    if (classes.length > 0) return classes.flatMap((declaration) => this.instanceMembers(declaration, name, depth + 1));
    return throughInterface ? this.implementsMembers(typeName[typeName.length - 1], name, depth + 1) : [];
  }

  /**
   * `this.provider.sendMessage()` with `provider: IEmailProvider`, or a call of a function declared to
   * return an interface: the methods of that name in the project's classes whose `implements` clause
   * names the interface (found by name, as the checker finds them by symbol), when there are few: more
   * and the interface is a framework-wide contract, not one service's seam. Abstract members are left out.
   */
  private implementsMembers(interfaceName: string, name: string, depth: number): Value[] {
    if (depth > MAX_DEPTH || !this.modules?.implementersOf) return [];
    let classes = this.implementers.get(interfaceName);
    if (!classes) {
      classes = [];
      for (const file of this.modules.implementersOf(interfaceName)) {
        for (const declaration of getFileFacts(file).classes) {
          const implemented = declaration.heritageClauses?.some((clause) => clause.token === SyntaxKind.ImplementsKeyword && clause.types.some((type) => lastNameOf(type.expression) === interfaceName));
          if (implemented) classes.push(declaration);
        }
      }
      if (classes.length > MAX_IMPLEMENTATIONS) classes = [];
      this.implementers.set(interfaceName, classes);
    }
    return classes.flatMap((declaration) => this.instanceMembers(declaration, name, depth + 1)).filter((member) => functionOfDeclaration(member)?.body !== undefined);
  }

  private readonly implementers = new Map<string, ts.ClassDeclaration[]>();

  /** An instance's members of a name: the class's own, else those it inherits (`class BidService extends ObservableService`, the base in another file). */
  private instanceMembers(declaration: ts.ClassLikeDeclaration, name: string, depth: number): ts.Declaration[] {
    return this.inheritedMembers(declaration, name, false, depth);
  }

  /** A class's static members of a name: its own, else its base's (`BackupJob.start()` with `start` a static of `BaseJob`). */
  private staticMembers(declaration: ts.ClassLikeDeclaration, name: string, depth: number): ts.Declaration[] {
    return this.inheritedMembers(declaration, name, true, depth);
  }

  private inheritedMembers(declaration: ts.ClassLikeDeclaration, name: string, isStatic: boolean, depth: number): ts.Declaration[] {
    const own = classMembers(declaration, name, isStatic);
    if (own.length > 0 || depth > MAX_DEPTH) return own;
    const base = declaration.heritageClauses?.find((clause) => clause.token === SyntaxKind.ExtendsKeyword)?.types[0];
    const baseName = base && skipOuterExpressions(base.expression);
    if (!baseName || !ts.isIdentifier(baseName)) return own;
    return this.classesOfValues(this.resolveName(declaration.getSourceFile(), baseName.text, depth + 1), depth + 1)
      .filter((found) => found !== declaration)
      .flatMap((found) => this.inheritedMembers(found, name, isStatic, depth + 1));
  }

  /**
   * The members of a constructor function's instances: its prototype's own, else those its base gives
   * (`util.inherits(JsonStore, Store)`, `JsonStore.prototype = Object.create(Store.prototype)`), the base
   * a constructor function or a class, in its file or another.
   */
  private constructorFunctionMembers(constructor: ts.Node, name: string, depth: number): ts.Node[] {
    const own = prototypeMembers(constructor, name);
    if (own.length > 0 || depth > MAX_DEPTH) return own;
    const base = constructorFunctionBase(constructor);
    if (!base) return own;
    return this.valuesOf(base, depth + 1)
      .flatMap((value) => this.declarationsOfValue(value, depth + 1))
      .filter((declaration) => declaration !== constructor)
      .flatMap((declaration) => {
        const classes = classesOf(declaration);
        return classes.length > 0 ? classes.flatMap((found) => this.instanceMembers(found, name, depth + 1)) : this.constructorFunctionMembers(declaration, name, depth + 1);
      });
  }

  /** The classes values stand for: declared or written as expressions, re-bound (`module.exports = Store`), or a module's default export. */
  private classesOfValues(values: readonly Value[], depth: number): ts.ClassLikeDeclaration[] {
    return values.flatMap((value) => this.declarationsOfValue(value, depth + 1)).flatMap(classesOf);
  }

  private membersOfExpression(expression: ts.Expression, name: string, depth: number): Value[] {
    let value = skipOuterExpressions(expression);
    // `const state = await ServerState.create(config)`: what the awaited factory gives.
    if (ts.isAwaitExpression(value)) value = skipOuterExpressions(value.expression);
    // `const self = this`: the enclosing class's members.
    if (value.kind === SyntaxKind.ThisKeyword) {
      const enclosing = enclosingClass(value);
      return enclosing ? classMembers(enclosing.declaration, name, enclosing.isStatic) : [];
    }
    if (ts.isObjectLiteralExpression(value)) {
      const own = value.properties.filter((property) => propertyNameText(property.name) === name);
      if (own.length > 0) return own;
      // A barrel of other modules' exports: `module.exports = { ...chat, ...moderation }`.
      return value.properties.filter(ts.isSpreadAssignment).flatMap((spread) => this.membersOfExpression(spread.expression, name, depth + 1));
    }
    // `module.exports = class UserController { static async login(ctx) {…} }`: its static members.
    if (ts.isClassExpression(value)) return classMembers(value, name, true);
    // The same barrel built with `Object.assign({}, chat, moderation)`.
    if (ts.isCallExpression(value) && isObjectAssign(value.expression)) return value.arguments.flatMap((source) => this.membersOfExpression(source, name, depth + 1));
    if (ts.isNewExpression(value)) {
      const constructors = this.valuesOf(value.expression, depth + 1).flatMap((v) => this.declarationsOfValue(v, depth + 1));
      return constructors.flatMap((constructor) => {
        const classes = classesOf(constructor);
        return classes.length > 0 ? classes.flatMap((declaration) => classMembers(declaration, name, false)) : this.constructorFunctionMembers(constructor, name, depth + 1);
      });
    }
    if (ts.isCallExpression(value)) {
      // The revealing module pattern: `const Api = (() => { function save() {…} return { save }; })()`.
      const callee = skipOuterExpressions(value.expression);
      if (ts.isFunctionExpression(callee) || ts.isArrowFunction(callee)) return returnedObjectLiterals(callee).flatMap((object) => object.properties.filter((property) => propertyNameText(property.name) === name));
      // `Container.get(UserService)`, `container.resolve(MailService)`, `app.get(UsersService)`: the container's instance of the class it is handed.
      const looked = containerLookupArgument(value);
      const classes = looked ? this.classesOfValues(this.valuesOf(looked, depth + 1), depth + 1) : [];
      if (classes.length > 0) return classes.flatMap((declaration) => this.instanceMembers(declaration, name, depth + 1));
    }
    if (ts.isIdentifier(value) || ts.isPropertyAccessExpression(value) || ts.isCallExpression(value)) {
      return this.valuesOf(value, depth + 1).flatMap((v) => this.membersOf(v, name, depth + 1));
    }
    return [];
  }

  private exportOf(file: ts.SourceFile, name: string, depth: number, visited: Set<ts.SourceFile>): Value[] {
    if (depth > MAX_DEPTH || visited.has(file)) return [];
    visited.add(file);
    const exports = moduleExportsOf(file);
    const targets = exports.named.get(name);
    if (targets) return targets.flatMap((target) => this.exportTarget(file, target, depth + 1));
    if (name === 'default' || !this.modules) return [];
    for (const specifier of exports.starSpecifiers) {
      const next = this.modules.moduleFile(file.fileName, specifier);
      const found = next ? this.exportOf(next, name, depth + 1, visited) : [];
      if (found.length > 0) return found;
    }
    return [];
  }

  private exportTarget(file: ts.SourceFile, target: ExportTarget, depth: number): Value[] {
    if (target.kind === 'node') return [target.node];
    if (target.kind === 'local') return this.resolveName(file, target.name, depth + 1);
    const next = this.modules?.moduleFile(file.fileName, target.specifier);
    if (!next) return [];
    if (target.name === '*') return [new ModuleValue(next)];
    const found = this.exportOf(next, target.name, depth + 1, new Set());
    return found.length > 0 || target.name !== 'default' ? found : this.moduleDefault(next);
  }

  /** What a module is as one value: its default export, or `module.exports = …`. */
  private moduleDefault(file: ts.SourceFile): Value[] {
    const exports = moduleExportsOf(file);
    const result: Value[] = [...(exports.named.get('default') ?? []).filter((t) => t.kind === 'node').map((t) => (t as { node: ts.Node }).node)];
    if (exports.commonJsValue) result.push(exports.commonJsValue);
    return result;
  }

  /** Declarations a value stands for, looking through re-bindings (`export default handler`, `module.exports = router`, `{ login }`). */
  private declarationsOfValue(value: Value, depth: number): ts.Declaration[] {
    if (depth > MAX_DEPTH) return [];
    if (value instanceof ModuleValue) return this.moduleDefault(value.file).flatMap((whole) => this.declarationsOfValue(whole, depth + 1));
    if (value instanceof GlobalValue) return value.namespace.roots.flatMap((root) => this.declarationsOfValue(root, depth + 1));
    // An instance of a declared return type has members, and no declaration of its own.
    if (ts.isTypeReferenceNode(value)) return [];
    if (ts.isShorthandPropertyAssignment(value)) return this.valuesOf(value.name, depth + 1).flatMap((v) => this.declarationsOfValue(v, depth + 1));
    // `const addFailedRequest = ipDelayList.addFailedRequest`: the function it names.
    const aliasesMember = ts.isVariableDeclaration(value) && value.initializer !== undefined && ts.isPropertyAccessExpression(skipOuterExpressions(value.initializer));
    const initializer = ts.isExportAssignment(value) || ts.isBinaryExpression(value) || ts.isPropertyAssignment(value) || isCommonJsTarget(value) || aliasesMember ? initializerOf(value) : undefined;
    if (initializer) {
      const inner = skipOuterExpressions(initializer);
      // `export default router`, `module.exports = require('./x')`, `{ login: loginHandler }`: the value's own declarations.
      if (ts.isIdentifier(inner) || (ts.isCallExpression(inner) && requiredPath(inner) !== undefined) || ts.isPropertyAccessExpression(inner)) {
        const through = this.valuesOf(inner, depth + 1).flatMap((v) => this.declarationsOfValue(v, depth + 1));
        // An alias stands for the member only when that is a function to call: a data member stays the variable's own.
        if (through.length > 0 && (!aliasesMember || through.every((declaration) => functionOfDeclaration(declaration) !== undefined))) return through;
      }
      // `storage.createSubject = create(subjects)` where `create` returns its own `function doCreate`: the function made.
      if (ts.isCallExpression(inner) && requiredPath(inner) === undefined) {
        const made = this.returnedInstances(inner, depth + 1).filter((node): node is ts.FunctionDeclaration => !(node instanceof ModuleValue) && !(node instanceof GlobalValue) && ts.isFunctionDeclaration(node));
        if (made.length > 0) return made;
      }
    }
    return [value as ts.Declaration];
  }
}

/** No initializer, or `{}`: an object whose members are assigned later. */
/**
 * The class a dependency-injection container is asked for: `Container.get(UserService)` (typedi),
 * `container.resolve(MailService)` (tsyringe, awilix's classes), `app.get(UsersService)` and
 * `this.moduleRef.get(JobsService)` (Nest). The container makes one instance and hands it out; the
 * argument must name a class for the call to count (a Map read with a class key is no such lookup).
 */
function containerLookupArgument(call: ts.CallExpression): ts.Expression | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !CONTAINER_LOOKUPS.has(callee.name.text) || call.arguments.length !== 1) return undefined;
  const receiver = skipOuterExpressions(callee.expression);
  const receiverName = ts.isIdentifier(receiver) ? receiver.text : ts.isPropertyAccessExpression(receiver) ? receiver.name.text : undefined;
  if (receiverName === undefined || !CONTAINER_RECEIVER.test(receiverName)) return undefined;
  const argument = skipOuterExpressions(call.arguments[0]);
  const className = ts.isIdentifier(argument) ? argument.text : ts.isPropertyAccessExpression(argument) ? argument.name.text : undefined;
  return className !== undefined && /^[A-Z]/.test(className) ? argument : undefined;
}

const CONTAINER_LOOKUPS = new Set(['get', 'resolve']);
/** `Container`, `container`, `diContainer`, `injector`, `moduleRef`, a Nest application (`app`, `nestApp`). */
const CONTAINER_RECEIVER = /^(?:\w*[cC]ontainer|injector|moduleRef|app|nestApp|application)$/;

function isEmptyObject(initializer: ts.Expression | undefined): boolean {
  const value = initializer && skipOuterExpressions(initializer);
  return value === undefined || (ts.isObjectLiteralExpression(value) && value.properties.length === 0);
}

/** `Object.assign` */
/** `Object.assign(target, …sources)` and its library twins (lodash's and underscore's `extend`, the `extend` package): the target gets every source's members. */
export function isObjectAssign(callee: ts.Expression): boolean {
  const value = skipOuterExpressions(callee);
  if (ts.isPropertyAccessExpression(value) && value.name.text === 'assign' && ts.isIdentifier(value.expression) && value.expression.text === 'Object') return true;
  // lodash's and underscore's `_.extend(new EventEmitter(), { add() {…} })`, the `extend` and `xtend` packages: the same copy of members.
  const member = resolveImportedMember(value, getFileFacts(value.getSourceFile()).imports);
  if (!member) return false;
  if (EXTEND_PACKAGES.has(member.module)) return member.path.length === 0 || (member.path.length === 1 && member.path[0] === 'default');
  return /^(?:lodash|underscore)(?:\/|$)/.test(member.module) && EXTEND_METHODS.has(member.path[member.path.length - 1] ?? member.module.split('/').pop() ?? '');
}

const EXTEND_PACKAGES = new Set(['extend', 'xtend', 'object-assign']);
/** lodash's and underscore's functions that copy the sources' own (and inherited) members onto the target. */
const EXTEND_METHODS = new Set(['extend', 'assign', 'assignIn', 'merge', 'defaults']);

function isCommonJsTarget(node: ts.Node): node is ts.PropertyAccessExpression | ts.ElementAccessExpression {
  return (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && ts.isBinaryExpression(node.parent) && node.parent.left === node;
}

const ownFileCalls = new WeakMap<FunctionNode, ts.CallExpression[]>();
const OWN_FILE_CALL_DEPTH = 4;

/**
 * The calls its own file makes of a function, by the name it is kept under: `function mount(app, controllers)`
 * called as `mount(router, controllers)`, `_mounts.main = (app, middleware, controllers) => …` called as
 * `_mounts.main(router, middleware, controllers)` (the same owner). A parameter of such a function holds
 * what those calls hand it. Calls from inside the function itself are left out.
 */
function ownFileCallsOf(fn: FunctionNode): ts.CallExpression[] {
  let calls = ownFileCalls.get(fn);
  if (calls) return calls;
  calls = [];
  ownFileCalls.set(fn, calls);
  let holder: ts.Node = fn.parent;
  while (ts.isParenthesizedExpression(holder)) holder = holder.parent;
  let name: string | undefined;
  let owner: string | undefined;
  if (ts.isFunctionDeclaration(fn)) name = fn.name?.text;
  else if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) name = holder.name.text;
  else if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isBinaryExpression(holder) && holder.operatorToken.kind === SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(holder.left) && ts.isIdentifier(holder.left.expression)) {
    name = holder.left.name.text;
    owner = holder.left.expression.text;
  }
  if (name === undefined) return calls;
  for (const { node } of getFileFacts(fn.getSourceFile()).calls) {
    if (!ts.isCallExpression(node) || (node.pos >= fn.pos && node.end <= fn.end)) continue;
    const callee = skipOuterExpressions(node.expression);
    const matches = owner === undefined ? ts.isIdentifier(callee) && callee.text === name : ts.isPropertyAccessExpression(callee) && callee.name.text === name && ts.isIdentifier(callee.expression) && callee.expression.text === owner;
    if (matches) calls.push(node);
  }
  return calls;
}

/** The expression a declaration binds: a variable's or property's initializer, the right side of an export assignment. */
export function initializerOf(node: ts.Node): ts.Expression | undefined {
  if (ts.isVariableDeclaration(node) || ts.isPropertyAssignment(node) || ts.isPropertyDeclaration(node)) return node.initializer;
  if (ts.isExportAssignment(node)) return node.expression;
  if (ts.isBinaryExpression(node)) return node.right;
  if (isCommonJsTarget(node)) return (node.parent as ts.BinaryExpression).right;
  return undefined;
}

/** Object literals a function expression returns from its own body (not from functions inside it). */
function returnedObjectLiterals(fn: ts.FunctionExpression | ts.ArrowFunction): ts.ObjectLiteralExpression[] {
  if (!ts.isBlock(fn.body)) {
    const value = skipOuterExpressions(fn.body);
    return ts.isObjectLiteralExpression(value) ? [value] : [];
  }
  const result: ts.ObjectLiteralExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      const value = skipOuterExpressions(node.expression);
      if (ts.isObjectLiteralExpression(value)) result.push(value);
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return result;
}

/** The function a declaration is: a function or method with a body, or a binding whose value is a function expression (`const f = () => …`, `exports.save = function …`). */
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

/**
 * The `new X()` expressions a function returns from its own body: returned directly, assigned with
 * `??=`/`||=`, or assigned to what it returns (`C.instance = new C(); return C.instance`).
 */
function instancesReturnedBy(fn: ts.FunctionLikeDeclaration): readonly ts.NewExpression[] {
  let instances = returnedInstancesCache.get(fn);
  if (!instances) {
    instances = collectReturnedInstances(fn);
    returnedInstancesCache.set(fn, instances);
  }
  return instances;
}

const returnedInstancesCache = new WeakMap<ts.FunctionLikeDeclaration, readonly ts.NewExpression[]>();

function collectReturnedInstances(fn: ts.FunctionLikeDeclaration): ts.NewExpression[] {
  if (!fn.body) return [];
  const returned: ts.Expression[] = [];
  const assigned: { target: string; value: ts.NewExpression }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) returned.push(node.expression);
    if (ts.isBinaryExpression(node) && isAssignment(node.operatorToken.kind)) {
      const value = skipOuterExpressions(node.right);
      if (ts.isNewExpression(value)) assigned.push({ target: skipOuterExpressions(node.left).getText(), value });
    }
    // var game = new Game(code); this.games.push(game); return game;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isNewExpression(skipOuterExpressions(node.initializer))) {
      assigned.push({ target: node.name.text, value: skipOuterExpressions(node.initializer) as ts.NewExpression });
    }
    ts.forEachChild(node, visit);
  };
  if (ts.isBlock(fn.body)) ts.forEachChild(fn.body, visit);
  else returned.push(fn.body);
  const result: ts.NewExpression[] = [];
  for (const expression of returned) {
    const value = skipOuterExpressions(expression);
    if (ts.isNewExpression(value)) result.push(value);
    else if (ts.isBinaryExpression(value) && isAssignment(value.operatorToken.kind) && ts.isNewExpression(skipOuterExpressions(value.right))) result.push(skipOuterExpressions(value.right) as ts.NewExpression);
    else if (ts.isIdentifier(value) || ts.isPropertyAccessExpression(value)) {
      const text = value.getText();
      for (const assignment of assigned) if (assignment.target === text) result.push(assignment.value);
    }
  }
  return result;
}

/** The Map reads a function returns: `return rooms.get(id)`, `return rooms.get(id) || null`, `=> rooms.get(id)!`. */
function mapReadsReturnedBy(fn: ts.FunctionLikeDeclaration): ts.CallExpression[] {
  if (!fn.body) return [];
  const returned: ts.Expression[] = [];
  if (ts.isBlock(fn.body)) {
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
      if (ts.isReturnStatement(node) && node.expression) returned.push(node.expression);
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(fn.body, visit);
  } else returned.push(fn.body);
  const reads: ts.CallExpression[] = [];
  for (const expression of returned) {
    let value = skipOuterExpressions(expression);
    // `rooms.get(id) || null`, `?? undefined`: the read, or nothing.
    if (ts.isBinaryExpression(value) && (value.operatorToken.kind === SyntaxKind.BarBarToken || value.operatorToken.kind === SyntaxKind.QuestionQuestionToken) && isNothing(value.right)) value = skipOuterExpressions(value.left);
    if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(skipOuterExpressions(value.expression)) && (skipOuterExpressions(value.expression) as ts.PropertyAccessExpression).name.text === 'get') reads.push(value);
  }
  return reads;
}

function isNothing(expression: ts.Expression): boolean {
  const value = skipOuterExpressions(expression);
  return value.kind === SyntaxKind.NullKeyword || (ts.isIdentifier(value) && value.text === 'undefined');
}

const storedInstancesCache = new WeakMap<ts.Node, readonly ts.NewExpression[]>();

/**
 * What every `set` of a Map stores, when each stores a `new X(…)` (or a local made so): the Map is a
 * variable (`const rooms = new Map()`, its sets where the name is not shadowed) or a class's field
 * (`rooms = new Map()`, `this.rooms = new Map()` in its constructor, its sets `this.rooms.set(…)` in the class).
 */
export function storedInstances(declaration: ts.Node): readonly ts.NewExpression[] {
  let found = storedInstancesCache.get(declaration);
  if (found) return found;
  found = collectStoredInstances(declaration);
  storedInstancesCache.set(declaration, found);
  return found;
}

/** The values the `map.set(key, value)` calls in `scope` store, for the Map `isTheMap` recognises. */
export function valuesSetInto(scope: ts.Node, isTheMap: (target: ts.Expression) => boolean): ts.Expression[] {
  const stored: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length === 2) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'set' && isTheMap(skipOuterExpressions(callee.expression))) stored.push(skipOuterExpressions(node.arguments[1]));
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return stored;
}

function collectStoredInstances(declaration: ts.Node): ts.NewExpression[] {
  const isEmptyMap = (initializer: ts.Expression | undefined): boolean => {
    const value = initializer && skipOuterExpressions(initializer);
    return value !== undefined && ts.isNewExpression(value) && ts.isIdentifier(value.expression) && value.expression.text === 'Map' && (value.arguments?.length ?? 0) === 0;
  };
  let scope: ts.Node | undefined;
  let isTheMap: (target: ts.Expression) => boolean;
  if (ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) && isEmptyMap(declaration.initializer)) {
    const name = declaration.name.text;
    const statement = declaration.parent.parent;
    const topLevel = ts.isVariableStatement(statement) && ts.isSourceFile(statement.parent);
    scope = topLevel ? declaration.getSourceFile() : statement.parent;
    isTheMap = (target) => ts.isIdentifier(target) && target.text === name && (topLevel ? !isShadowed(target, name) : localDeclarations(target)[0] === declaration);
  } else {
    const field = fieldOfMap(declaration, isEmptyMap);
    if (!field) return [];
    scope = field.owner;
    isTheMap = (target) => ts.isPropertyAccessExpression(target) && target.expression.kind === SyntaxKind.ThisKeyword && target.name.text === field.name;
  }
  const result: ts.NewExpression[] = [];
  for (const value of valuesSetInto(scope, isTheMap)) {
    const made = ts.isNewExpression(value) ? value : ts.isIdentifier(value) ? localInitializer(value) : undefined;
    const instance = made && skipOuterExpressions(made);
    if (!instance || !ts.isNewExpression(instance) || !ts.isIdentifier(instance.expression) || instance.expression.text === 'Map' || instance.expression.text === 'Set') return [];
    result.push(instance);
  }
  return result;
}

/** `rooms = new Map()` of a class, or `this.rooms = new Map()` in its constructor: the field's name and its class. */
function fieldOfMap(declaration: ts.Node, isEmptyMap: (initializer: ts.Expression | undefined) => boolean): { name: string; owner: ts.ClassLikeDeclaration } | undefined {
  if (ts.isPropertyDeclaration(declaration) && ts.isClassLike(declaration.parent) && isEmptyMap(declaration.initializer)) {
    const name = propertyNameText(declaration.name);
    return name === undefined ? undefined : { name, owner: declaration.parent };
  }
  if (ts.isPropertyAccessExpression(declaration) && declaration.expression.kind === SyntaxKind.ThisKeyword && ts.isBinaryExpression(declaration.parent) && declaration.parent.left === declaration && isEmptyMap(declaration.parent.right)) {
    const owner = enclosingClass(declaration);
    return owner && !owner.isStatic ? { name: declaration.name.text, owner: owner.declaration } : undefined;
  }
  return undefined;
}

/** The object literal whose method returns `this` (`init() { …; return this }`): what a call of it gives back. */
function objectReturningItself(fn: FunctionNode): ts.ObjectLiteralExpression | undefined {
  const owner = ts.isMethodDeclaration(fn) ? fn.parent : ts.isFunctionExpression(fn) && ts.isPropertyAssignment(fn.parent) ? fn.parent.parent : undefined;
  if (!owner || !ts.isObjectLiteralExpression(owner) || !fn.body || !ts.isBlock(fn.body)) return undefined;
  let returnsThis = false;
  const visit = (node: ts.Node): void => {
    if (returnsThis || ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression && skipOuterExpressions(node.expression).kind === SyntaxKind.ThisKeyword) returnsThis = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return returnsThis ? owner : undefined;
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind === SyntaxKind.EqualsToken || kind === SyntaxKind.QuestionQuestionEqualsToken || kind === SyntaxKind.BarBarEqualsToken;
}

/**
 * `Store.prototype.set = function …` for a constructor function `function Store() {}` (or
 * `var Store = function () {}`), or a member of `Store.prototype = { set: function … }`: the members
 * its instances have, in ES5 code.
 */
function prototypeMembers(constructor: ts.Node, name: string): ts.Node[] {
  const constructorName = ts.isFunctionDeclaration(constructor) ? constructor.name?.text : ts.isVariableDeclaration(constructor) && ts.isIdentifier(constructor.name) && constructor.initializer && ts.isFunctionExpression(skipOuterExpressions(constructor.initializer)) ? constructor.name.text : undefined;
  if (!constructorName) return [];
  const found: ts.Node[] = [];
  for (const statement of constructor.getSourceFile().statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression) || statement.expression.operatorToken.kind !== SyntaxKind.EqualsToken) continue;
    const left = statement.expression.left;
    if (ts.isPropertyAccessExpression(left) && left.name.text === name && ts.isPropertyAccessExpression(left.expression) && left.expression.name.text === 'prototype' && ts.isIdentifier(left.expression.expression) && left.expression.expression.text === constructorName) {
      found.push(statement.expression);
    }
    const object = skipOuterExpressions(statement.expression.right);
    if (ts.isPropertyAccessExpression(left) && left.name.text === 'prototype' && ts.isIdentifier(left.expression) && left.expression.text === constructorName && ts.isObjectLiteralExpression(object)) {
      found.push(...object.properties.filter((property) => propertyNameText(property.name) === name));
    }
  }
  return found;
}

/**
 * The base a constructor function's file gives it, by the ES5 idioms of inheritance:
 * `util.inherits(Sub, Base)` (or the `inherits` package), `Sub.prototype = Object.create(Base.prototype)`,
 * `Object.setPrototypeOf(Sub.prototype, Base.prototype)`.
 */
function constructorFunctionBase(constructor: ts.Node): ts.Expression | undefined {
  const constructorName = ts.isFunctionDeclaration(constructor) ? constructor.name?.text : ts.isVariableDeclaration(constructor) && ts.isIdentifier(constructor.name) ? constructor.name.text : undefined;
  if (!constructorName) return undefined;
  const isConstructor = (node: ts.Expression | undefined): boolean => node !== undefined && ts.isIdentifier(skipOuterExpressions(node)) && (skipOuterExpressions(node) as ts.Identifier).text === constructorName;
  const prototypeOf = (node: ts.Expression | undefined): ts.Expression | undefined => {
    const value = node && skipOuterExpressions(node);
    return value && ts.isPropertyAccessExpression(value) && value.name.text === 'prototype' ? value.expression : undefined;
  };
  for (const statement of constructor.getSourceFile().statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    const expression = skipOuterExpressions(statement.expression);
    if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === SyntaxKind.EqualsToken && isConstructor(prototypeOf(expression.left))) {
      const right = skipOuterExpressions(expression.right);
      if (ts.isCallExpression(right) && right.expression.getText() === 'Object.create') return prototypeOf(right.arguments[0]);
    }
    if (!ts.isCallExpression(expression) || expression.arguments.length !== 2) continue;
    const callee = skipOuterExpressions(expression.expression);
    const calleeName = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (calleeName === 'inherits' && isConstructor(expression.arguments[0])) return expression.arguments[1];
    if (callee.getText() === 'Object.setPrototypeOf' && isConstructor(prototypeOf(expression.arguments[0]))) return prototypeOf(expression.arguments[1]);
  }
  return undefined;
}

const PROTOTYPE_MEMBER_ASSIGNMENT = /\.prototype\.[\w$]+\s*=\s*[\w$.]+\s*[;\n]/;

/** How a `require` names a file: its name without extension, or its folder's for an `index` file. */
function moduleStem(fileName: string): string {
  const parts = fileName.split(/[\\/]/);
  const base = parts[parts.length - 1].replace(/\.[cm]?[jt]sx?$/, '');
  return base === 'index' && parts.length > 1 ? parts[parts.length - 2] : base;
}

/**
 * The (non-arrow) function around `node` when it is declared at module scope of its file, `function
 * setupPoll() {…}` or `const setupPoll = function () {…}`: one another module may hang on a prototype.
 */
function moduleScopeFunction(node: ts.Node): FunctionNode | undefined {
  let fn: ts.Node | undefined = node.parent;
  while (fn && !(ts.isFunctionLike(fn) && !ts.isArrowFunction(fn))) fn = fn.parent;
  if (!fn) return undefined;
  if (ts.isFunctionDeclaration(fn) && fn.body && ts.isSourceFile(fn.parent)) return fn;
  if (ts.isFunctionExpression(fn) && ts.isVariableDeclaration(fn.parent) && ts.isSourceFile(fn.parent.parent.parent.parent)) return fn;
  return undefined;
}

/**
 * The top-level constructor function `node` is written in (`function SceneManager(event) { this.event.on(…,
 * this.check.bind(this)) }`, with `SceneManager.prototype.check = check` in its file): its `this` is the instance.
 */
function constructorFunctionAround(node: ts.Node): ts.Declaration | undefined {
  const fn = moduleScopeFunction(node);
  const declaration = fn && (ts.isFunctionDeclaration(fn) ? fn : ts.isVariableDeclaration(fn.parent) ? fn.parent : undefined);
  const name = declaration?.name && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
  if (!declaration || name === undefined || !new RegExp(`\\b${name}\\.prototype\\b`).test(declaration.getSourceFile().text)) return undefined;
  return declaration;
}

/**
 * The top-level declaration of the constructor function whose prototype the (non-arrow) function
 * around `node` is a method of, in the same file: `Lobby.prototype.add = function (…) {…}`, or a method
 * of `Lobby.prototype = {…}`.
 */
export function prototypeOwnerDeclaration(node: ts.Node): ts.Declaration | undefined {
  let fn: ts.Node | undefined = node.parent;
  while (fn && !(ts.isFunctionLike(fn) && !ts.isArrowFunction(fn))) fn = fn.parent;
  if (!fn) return undefined;
  let owner: ts.Expression | undefined;
  const assigned = (value: ts.Node): ts.Expression | undefined =>
    ts.isBinaryExpression(value.parent) && value.parent.right === value && value.parent.operatorToken.kind === SyntaxKind.EqualsToken ? skipOuterExpressions(value.parent.left) : undefined;
  // Lobby.prototype.add = function (…) {…}
  const target = ts.isFunctionExpression(fn) ? assigned(fn) : undefined;
  if (target && ts.isPropertyAccessExpression(target) && ts.isPropertyAccessExpression(target.expression) && target.expression.name.text === 'prototype') owner = target.expression.expression;
  // Lobby.prototype = { add: function (…) {…}, remove(…) {…} }
  const object = ts.isMethodDeclaration(fn) && ts.isObjectLiteralExpression(fn.parent) ? fn.parent : ts.isFunctionExpression(fn) && ts.isPropertyAssignment(fn.parent) && ts.isObjectLiteralExpression(fn.parent.parent) ? fn.parent.parent : undefined;
  const prototype = object && assigned(object);
  if (prototype && ts.isPropertyAccessExpression(prototype) && prototype.name.text === 'prototype') owner = prototype.expression;
  if (!owner || !ts.isIdentifier(owner)) return undefined;
  return getFileFacts(node.getSourceFile()).topLevel.get(owner.text);
}

export function enclosingClass(node: ts.Node): { declaration: ts.ClassLikeDeclaration; isStatic: boolean } | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if ((ts.isMethodDeclaration(current) || ts.isPropertyDeclaration(current) || ts.isGetAccessor(current) || ts.isSetAccessor(current)) && ts.isClassLike(current.parent)) {
      const isStatic = current.modifiers?.some((m) => m.kind === SyntaxKind.StaticKeyword) ?? false;
      return { declaration: current.parent, isStatic };
    }
    if (ts.isConstructorDeclaration(current) && ts.isClassLike(current.parent)) return { declaration: current.parent, isStatic: false };
    if (ts.isFunctionExpression(current) || ts.isFunctionDeclaration(current) || ts.isClassLike(current)) return undefined;
  }
  return undefined;
}

/**
 * A class a value stands for: its declaration, or the class expression a variable is initialised with
 * (`const Store = class {…}`) or a module exports (`module.exports = class Index {…}`).
 */
export function classesOf(value: ts.Node): ts.ClassLikeDeclaration[] {
  if (ts.isClassLike(value)) return [value];
  const initializer =
    ts.isVariableDeclaration(value) && value.initializer ? skipOuterExpressions(value.initializer)
    : ts.isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.EqualsToken ? skipOuterExpressions(value.right)
    : undefined;
  return initializer && ts.isClassExpression(initializer) ? [initializer] : [];
}

/** The object literal whose method (`list() {…}`, `list: function () {…}`) `this` is written in, arrow functions seeing through. */
function objectOfMethod(thisKeyword: ts.Node): ts.ObjectLiteralExpression | undefined {
  let fn: ts.Node | undefined = thisKeyword.parent;
  while (fn && !(ts.isFunctionLike(fn) && !ts.isArrowFunction(fn)) && !ts.isClassLike(fn)) fn = fn.parent;
  if (!fn || ts.isClassLike(fn)) return undefined;
  if (ts.isMethodDeclaration(fn) && ts.isObjectLiteralExpression(fn.parent)) return fn.parent;
  if (ts.isFunctionExpression(fn) && ts.isPropertyAssignment(fn.parent) && fn.parent.initializer === fn && ts.isObjectLiteralExpression(fn.parent.parent)) return fn.parent.parent;
  return undefined;
}

function classMembers(declaration: ts.ClassLikeDeclaration, name: string, isStatic: boolean): ts.Declaration[] {
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

/** More implementations than this and the interface is a framework-wide contract, not one service's seam (as typed). */
const MAX_IMPLEMENTATIONS = 32;

/** `IEmailProvider` of `IEmailProvider`, `providers.IEmailProvider` or `IEmailProvider<T>`'s expression. */
function lastNameOf(expression: ts.Expression): string | undefined {
  const value = skipOuterExpressions(expression);
  if (ts.isIdentifier(value)) return value.text;
  return ts.isPropertyAccessExpression(value) ? value.name.text : undefined;
}

/** A type reference's name by its parts (`Client`, `Sockets.Registry`). */
function typeReferenceName(type: ts.TypeReferenceNode): string[] | undefined {
  const name = type.typeName;
  if (ts.isIdentifier(name)) return [name.text];
  return ts.isIdentifier(name.left) ? [name.left.text, name.right.text] : undefined;
}

/** The type a function is written to return, a `Promise<T>`'s `T`: `getHandler(…): IMailHandler`, `async find(): Promise<Store>`. */
function declaredReturnType(fn: FunctionNode): ts.TypeReferenceNode | undefined {
  let type = fn.type;
  if (type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'Promise' && type.typeArguments?.length === 1) type = type.typeArguments[0];
  return type && ts.isTypeReferenceNode(type) && type.typeName.getText() !== 'Promise' ? type : undefined;
}

/** The class a parameter, field or variable is declared as (`Client`, `Client | undefined`, a namespace's `Sockets.Registry`), by its name's parts. */
function declaredClassName(declaration: ts.Node): string[] | undefined {
  if (!(ts.isParameter(declaration) || ts.isPropertyDeclaration(declaration) || ts.isVariableDeclaration(declaration)) || !declaration.type) return undefined;
  const types = ts.isUnionTypeNode(declaration.type) ? declaration.type.types.filter((type) => !(type.kind === SyntaxKind.UndefinedKeyword || (ts.isLiteralTypeNode(type) && type.literal.kind === SyntaxKind.NullKeyword))) : [declaration.type];
  const [type] = types;
  if (types.length !== 1 || !ts.isTypeReferenceNode(type)) return undefined;
  const name = type.typeName;
  if (ts.isIdentifier(name)) return [name.text];
  return ts.isIdentifier(name.left) ? [name.left.text, name.right.text] : undefined;
}

/**
 * The classes a field holds: its declared type (`private readonly users: UsersService`), its `new` initializer, a constructor parameter property's type,
 * or what the constructor assigns it. A field typed with a base class or an interface that the
 * constructor fills with one of several implementations (`this.provider = new SesProvider()` in a
 * `switch` on the environment) holds each of them.
 */
function fieldTypeNames(declaration: ts.ClassLikeDeclaration, field: string): string[] {
  for (const member of declaration.members) {
    if (ts.isPropertyDeclaration(member) && propertyNameText(member.name) === field) {
      if (member.type && ts.isTypeReferenceNode(member.type) && ts.isIdentifier(member.type.typeName)) return [member.type.typeName.text, ...constructedInConstructor(declaration, field)];
      if (member.initializer && ts.isNewExpression(member.initializer) && ts.isIdentifier(member.initializer.expression)) return [member.initializer.expression.text];
    }
    if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (ts.isIdentifier(parameter.name) && parameter.name.text === field && parameter.type && ts.isTypeReferenceNode(parameter.type) && ts.isIdentifier(parameter.type.typeName)) {
          return [parameter.type.typeName.text];
        }
      }
      // `this.oidc = new OidcStrategy()`: how JavaScript classes declare their fields; only when every such assignment names one class.
      const names = new Set(constructorAssignments(member).filter((assignment) => assignment.field === field).map(({ value }) => (ts.isNewExpression(value) && ts.isIdentifier(value.expression) ? value.expression.text : '')));
      const [name] = names;
      if (names.size === 1 && name) return [name];
    }
  }
  return [];
}

/** `scripts/sweep.js` of `/srv/app/scripts/sweep.js` beside `/srv/app/lib/catalog.js`: the path below the folder both are in. */
export function pathBelowCommonFolder(fileName: string, beside: string): string {
  const parts = fileName.split('/');
  const other = beside.split('/');
  let common = 0;
  while (common < parts.length - 1 && common < other.length - 1 && parts[common] === other[common]) common++;
  return parts.slice(common).join('/');
}

/** The constructor parameter a field is set to and nothing else (`constructor(dir, store) { this.store = store }`). */
/** The index of the parameter a constructor function's own statement sets the field to (`this.scheduler = scheduler`), when that is its one assignment there. */
function constructorFunctionFieldParameter(fn: FunctionNode, field: string): number | undefined {
  if (!fn.body || !ts.isBlock(fn.body) || ts.isArrowFunction(fn)) return undefined;
  const values: ts.Expression[] = [];
  for (const statement of fn.body.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression) || statement.expression.operatorToken.kind !== SyntaxKind.EqualsToken) continue;
    const target = skipOuterExpressions(statement.expression.left);
    if (ts.isPropertyAccessExpression(target) && target.expression.kind === SyntaxKind.ThisKeyword && target.name.text === field) values.push(skipOuterExpressions(statement.expression.right));
  }
  if (values.length !== 1 || !ts.isIdentifier(values[0])) return undefined;
  const name = values[0].text;
  const index = fn.parameters.findIndex((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === name && !parameter.dotDotDotToken);
  return index < 0 ? undefined : index;
}

/**
 * The instances a constructor function's own statements make for a field: `this.local = new Local(config)`,
 * `this.cache = createCache()` (a call other than `require`, whose value is what the function returns).
 * Only when every assignment of the field there makes one: a field also set from a parameter is what its
 * creators hand it.
 */
function constructorFunctionFieldInstances(fn: FunctionNode, field: string): ts.Expression[] {
  if (!fn.body || !ts.isBlock(fn.body) || ts.isArrowFunction(fn)) return [];
  const values: ts.Expression[] = [];
  for (const statement of fn.body.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression) || statement.expression.operatorToken.kind !== SyntaxKind.EqualsToken) continue;
    const target = skipOuterExpressions(statement.expression.left);
    if (ts.isPropertyAccessExpression(target) && target.expression.kind === SyntaxKind.ThisKeyword && target.name.text === field) values.push(skipOuterExpressions(statement.expression.right));
  }
  const made = (value: ts.Expression): boolean => ts.isNewExpression(value) || (ts.isCallExpression(value) && requiredPath(value) === undefined);
  return values.length > 0 && values.every(made) ? values : [];
}

function fieldParameter(declaration: ts.ClassLikeDeclaration, field: string): ts.ParameterDeclaration | undefined {
  const constructor = declaration.members.find((member): member is ts.ConstructorDeclaration => ts.isConstructorDeclaration(member) && member.body !== undefined);
  if (!constructor) return undefined;
  const values = constructorAssignments(constructor).filter((assignment) => assignment.field === field).map(({ value }) => value);
  if (values.length !== 1 || !ts.isIdentifier(values[0])) return undefined;
  const name = values[0].text;
  return constructor.parameters.find((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === name);
}

/** The classes `this.field = new X()` names anywhere in the constructor (branches included, functions written in it aside). */
function constructedInConstructor(declaration: ts.ClassLikeDeclaration, field: string): string[] {
  const constructor = declaration.members.find((member): member is ts.ConstructorDeclaration => ts.isConstructorDeclaration(member) && member.body !== undefined);
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken) {
      const target = skipOuterExpressions(node.left);
      const value = skipOuterExpressions(node.right);
      const assignsField = ts.isPropertyAccessExpression(target) && target.expression.kind === SyntaxKind.ThisKeyword && target.name.text === field;
      if (assignsField && ts.isNewExpression(value) && ts.isIdentifier(value.expression) && !names.includes(value.expression.text)) names.push(value.expression.text);
    }
    ts.forEachChild(node, visit);
  };
  if (constructor?.body) ts.forEachChild(constructor.body, visit);
  return names;
}

/** `this.oidc = new OidcStrategy()`, `this.app = express()`: the fields a constructor's own statements assign, with the values. */
export function constructorAssignments(constructor: ts.ConstructorDeclaration): { field: string; value: ts.Expression }[] {
  const assignments: { field: string; value: ts.Expression }[] = [];
  for (const statement of constructor.body?.statements ?? []) {
    if (!ts.isExpressionStatement(statement)) continue;
    const assignment = skipOuterExpressions(statement.expression);
    if (!ts.isBinaryExpression(assignment) || assignment.operatorToken.kind !== SyntaxKind.EqualsToken) continue;
    const target = skipOuterExpressions(assignment.left);
    if (ts.isPropertyAccessExpression(target) && target.expression.kind === SyntaxKind.ThisKeyword) assignments.push({ field: target.name.text, value: skipOuterExpressions(assignment.right) });
  }
  return assignments;
}
