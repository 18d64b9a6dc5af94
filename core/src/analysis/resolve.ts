import ts = require('typescript');
import { cachedResolution, cachedValue, cachedVerdict, moduleFileOf, programFilesWhere } from './resolution-cache';
import { getFileFacts, isFunctionNode, type FunctionNode } from './file-facts';
import { propertyNameText, skipOuterExpressions } from './text';
import { requiredPath } from './imports';
import { enclosingClass, functionOfDeclaration, isObjectAssign, UntypedResolver, type ModuleLookup } from './untyped-resolve';
import { memberWiseParameter, moduleObjectMembers } from './factory-results';
import { dispatchedRows, pickedRow, pickedTables, rowFunctions, tableFunctions, type TableLookup } from './dispatch-tables';
import { workerFunctions } from './worker-threads';
import { wrappedActions } from './frameworks/action-wrappers';

export { enclosingClass } from './untyped-resolve';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/**
 * Finds the functions a call or a handler reference runs. With a type checker it follows symbols
 * across files; without one it resolves names by syntax: in the same file (module scope, the
 * enclosing class, classes and objects declared in the file) and, given a `ModuleLookup` (the
 * project index), through imports and exports into the other files of the project.
 */
export class Resolver {
  readonly checker: ts.TypeChecker | undefined;
  private readonly untyped: UntypedResolver;
  private decorations: Map<string, ts.Expression[]> | undefined;
  private implementations: Map<ts.Node, ts.ClassDeclaration[]> | undefined;

  constructor(
    /** The program the checker belongs to (undefined: untyped). */
    readonly program: ts.Program | undefined,
    private readonly modules?: ModuleLookup,
  ) {
    this.checker = program?.getTypeChecker();
    this.untyped = new UntypedResolver(program ? undefined : modules);
    this.globals = program ? new UntypedResolver(programLookup(program)) : undefined;
  }

  /** Typed: the syntax resolver over the program's files, for what the checker cannot type (a global namespace it sees as `any`). */
  private readonly globals: UntypedResolver | undefined;

  /** Untyped with a project index: the project file an import or `require` names (undefined for packages, or without an index). */
  importedFile(fromFile: string, specifier: string): ts.SourceFile | undefined {
    if (this.program || !this.modules) return undefined;
    try {
      return this.modules.moduleFile(fromFile, specifier);
    } catch {
      return undefined;
    }
  }

  /** Typed: the program's own source files (not declaration files or packages); undefined untyped. */
  programSourceFiles(): readonly ts.SourceFile[] | undefined {
    const program = this.program;
    return program?.getSourceFiles().filter((file) => !file.isDeclarationFile && !program.isSourceFileFromExternalLibrary(file));
  }

  /**
   * The project files whose text matches: typed, the program's own files (the graph's), carried along
   * the program's lineage so that a keystroke tests only the files it changed (`programFilesWhere`);
   * untyped with a project index, the index's files; else undefined.
   */
  filesMatching(pattern: RegExp): readonly ts.SourceFile[] | undefined {
    if (this.program) return programFilesMatching(this.program, pattern);
    if (!this.modules?.filesMatching) return undefined;
    try {
      return this.modules.filesMatching(pattern);
    } catch {
      return undefined;
    }
  }

  /**
   * The source files of the program (typed) or of the project index (untyped) in a folder, sorted:
   * what a loader that lists the folder at start-up loads. Declaration files and packages left out.
   */
  filesUnder(directory: string, recursive: boolean): readonly ts.SourceFile[] {
    const folder = directory.replace(/\\/g, '/').replace(/\/+$/, '');
    const inFolder = (fileName: string): boolean => fileName.startsWith(`${folder}/`) && (recursive || !fileName.slice(folder.length + 1).includes('/'));
    try {
      if (this.program) {
        const program = this.program;
        return program.getSourceFiles().filter((file) => !file.isDeclarationFile && !program.isSourceFileFromExternalLibrary(file) && inFolder(file.fileName)).sort((a, b) => (a.fileName < b.fileName ? -1 : 1));
      }
      return this.modules?.filesUnder?.(folder, recursive) ?? [];
    } catch {
      return [];
    }
  }

  /** Functions a call may run (its callee's declarations that have a body in the program). */
  callTargets(call: ts.CallExpression | ts.NewExpression): FunctionNode[] {
    const callee = skipOuterExpressions(call.expression);
    if (ts.isNewExpression(call)) {
      const constructors = this.constructorsOf(callee);
      return constructors.length > 0 ? constructors : this.workerThread(call);
    }
    // fn.call(this, …) / fn.apply(…)
    if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'call' || callee.name.text === 'apply')) {
      const inner = this.functionsOf(callee.expression, 0);
      if (inner.length > 0) return inner;
      const picked = this.tableDispatch(callee.expression);
      if (picked.length > 0) return picked;
    }
    // `withAuth(createPost)(req, res)`: the functions given to the wrapper, then what it returns.
    if (ts.isCallExpression(callee)) return this.handlerFunctions(callee);
    const targets = this.functionsOf(callee, 0);
    if (targets.length === 0) return this.tableDispatch(callee);
    const dispatched = staticThisCall(callee);
    return dispatched ? [...targets, ...this.staticOverrides(dispatched.owner, dispatched.name)] : targets;
  }

  /** `new Worker(path.join(__dirname, 'backup.worker.js'))` of `worker_threads`: what the worker file runs (`worker-threads.ts`). */
  private workerThread(creation: ts.NewExpression): FunctionNode[] {
    if (!/\bWorker\b/.test(creation.expression.getText())) return [];
    return workerFunctions({ fileAt: (folder, relative) => this.fileAt(folder, relative), handlerFunctions: (expression) => this.handlerFunctions(expression), callTargets: (call) => this.callTargets(call) }, creation);
  }

  /** The program's (typed) or the project index's (untyped) file at a path relative to a folder, its extension probed as an import's is. */
  private fileAt(folder: string, relative: string): ts.SourceFile | undefined {
    const specifier = relative.startsWith('.') ? relative : `./${relative}`;
    if (!this.program) return this.importedFile(`${folder}/index.js`, specifier);
    const base = `${folder}/${specifier}`.split('/').reduce<string[]>((parts, part) => (part === '..' ? parts.slice(0, -1) : part === '.' ? parts : [...parts, part]), []).join('/');
    const stem = base.replace(/\.[cm]?[jt]s$/, '');
    for (const candidate of [base, `${stem}.ts`, `${stem}.js`, `${stem}.mts`, `${stem}.mjs`, `${stem}.cjs`, `${stem}.cts`]) {
      const file = this.program.getSourceFile(candidate);
      if (file && !file.isDeclarationFile) return file;
    }
    return undefined;
  }

  /** The rows of a hand-written router's table a call runs a member of, each with that member's functions (`dispatch-tables.ts`); undefined for any other call. */
  dispatchedRows(call: ts.CallExpression): { row: ts.ObjectLiteralExpression; functions: FunctionNode[] }[] | undefined {
    return dispatchedRows(this.tableLookup(), call.expression);
  }

  private tableLookup(): TableLookup {
    return {
      declarationsOf: (expression) => this.declarationsOf(expression),
      handlerFunctions: (expression) => this.handlerFunctions(expression),
      callTargets: (call) => this.callTargets(call),
      filesMatching: (pattern) => this.filesMatching(pattern),
    };
  }

  /** `apis[ctx.params.name](params, ctx)`, `const fn = methods[req.body.method]; fn(…)`: every function of the table; `route.handler(req, res)` of a row a router loops over: that member of every row (`dispatch-tables.ts`). */
  private tableDispatch(callee: ts.Expression): FunctionNode[] {
    const tables = pickedTables(callee);
    const row = tables.length === 0 ? pickedRow(callee) : undefined;
    if (tables.length === 0 && !row) return [];
    const lookup = this.tableLookup();
    if (row) return rowFunctions(lookup, row.table, row.member);
    const result: FunctionNode[] = [];
    for (const table of tables) for (const fn of tableFunctions(lookup, table)) if (!result.includes(fn)) result.push(fn);
    return result;
  }

  /**
   * `this.runTask()` in a static method of a class: `this` is the class the static was called on, so
   * `BackupJob.start()`, inherited from `BaseJob`, runs `BackupJob.runTask`. The static methods of that
   * name in the classes that extend it (their subclasses too), when there are few: what a call through
   * a subclass may run (blinko's scheduled jobs, each a subclass overriding the base's static task).
   */
  private staticOverrides(owner: ts.ClassLikeDeclaration, name: string): FunctionNode[] {
    const result: FunctionNode[] = [];
    const seen = new Set<ts.ClassLikeDeclaration>([owner]);
    let level: ts.ClassLikeDeclaration[] = [owner];
    for (let depth = 0; depth < 3 && level.length > 0 && seen.size <= MAX_IMPLEMENTATIONS; depth++) {
      level = level.flatMap((base) => this.subclassesOf(base)).filter((subclass) => !seen.has(subclass) && seen.add(subclass));
      for (const subclass of level) result.push(...staticMethods(subclass, name));
    }
    return seen.size > MAX_IMPLEMENTATIONS ? [] : result;
  }

  /** The classes whose `extends` clause names this one: typed by symbol; untyped by name, in the project's files that say `extends Name` (which join the graph). */
  private subclassesOf(base: ts.ClassLikeDeclaration): ts.ClassLikeDeclaration[] {
    const name = base.name?.text;
    if (!name) return [];
    if (this.checker) return (this.implementingClasses().get(base) ?? []).filter((subclass) => extendedName(subclass) === name);
    const files = this.filesMatching(new RegExp(`\\bextends\\s+(?:[\\w$]+\\.)?${name.replace(/\$/g, '\\$')}\\b`)) ?? [base.getSourceFile()];
    const result: ts.ClassLikeDeclaration[] = [];
    for (const file of files) {
      const found = getFileFacts(file).classes.filter((declaration) => declaration !== base && extendedName(declaration) === name);
      if (found.length > 0 && file !== base.getSourceFile()) this.modules?.enter?.(file);
      result.push(...found);
    }
    return result;
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
      // `app.post('/upload', auth, require('./routes/upload'))`: the function the module exports, as a name bound to it would give.
      if (requiredPath(value) !== undefined) return this.functionsOf(value, depth);
      const callee = skipOuterExpressions(value.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind') return this.handlerFunctions(callee.expression, depth + 1);
      const fromArguments = value.arguments.flatMap((argument) => this.handlerFunctions(argument, depth + 1));
      const fromFactory: FunctionNode[] = [];
      for (const factory of this.callTargets(value)) {
        const returned = returnedFunctions(factory);
        // wrap(users, 'login'): the function returned runs the member the call names.
        fromFactory.push(...returned, ...wrappedActions(value, factory, returned, this));
      }
      return [...fromArguments, ...fromFactory];
    }
    if (ts.isIdentifier(value) || ts.isPropertyAccessExpression(value) || ts.isElementAccessExpression(value)) return this.functionsOf(value, depth);
    return [];
  }

  /** The functions a list holds (`[chatHandlers, roomHandlers]`, or a name bound to that literal), each of which a loop over it may call. */
  private elementFunctions(collection: ts.Expression, depth: number): FunctionNode[] {
    const value = skipOuterExpressions(collection);
    if (ts.isArrayLiteralExpression(value)) return this.handlerFunctions(value, depth);
    if (!ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value)) return [];
    return this.declarationsOf(value).flatMap((declaration) => {
      const initializer = (ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
      return initializer && ts.isArrayLiteralExpression(initializer) ? this.handlerFunctions(initializer, depth) : [];
    });
  }

  private constructorsOf(callee: ts.Expression): FunctionNode[] {
    const classes = this.declarationsOf(callee).filter(ts.isClassDeclaration);
    return classes.flatMap((declaration) => declaration.members.filter((member): member is ts.ConstructorDeclaration => ts.isConstructorDeclaration(member) && member.body !== undefined));
  }

  private functionsOf(expression: ts.Expression, depth: number): FunctionNode[] {
    const result: FunctionNode[] = [];
    for (const declaration of this.declarationsOf(expression)) {
      const fn = functionOfDeclaration(declaration);
      const collection = depth < 3 ? iteratedCollection(declaration) : undefined;
      if (fn) result.push(fn);
      // `return { outputFile: outputFile }` / `{ outputFile }` of a revealing module: the function the name holds.
      else if (depth < 3 && ts.isPropertyAssignment(declaration) && ts.isIdentifier(skipOuterExpressions(declaration.initializer))) result.push(...this.functionsOf(declaration.initializer, depth + 1));
      else if (depth < 3 && ts.isShorthandPropertyAssignment(declaration)) result.push(...this.functionsOf(declaration.name, depth + 1));
      else if (depth < 3 && isFastifyDecoration(declaration)) {
        for (const value of this.decoratedValues(declaration.getSourceFile()).get(declaration.name.text) ?? []) result.push(...this.handlerFunctions(value, depth + 1));
      }
      else if (collection) result.push(...this.elementFunctions(collection, depth + 1));
      else if (depth < 3) {
        // const handler = asyncHandler(async (req, res) => …); exports.handler = forwardErrors(async function (req, res) { … });
        // a barrel's `{ save: require('./save') }` or `{ save: catchErrors(async (req, res) => …) }`; a class field given one
        const value = assignedValue(declaration);
        const settled = value && skipOuterExpressions(value);
        if (settled && ts.isCallExpression(settled)) result.push(...this.handlerFunctions(settled, depth + 1));
        // const count = profiling ? profile(this.count) : this.count: either branch may run.
        else if (settled && ts.isConditionalExpression(settled)) result.push(...this.handlerFunctions(settled.whenTrue, depth + 1), ...this.handlerFunctions(settled.whenFalse, depth + 1));
      }
    }
    // Typed, where the checker cannot type the decoration; untyped, where the syntax finds nothing.
    if (result.length === 0 && depth < 3 && ts.isPropertyAccessExpression(skipOuterExpressions(expression))) {
      const access = skipOuterExpressions(expression) as ts.PropertyAccessExpression;
      result.push(...this.decoratedMembers(access, depth));
      if (result.length === 0) result.push(...this.decoratedFunctions(access, depth));
    }
    if (result.length === 0 && this.checker) result.push(...this.implementationsOf(expression));
    return result;
  }

  /**
   * `handler.execute(command)` on an interface (or an abstract method): the methods of that name in
   * the program's classes that implement the interface or extend the class, when there are few
   * (a command bus, storage drivers). The checker stops at the signature; the request runs one of them.
   */
  private implementationsOf(expression: ts.Expression): FunctionNode[] {
    const target = skipOuterExpressions(expression);
    if (!ts.isPropertyAccessExpression(target)) return [];
    const result: FunctionNode[] = [];
    for (const declaration of this.declarationsOf(target)) {
      const owner = declaration.parent;
      const isSignature = (ts.isMethodSignature(declaration) || ts.isPropertySignature(declaration)) && ts.isInterfaceDeclaration(owner);
      const isAbstract = ts.isMethodDeclaration(declaration) && !declaration.body && ts.isClassDeclaration(owner);
      if (!(isSignature || isAbstract) || !owner.name) continue;
      const implementations = this.implementingClasses().get(owner) ?? [];
      if (implementations.length > MAX_IMPLEMENTATIONS) continue;
      for (const implementation of implementations) {
        for (const member of implementation.members) {
          if (ts.isMethodDeclaration(member) && member.body && member.name.getText() === target.name.text) result.push(member);
          else if (ts.isPropertyDeclaration(member) && member.name.getText() === target.name.text && member.initializer) {
            const fn = functionOfDeclaration(member);
            if (fn) result.push(fn);
          }
        }
      }
    }
    return result;
  }

  /** The program's classes by the interface they implement or the class they extend (declared in the program). */
  private implementingClasses(): Map<ts.Node, ts.ClassDeclaration[]> {
    if (this.implementations) return this.implementations;
    const implementations = new Map<ts.Node, ts.ClassDeclaration[]>();
    this.implementations = implementations;
    const checker = this.checker!;
    for (const file of this.program?.getSourceFiles() ?? []) {
      if (file.isDeclarationFile || this.program!.isSourceFileFromExternalLibrary(file) || !/\b(?:implements|extends)\b/.test(file.text)) continue;
      for (const declaration of getFileFacts(file).classes) {
        for (const clause of declaration.heritageClauses ?? []) {
          for (const type of clause.types) {
            let symbol: ts.Symbol | undefined;
            try {
              symbol = checker.getSymbolAtLocation(type.expression);
              if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
            } catch {
              continue;
            }
            for (const base of symbol?.declarations ?? []) {
              if (!(ts.isInterfaceDeclaration(base) || ts.isClassDeclaration(base)) || base.getSourceFile().isDeclarationFile) continue;
              implementations.set(base, [...(implementations.get(base) ?? []), declaration]);
            }
          }
        }
      }
    }
    return implementations;
  }

  /**
   * `fileManager.upload(…)` with `const { fileManager } = fastify` (or `fastify.fileManager.upload`)
   * where a plugin did `fastify.decorate('fileManager', createFileManager(fastify))`: the member of
   * the decorated object (an object literal, what a factory returns, a class instance), when the
   * types do not say it (the decoration typed by a helper the checker cannot see).
   */
  private decoratedMembers(access: ts.PropertyAccessExpression, depth: number): FunctionNode[] {
    if (this.decoratedValues(access.getSourceFile()).size === 0) return [];
    const name = decoratedName(skipOuterExpressions(access.expression), this.declarationsOf.bind(this));
    const values = name === undefined ? undefined : this.decoratedValues(access.getSourceFile()).get(name);
    if (!values) return [];
    const memberName = access.name.text;
    const result: FunctionNode[] = [];
    for (const value of values) {
      const inner = skipOuterExpressions(value);
      const objects = ts.isObjectLiteralExpression(inner) ? [inner] : ts.isCallExpression(inner) ? this.callTargets(inner).flatMap(returnedObjects) : [];
      for (const object of objects) {
        for (const property of object.properties) {
          if (property.name && ts.isIdentifier(property.name) && property.name.text === memberName) {
            const fn = functionOfDeclaration(property);
            if (fn) result.push(fn);
          }
        }
      }
      if (ts.isNewExpression(inner)) {
        for (const declaration of this.declarationsOf(inner.expression).filter(ts.isClassDeclaration)) {
          for (const member of declaration.members) if (ts.isMethodDeclaration(member) && member.body && member.name.getText() === memberName) result.push(member);
        }
      }
    }
    return depth < 3 ? result : [];
  }

  /**
   * `fastify.rateLimit` where a plugin did `fastify.decorate('rateLimit', async (req, reply) => …)`
   * and no type says what the member is (plain JavaScript): the decorated function, as a hook
   * (`addHook('onRequest', fastify.rateLimit)`) or a call runs it. Only on a plain name, `this`
   * (the instance a plugin is given) or the instance a request or reply carries (`request.server.broadcast(…)`),
   * and only function values: an object is `decoratedMembers`'.
   */
  private decoratedFunctions(access: ts.PropertyAccessExpression, depth: number): FunctionNode[] {
    const owner = skipOuterExpressions(access.expression);
    const carried = ts.isPropertyAccessExpression(owner) && owner.name.text === 'server' && ts.isIdentifier(skipOuterExpressions(owner.expression));
    if (!ts.isIdentifier(owner) && owner.kind !== SyntaxKind.ThisKeyword && !carried) return [];
    const values = this.decoratedValues(access.getSourceFile()).get(access.name.text) ?? [];
    return values.flatMap((value) => {
      const inner = skipOuterExpressions(value);
      return ts.isFunctionExpression(inner) || ts.isArrowFunction(inner) || ts.isIdentifier(inner) ? this.handlerFunctions(inner, depth + 1) : [];
    });
  }

  /**
   * `fastify.decorate('name', value)` (and `decorateRequest`, `decorateReply`) in the program's files
   * (untyped, the project index's; without one, the file being read), by name.
   */
  private decoratedValues(reading: ts.SourceFile): Map<string, ts.Expression[]> {
    if (this.decorations) return this.decorations;
    const decorations = new Map<string, ts.Expression[]>();
    this.decorations = decorations;
    const files = this.program ? this.program.getSourceFiles().filter((file) => !file.isDeclarationFile && !this.program!.isSourceFileFromExternalLibrary(file)) : (this.filesMatching(DECORATE_TEXT) ?? [reading]);
    for (const file of files) {
      const found = decorationsOf(file);
      if (found.length === 0) continue;
      for (const [name, value] of found) decorations.set(name, [...(decorations.get(name) ?? []), value]);
      // Untyped, the plugin's file is reached through the decoration, not an import: it joins the graph.
      if (!this.program) this.modules?.enter?.(file);
    }
    return decorations;
  }

  /**
   * `const { sendEmail } = createEmailSender(fastify)` where the factory's return type is written
   * out (`{ sendEmail: EmailSender }`), so the checker's member is a signature: the functions the
   * factory's returned object literals give that member (one per branch it returns from).
   */
  private destructuredFromFactory(binding: ts.BindingElement): ts.Declaration[] {
    const declaration = binding.parent.parent;
    const name = propertyNameText(binding.propertyName ?? binding.name);
    if (!ts.isVariableDeclaration(declaration) || !declaration.initializer || name === undefined || binding.dotDotDotToken) return [];
    let made = skipOuterExpressions(declaration.initializer);
    if (ts.isAwaitExpression(made)) made = skipOuterExpressions(made.expression);
    if (!ts.isCallExpression(made)) return [];
    const result: ts.Declaration[] = [];
    for (const factory of this.callTargets(made)) {
      for (const object of returnedObjects(factory)) {
        for (const property of object.properties) {
          if (property.name && propertyNameText(property.name) === name && functionOfDeclaration(property)) result.push(property);
        }
      }
    }
    return result;
  }

  /** Declarations (in the program's own files) that an identifier or member access refers to. */
  declarationsOf(expression: ts.Expression): ts.Declaration[] {
    const target = skipOuterExpressions(expression);
    if (this.checker) {
      const typed = this.typedDeclarations(target);
      // `WIKI.system.export()` after `global.WIKI = …`: the checker has no symbol for the namespace, its assignments say what it holds.
      if (typed.length === 0 && this.globals && (isGlobalNamespaceAccess(target, this.program!, this.checker, this.globals) || this.readsUntypedValue(target))) {
        return this.globals.declarationsOf(target);
      }
      // `this.event` of a JavaScript constructor function that sets it from a parameter: the checker names that
      // assignment, one per constructor; syntax reads what the code creating each hands it (the one emitter).
      if (typed.length > 0 && this.globals && isThisField(target) && typed.every(isParameterFieldAssignment)) {
        const handed = this.globals.declarationsOf(target);
        if (handed.length > 0) return handed;
      }
      return typed;
    }
    return this.untyped.declarationsOf(target);
  }

  /**
   * Whether the checker gives a value syntax must follow instead (an untyped parameter, an import the
   * checker reads without its member, a late-set local, `this`, a field, a copied object). It asks
   * the checker for types, which can check much of the program: the answer is carried to the next
   * program as resolutions are (the file and the shapes of the modules it imports unchanged).
   */
  private readsUntypedValue(target: ts.Expression): boolean {
    const checker = this.checker!;
    return cachedVerdict(this.program!, target, () => isUntypedParameterAccess(target, checker) || isUnresolvedProjectImport(target, checker) || isUntypedLateLocalAccess(target, checker) || isUntypedThisAccess(target, checker) || isUntypedFieldAccess(target, checker) || isUntypedCopyAccess(target, checker) || isInheritedConstructorFunctionMember(target, checker) || isModuleObjectMemberAccess(target, checker) || isUntypedMapValueAccess(target, checker));
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
      // `require('./routes/users')` itself (`app.use('/users', require(…))`): what that module exports, as a name bound to it would give.
      const required = ts.isCallExpression(target) && requiredPath(target) !== undefined && target.arguments.length === 1 ? checker.getSymbolAtLocation(target.arguments[0]) : undefined;
      symbol = required ? (required.exports?.get(ts.InternalSymbolName.ExportEquals) ?? required) : checker.getSymbolAtLocation(location);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    } catch {
      return [];
    }
    const own = symbol?.declarations ?? [];
    const declarations = own.length === 0 && ts.isPropertyAccessExpression(target) ? memberOfWrappedArgument(target, checker) : own;
    const result: ts.Declaration[] = [];
    for (const declaration of declarations) {
      const file = declaration.getSourceFile();
      if (file.isDeclarationFile || this.program!.isSourceFileFromExternalLibrary(file)) continue;
      if (ts.isShorthandPropertyAssignment(declaration)) {
        const value = checker.getShorthandAssignmentValueSymbol(declaration);
        const resolved = value && value.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(value) : value;
        result.push(...(resolved?.declarations ?? []).filter((d) => !d.getSourceFile().isDeclarationFile));
      } else if (ts.isBindingElement(declaration) && ts.isObjectBindingPattern(declaration.parent)) {
        // `const { setupPageRoute } = helpers`: the symbol is the binding; the function is the member it was destructured from.
        const members = destructuredFunctions(declaration, checker);
        const made = members.length > 0 ? members : this.destructuredFromFactory(declaration);
        result.push(...(made.length > 0 ? made : [declaration]));
      } else if (isFunctionAlias(declaration)) {
        // `const addFailure = delays.addFailure`: calling the alias runs the member's function.
        const aliased = this.typedDeclarations(skipOuterExpressions(declaration.initializer));
        result.push(...(aliased.length > 0 && aliased.every((found) => functionOfDeclaration(found) !== undefined) ? aliased : [declaration]));
      } else if (isPrototypeMethodAlias(declaration)) {
        // `Device.prototype.setupPoll = setupPoll` (required from its own file): the method is that function.
        const aliased = this.typedDeclarations(skipOuterExpressions(declaration.parent.right));
        result.push(...(aliased.length > 0 && aliased.every((found) => functionOfDeclaration(found) !== undefined) ? aliased : [declaration]));
      } else result.push(declaration);
    }
    return result;
  }
}

/**
 * `usersController.login` where `const usersController = wrapController(usersControllerRaw)` and the wrapper gives back its
 * argument's members one by one (`memberWiseParameter`): its type is a record the checker built, whose members have no
 * declaration; the argument's `login` is the function the route runs.
 */
function memberOfWrappedArgument(access: ts.PropertyAccessExpression, checker: ts.TypeChecker): readonly ts.Declaration[] {
  const owner = skipOuterExpressions(access.expression);
  if (!ts.isIdentifier(owner)) return [];
  const declaration = checker.getSymbolAtLocation(owner)?.valueDeclaration;
  const call = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  if (!call || !ts.isCallExpression(call)) return [];
  let callee = checker.getSymbolAtLocation(skipOuterExpressions(call.expression));
  if (callee && callee.flags & ts.SymbolFlags.Alias) callee = checker.getAliasedSymbol(callee);
  for (const candidate of callee?.declarations ?? []) {
    const fn = functionOfDeclaration(candidate);
    const index = fn && !candidate.getSourceFile().isDeclarationFile ? memberWiseParameter(fn) : undefined;
    const argument = index === undefined ? undefined : call.arguments[index];
    if (!argument) continue;
    let member = checker.getTypeAtLocation(argument).getProperty(access.name.text);
    if (member && member.flags & ts.SymbolFlags.Alias) member = checker.getAliasedSymbol(member);
    return member?.declarations ?? [];
  }
  return [];
}

const ITERATION_METHODS = new Set(['forEach', 'map']);

/**
 * The list a name takes its values from, one element at a time: the element parameter of a
 * `list.forEach((handler) => …)` / `list.map(…)` callback, or the variable of `for (const handler of list)`.
 */
function iteratedCollection(declaration: ts.Declaration): ts.Expression | undefined {
  if (ts.isParameter(declaration)) {
    const fn = declaration.parent;
    if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || fn.parameters[0] !== declaration) return undefined;
    const call = fn.parent;
    if (!ts.isCallExpression(call) || call.arguments[0] !== fn) return undefined;
    const callee = skipOuterExpressions(call.expression);
    return ts.isPropertyAccessExpression(callee) && ITERATION_METHODS.has(callee.name.text) ? callee.expression : undefined;
  }
  if (ts.isVariableDeclaration(declaration) && !declaration.initializer && ts.isVariableDeclarationList(declaration.parent) && ts.isForOfStatement(declaration.parent.parent)) return declaration.parent.parent.expression;
  return undefined;
}

/** The functions of the program a destructured name takes from its object (`const { save } = require('./helpers')`), if it takes one. */
function destructuredFunctions(binding: ts.BindingElement, checker: ts.TypeChecker): ts.Declaration[] {
  const declaration = binding.parent.parent;
  const name = propertyNameText(binding.propertyName ?? binding.name);
  if (!ts.isVariableDeclaration(declaration) || !declaration.initializer || name === undefined || binding.dotDotDotToken) return [];
  try {
    const member = checker.getTypeAtLocation(declaration.initializer).getProperty(name);
    return (member?.declarations ?? []).filter((found) => !found.getSourceFile().isDeclarationFile && functionOfDeclaration(found) !== undefined);
  } catch {
    return [];
  }
}

/** `const save = api.save`: a constant that names another object's member. */
function isFunctionAlias(declaration: ts.Declaration): declaration is ts.VariableDeclaration & { initializer: ts.PropertyAccessExpression } {
  return ts.isVariableDeclaration(declaration) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0 && declaration.initializer !== undefined && ts.isPropertyAccessExpression(skipOuterExpressions(declaration.initializer));
}

/** `Ctor.prototype.name = fn`, where `fn` names a function declared elsewhere: a method taken from another module. */
function isPrototypeMethodAlias(declaration: ts.Declaration): declaration is ts.PropertyAccessExpression & { parent: ts.BinaryExpression } {
  if (!ts.isPropertyAccessExpression(declaration) || !ts.isBinaryExpression(declaration.parent) || declaration.parent.left !== declaration || declaration.parent.operatorToken.kind !== SyntaxKind.EqualsToken) return false;
  const owner = skipOuterExpressions(declaration.expression);
  return ts.isPropertyAccessExpression(owner) && owner.name.text === 'prototype' && ts.isIdentifier(skipOuterExpressions(declaration.parent.right));
}

/** More implementations than this and the interface is a framework-wide contract, not one service's seam. */
const MAX_IMPLEMENTATIONS = 32;

/** `this.name(…)` in a static method (or a callback inside one): the class and the member name. */
function staticThisCall(callee: ts.Expression): { owner: ts.ClassLikeDeclaration; name: string } | undefined {
  if (!ts.isPropertyAccessExpression(callee) || skipOuterExpressions(callee.expression).kind !== SyntaxKind.ThisKeyword) return undefined;
  const enclosing = enclosingClass(callee);
  return enclosing?.isStatic ? { owner: enclosing.declaration, name: callee.name.text } : undefined;
}

/** The last name of a class's `extends` clause (`BaseJob`, `jobs.BaseJob`). */
function extendedName(declaration: ts.ClassLikeDeclaration): string | undefined {
  const base = declaration.heritageClauses?.find((clause) => clause.token === SyntaxKind.ExtendsKeyword)?.types[0];
  const expression = base && skipOuterExpressions(base.expression);
  if (!expression) return undefined;
  if (ts.isIdentifier(expression)) return expression.text;
  return ts.isPropertyAccessExpression(expression) ? expression.name.text : undefined;
}

/** A class's own static methods of a name that have a body. */
function staticMethods(declaration: ts.ClassLikeDeclaration, name: string): FunctionNode[] {
  return declaration.members.filter((member): member is ts.MethodDeclaration => ts.isMethodDeclaration(member) && member.body !== undefined && propertyNameText(member.name) === name && (ts.getModifiers(member)?.some((modifier) => modifier.kind === SyntaxKind.StaticKeyword) ?? false));
}

const DECORATE_METHODS = new Set(['decorate', 'decorateRequest', 'decorateReply']);

/** Per file, its `x.decorate('name', value)` calls (name and value, in order): read once per file, not once per program. */
const fileDecorations = new WeakMap<ts.SourceFile, readonly (readonly [string, ts.Expression])[]>();

function decorationsOf(file: ts.SourceFile): readonly (readonly [string, ts.Expression])[] {
  let found = fileDecorations.get(file);
  if (found) return found;
  const calls: (readonly [string, ts.Expression])[] = [];
  if (file.text.includes('decorate')) {
    for (const { node } of getFileFacts(file).calls) {
      const callee = ts.isCallExpression(node) ? skipOuterExpressions(node.expression) : undefined;
      if (!callee || !ts.isPropertyAccessExpression(callee) || !DECORATE_METHODS.has(callee.name.text)) continue;
      const [name, value] = node.arguments ?? [];
      if (name && value && ts.isStringLiteralLike(name)) calls.push([name.text, value]);
    }
  }
  fileDecorations.set(file, (found = calls));
  return found;
}
const DECORATE_TEXT = /\.decorate(?:Request|Reply)?\s*\(/;

/**
 * A member declared on a Fastify type by augmentation (`declare module 'fastify' { interface
 * FastifyInstance { render(…): string } }`): its value is what a plugin passes to `decorate`.
 */
function isFastifyDecoration(declaration: ts.Declaration): declaration is (ts.MethodSignature | ts.PropertySignature) & { name: ts.Identifier } {
  if (!(ts.isMethodSignature(declaration) || ts.isPropertySignature(declaration)) || !ts.isIdentifier(declaration.name)) return false;
  const owner = declaration.parent;
  if (!ts.isInterfaceDeclaration(owner) || !/^Fastify(?:Instance|Request|Reply)$/.test(owner.name.text)) return false;
  const block = owner.parent;
  return ts.isModuleBlock(block) && ts.isModuleDeclaration(block.parent) && ts.isStringLiteral(block.parent.name) && block.parent.name.text === 'fastify';
}

/** The function a declaration defines: `function f`, `const f = () => …`, a method, `f: function () {}`. */
/** The value a variable, or a CommonJS export (`exports.save = …`, declared at the property access on the left), is given. */
function assignedValue(declaration: ts.Node): ts.Expression | undefined {
  // A class field or an object's property given a wrapped handler: `create = asyncHandler(async (req, res) => …)`, `{ create: asyncHandler(…) }`.
  if (ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration) || ts.isPropertyAssignment(declaration)) return declaration.initializer;
  if ((ts.isPropertyAccessExpression(declaration) || ts.isElementAccessExpression(declaration)) && ts.isBinaryExpression(declaration.parent) && declaration.parent.left === declaration && declaration.parent.operatorToken.kind === SyntaxKind.EqualsToken) return declaration.parent.right;
  return undefined;
}

/** The decoration an expression reads: `fastify.fileManager`, or `fileManager` from `const { fileManager } = fastify`. */
function decoratedName(owner: ts.Expression, declarationsOf: (expression: ts.Expression) => ts.Declaration[]): string | undefined {
  if (ts.isPropertyAccessExpression(owner)) return owner.name.text;
  if (!ts.isIdentifier(owner)) return undefined;
  for (const declaration of declarationsOf(owner)) {
    if (!ts.isBindingElement(declaration) || !ts.isObjectBindingPattern(declaration.parent)) continue;
    const property = declaration.propertyName ?? declaration.name;
    if (ts.isIdentifier(property)) return property.text;
  }
  return undefined;
}

/** Object literals a factory returns: `function createFileManager() { return { upload() {…} } }`. */
function returnedObjects(fn: FunctionNode): ts.ObjectLiteralExpression[] {
  const body = fn.body;
  if (!body) return [];
  if (!ts.isBlock(body)) {
    const value = skipOuterExpressions(body);
    return ts.isObjectLiteralExpression(value) ? [value] : [];
  }
  const result: ts.ObjectLiteralExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionNode(node)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      const value = skipOuterExpressions(node.expression);
      if (ts.isObjectLiteralExpression(value)) result.push(value);
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return result;
}

/** Methods whose function arguments are callbacks of the value, never the function a factory hands back. */
const CALLBACK_METHODS = new Set(['then', 'catch', 'finally', 'map', 'filter', 'forEach', 'reduce', 'some', 'every', 'find', 'on', 'once']);

function functionsReturnedAs(expression: ts.Expression): FunctionNode[] {
  const value = skipOuterExpressions(expression);
  if (ts.isFunctionExpression(value) || ts.isArrowFunction(value)) return [value];
  if (!ts.isCallExpression(value)) return [];
  const callee = skipOuterExpressions(value.expression);
  if (ts.isPropertyAccessExpression(callee) && CALLBACK_METHODS.has(callee.name.text)) return [];
  return value.arguments.map((argument) => skipOuterExpressions(argument)).filter((argument): argument is ts.FunctionExpression | ts.ArrowFunction => ts.isFunctionExpression(argument) || ts.isArrowFunction(argument));
}

/**
 * Function literals a middleware factory returns: `function auth() { return (req, res, next) => … }`,
 * also through a wrapper (`return createMiddleware(async (c, next) => …)`, `return asyncHandler(…)`).
 */
export function returnedFunctions(fn: FunctionNode): FunctionNode[] {
  const body = fn.body;
  if (!body) return [];
  if (!ts.isBlock(body)) return functionsReturnedAs(body);
  const result: FunctionNode[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionNode(node)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      result.push(...functionsReturnedAs(node.expression));
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return result;
}

/** Per program, its own files (neither declaration files nor a package's). */
const ownFilesOf = new WeakMap<ts.Program, readonly ts.SourceFile[]>();

function ownFiles(program: ts.Program): readonly ts.SourceFile[] {
  let files = ownFilesOf.get(program);
  if (!files) ownFilesOf.set(program, (files = program.getSourceFiles().filter((file) => !file.isDeclarationFile && !program.isSourceFileFromExternalLibrary(file))));
  return files;
}

/**
 * A program's own files whose text matches, carried along its lineage. Patterns made per name (an
 * event's, a method's) are many, so a file's answer is not kept per pattern, only the list per program.
 */
function programFilesMatching(program: ts.Program, pattern: RegExp): readonly ts.SourceFile[] {
  return programFilesWhere(program, `text ${patternKey(pattern)}`, ownFiles(program), (file) => {
    pattern.lastIndex = 0;
    return pattern.test(file.text);
  });
}

/** A ModuleLookup over a program's files: how the syntax resolver follows `require` and finds global namespaces there. */
function programLookup(program: ts.Program): ModuleLookup {
  return {
    moduleFile(fromFile, specifier) {
      const file = moduleFileOf(program, fromFile, specifier);
      return file && !file.isDeclarationFile ? file : undefined;
    },
    filesMatching: (pattern) => {
      const key = patternKey(pattern);
      return programFilesWhere(program, `matching ${key}`, ownFiles(program), (file) => textMatches(file, pattern, key));
    },
  };
}

function patternKey(pattern: RegExp): string {
  return `${pattern.flags}/${pattern.source}`;
}

/** Per file, whether its text matches a pattern (by flags and source): kept as long as the file is, so an editor's next program tests only the edited file again. */
const matchedTexts = new WeakMap<ts.SourceFile, Map<string, boolean>>();

export function textMatches(file: ts.SourceFile, pattern: RegExp, key = patternKey(pattern)): boolean {
  let matches = matchedTexts.get(file);
  if (!matches) {
    matches = new Map();
    matchedTexts.set(file, matches);
  }
  let matched = matches.get(key);
  if (matched === undefined) {
    pattern.lastIndex = 0;
    matched = pattern.test(file.text);
    matches.set(key, matched);
  }
  return matched;
}

/** Per program, whether the checker binds a name to a declaration of the program's own files. */
const declaredInProgram = new WeakMap<ts.Program, Map<ts.Node, boolean>>();

/**
 * `X.a.b` whose root name `X` the checker cannot bind (or binds only in declaration files) and the
 * program assigns as a global namespace. The syntax is asked first: most names are no global
 * namespace's, and binding one with a new checker cost a keystroke much of a program-wide pass
 * (outline: every unresolved member written on a request path). The checker's answer is carried
 * to the next program as a verdict is.
 */
function isGlobalNamespaceAccess(target: ts.Expression, program: ts.Program, checker: ts.TypeChecker, globals: UntypedResolver): boolean {
  let root = skipOuterExpressions(target);
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isCallExpression(root)) root = skipOuterExpressions(root.expression);
  if (!ts.isIdentifier(root) || globals.globalNamespace(root.text) === undefined) return false;
  const name = root;
  return !cachedValue(declaredInProgram, program, name, () => (checker.getSymbolAtLocation(name)?.declarations ?? []).some((declaration) => !declaration.getSourceFile().isDeclarationFile && declaresName(declaration)));
}

/**
 * `ctx.cache.insert` whose root is a parameter the checker types `any` (a JavaScript factory's
 * `function (env, ctx)`), or a local read from one: syntax says what its callers hand it
 * (`require('./cache')(env, ctx)`) and what the program assigned to a context object of that name
 * (`ctx.cache = require('./cache')(env, ctx)`).
 */
function isUntypedParameterAccess(target: ts.Expression, checker: ts.TypeChecker): boolean {
  if (!ts.isPropertyAccessExpression(target) && !ts.isElementAccessExpression(target)) return false;
  let root = skipOuterExpressions(target);
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isCallExpression(root)) root = skipOuterExpressions(root.expression);
  if (!ts.isIdentifier(root)) return false;
  const declarations = checker.getSymbolAtLocation(root)?.declarations ?? [];
  // Typing the root can check much of the program (a local's initializer, a callback's contextual type): only asked once the syntax fits.
  const untyped = (): boolean => (checker.getTypeAtLocation(root).flags & ts.TypeFlags.Any) !== 0;
  // `var dp = app.drawphone` then `dp.newGame()`: a local the checker types `any` because it was read from such a parameter.
  const local = declarations.length === 1 && ts.isVariableDeclaration(declarations[0]) && !declarations[0].type && declarations[0].initializer ? skipOuterExpressions(declarations[0].initializer) : undefined;
  if (local && ts.isPropertyAccessExpression(local) && local !== target && untyped()) return isUntypedParameterAccess(local, checker);
  const declared = declarations.length === 1 && ts.isParameter(declarations[0]) ? declarations[0].type : null;
  return declared !== null && (declared === undefined || declared.kind === SyntaxKind.AnyKeyword) && untyped();
}

/**
 * `room.broadCast()` where `room` is what a Map read handed back (`roomList.get(id)`, directly, through a
 * local, or through a function returning it): a Map made without type arguments gives the checker
 * `any`, syntax reads what every `set` of the Map stores (`new Room(…)`).
 */
function isUntypedMapValueAccess(target: ts.Expression, checker: ts.TypeChecker): boolean {
  if (!ts.isPropertyAccessExpression(target)) return false;
  let owner = skipOuterExpressions(target.expression);
  if (ts.isIdentifier(owner)) {
    const declaration = checker.getSymbolAtLocation(owner)?.declarations?.[0];
    if (!declaration || !ts.isVariableDeclaration(declaration) || declaration.type || !declaration.initializer) return false;
    owner = skipOuterExpressions(declaration.initializer);
  }
  if (!ts.isCallExpression(owner) || checker.getSymbolAtLocation(target.name) !== undefined) return false;
  try {
    return (checker.getTypeAtLocation(target.expression).flags & ts.TypeFlags.Any) !== 0;
  } catch {
    return false;
  }
}

/**
 * `this.pollAll()` in a plain function of its own file that another file hangs on a constructor's
 * prototype (`Device.prototype.setupPoll = setupPoll`): the checker types that `this` `any`, syntax
 * reads the prototype it is given to.
 */
function isUntypedThisAccess(target: ts.Expression, checker: ts.TypeChecker): boolean {
  if (!ts.isPropertyAccessExpression(target) || skipOuterExpressions(target.expression).kind !== SyntaxKind.ThisKeyword) return false;
  if ((checker.getTypeAtLocation(target.expression).flags & ts.TypeFlags.Any) !== 0) return true;
  // With checkJs, a function that assigns `this.available = …` is read as a class of its own, which has no `checkHealth`.
  return checker.getSymbolAtLocation(target.name) === undefined && (checker.getTypeAtLocation(target).flags & ts.TypeFlags.Any) !== 0;
}

/**
 * `this.store.del()` where a JavaScript constructor set `this.store = store` from a parameter the checker
 * types `any`: syntax reads what the code creating the class hands that parameter (`new Db(dir, store)`).
 */
function isUntypedFieldAccess(target: ts.Expression, checker: ts.TypeChecker): boolean {
  if (!ts.isPropertyAccessExpression(target)) return false;
  const field = skipOuterExpressions(target.expression);
  if (!ts.isPropertyAccessExpression(field) || skipOuterExpressions(field.expression).kind !== SyntaxKind.ThisKeyword) return false;
  return (checker.getTypeAtLocation(field).flags & ts.TypeFlags.Any) !== 0;
}

/**
 * `notes.save()` where `notes = new JsonStore(dir)` and `JsonStore`, a JavaScript constructor function,
 * takes `save` from its base (`util.inherits(JsonStore, Store)`, `JsonStore.prototype =
 * Object.create(Store.prototype)`): the checker knows the instance but not what ES5 inheritance gives
 * it, so it finds no member; syntax follows the inheritance.
 */
function isInheritedConstructorFunctionMember(target: ts.Expression, checker: ts.TypeChecker): boolean {
  if (!ts.isPropertyAccessExpression(target) || !JAVASCRIPT_FILE.test(target.getSourceFile().fileName)) return false;
  if (checker.getSymbolAtLocation(target.name) !== undefined) return false;
  const declaration = checker.getTypeAtLocation(target.expression).getSymbol()?.valueDeclaration;
  if (!declaration) return false;
  if (ts.isFunctionDeclaration(declaration) || ts.isFunctionExpression(declaration)) return true;
  return ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined && ts.isFunctionExpression(skipOuterExpressions(declaration.initializer));
}

const JAVASCRIPT_FILE = /\.[cm]?jsx?$/;

function isThisField(target: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(target) && skipOuterExpressions(target.expression).kind === SyntaxKind.ThisKeyword;
}

/** `this.event = event` in a function (not a class) whose parameter `event` is: the field is what its callers hand it. */
function isParameterFieldAssignment(declaration: ts.Declaration): boolean {
  const assignment = ts.isBinaryExpression(declaration) ? declaration : ts.isBinaryExpression(declaration.parent) ? declaration.parent : undefined;
  if (!assignment || assignment.operatorToken.kind !== SyntaxKind.EqualsToken) return false;
  const value = skipOuterExpressions(assignment.right);
  if (!ts.isIdentifier(value)) return false;
  let fn: ts.Node | undefined = assignment.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn || !(ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn))) return false;
  return fn.parameters.some((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === value.text);
}

/**
 * `thisGame.addPlayer()` where `var thisGame;` is declared without a value or a type and set later by
 * the handlers around it (`thisGame = lobby.newGame()`): the checker types it `any`, syntax reads what
 * the handlers assign.
 */
function isUntypedLateLocalAccess(target: ts.Expression, checker: ts.TypeChecker): boolean {
  if (!ts.isPropertyAccessExpression(target)) return false;
  const root = skipOuterExpressions(target.expression);
  if (!ts.isIdentifier(root)) return false;
  const declarations = checker.getSymbolAtLocation(root)?.declarations ?? [];
  const declaration = declarations.length === 1 ? declarations[0] : undefined;
  if (!declaration || !ts.isVariableDeclaration(declaration) || declaration.initializer || declaration.type || !ts.isIdentifier(declaration.name)) return false;
  return (checker.getTypeAtLocation(root).flags & ts.TypeFlags.Any) !== 0;
}

/**
 * `new LocalUploader()` after `import { LocalUploader } from './uploader'`, where that file imports
 * with ES syntax but exports with `module.exports = { LocalUploader }` (code compiled by Babel): the
 * checker reads it as an ES module without that export, and syntax still finds it. So too a name
 * the checker types `any` because it was made from one (`const uploader = new LocalUploader()`).
 */
/**
 * `store.add(…)` with `const store = _.extend(new EventEmitter(), { add() {…} })` where the checker
 * has no types for lodash (the value is `any`): the copied members are the object literal's, as the
 * syntax says.
 */
function isUntypedCopyAccess(target: ts.Expression, checker: ts.TypeChecker): boolean {
  if (!ts.isPropertyAccessExpression(target)) return false;
  const owner = skipOuterExpressions(target.expression);
  if (!ts.isIdentifier(owner)) return false;
  try {
    const declaration = checker.getSymbolAtLocation(owner)?.declarations?.[0];
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
    const made = skipOuterExpressions(declaration.initializer);
    return ts.isCallExpression(made) && isObjectAssign(made.expression) && (checker.getTypeAtLocation(owner).flags & ts.TypeFlags.Any) !== 0;
  } catch {
    return false;
  }
}

/**
 * `self.store(…)` with `const self = { onHold: new Set() }` at a JavaScript module's top level and `self.store = …`
 * assigned after it: the checker types the object by its literal and has no symbol for the member (a non-empty literal
 * is no expando), so syntax reads the assignment (`moduleObjectMembers`).
 */
function isModuleObjectMemberAccess(target: ts.Expression, checker: ts.TypeChecker): boolean {
  if (!ts.isPropertyAccessExpression(target)) return false;
  const owner = skipOuterExpressions(target.expression);
  if (!ts.isIdentifier(owner)) return false;
  try {
    if (checker.getSymbolAtLocation(target.name)) return false;
    const declaration = checker.getSymbolAtLocation(owner)?.declarations?.[0];
    return declaration !== undefined && moduleObjectMembers(declaration, target.name.text).length > 0;
  } catch {
    return false;
  }
}

function isUnresolvedProjectImport(target: ts.Expression, checker: ts.TypeChecker, depth = 0): boolean {
  let root = skipOuterExpressions(target);
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isCallExpression(root) || ts.isNewExpression(root)) root = skipOuterExpressions(root.expression);
  if (!ts.isIdentifier(root)) return false;
  const symbol = checker.getSymbolAtLocation(root);
  const declaration = symbol?.declarations?.[0];
  if (!symbol || !declaration) return false;
  if (ts.isImportSpecifier(declaration) || ts.isImportClause(declaration)) {
    const specifier = ts.findAncestor(declaration, ts.isImportDeclaration)?.moduleSpecifier;
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) return false;
    return (checker.getAliasedSymbol(symbol).declarations?.length ?? 0) === 0;
  }
  // `var db = require('./database'); db.cleanOldAliases()`, where that file imports with ES syntax and
  // exports with `module.exports.cleanOldAliases = …`: the checker types the module without the member.
  if (depth === 0 && ts.isVariableDeclaration(declaration) && declaration.initializer && (requiredPath(declaration.initializer)?.module.startsWith('.') ?? false)) {
    const member = memberOfRoot(target, root);
    if (member && !checker.getSymbolAtLocation(member.name)) return true;
  }
  // Typing the root can check much of the program: only asked once the syntax fits.
  let any: boolean | undefined;
  const untyped = (): boolean => (any ??= (checker.getTypeAtLocation(root).flags & ts.TypeFlags.Any) !== 0);
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
    // `const store = require('./store')` where the module's export is typed `any` (built by a package the
    // checker cannot see, `_.extend(new EventEmitter(), { add() {…} })`): the module's own syntax says what it holds.
    if (requiredPath(declaration.initializer)?.module.startsWith('.') && untyped()) return true;
    return depth < 2 && untyped() && isUnresolvedProjectImport(declaration.initializer, checker, depth + 1);
  }
  // `const { handleBan } = require('./handlers')` where that module is a barrel the checker types `any`
  // (`Object.assign({}, chat, admin, …)` with more sources than `Object.assign`'s typed overloads take).
  const holder = ts.isBindingElement(declaration) ? declaration.parent.parent : undefined;
  const destructured = depth === 0 && holder && ts.isVariableDeclaration(holder) && holder.initializer ? requiredPath(holder.initializer) : undefined;
  return destructured !== undefined && destructured.path.length === 0 && destructured.module.startsWith('.') && untyped();
}

/** The first member read off the root of an access chain: `db.users` in `db.users.purgeAccount(id)`. */
function memberOfRoot(target: ts.Expression, root: ts.Identifier): ts.PropertyAccessExpression | undefined {
  let current = skipOuterExpressions(target);
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current) || ts.isCallExpression(current) || ts.isNewExpression(current)) {
    const inner = skipOuterExpressions(current.expression);
    if (inner === root) return ts.isPropertyAccessExpression(current) ? current : undefined;
    current = inner;
  }
  return undefined;
}

/**
 * A declaration that binds a name to a value: not the expando a JavaScript file's `WIKI.cache = …`
 * gives an undeclared global, nor an ambient one (`declare global { var db: any }`) whose value is assigned elsewhere.
 */
function declaresName(declaration: ts.Declaration): boolean {
  if (ts.findAncestor(declaration, (node) => ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((modifier) => modifier.kind === SyntaxKind.DeclareKeyword) ?? false))) return false;
  return ts.isVariableDeclaration(declaration) || ts.isFunctionDeclaration(declaration) || ts.isClassDeclaration(declaration) || ts.isParameter(declaration) || ts.isBindingElement(declaration) || ts.isImportClause(declaration) || ts.isImportSpecifier(declaration) || ts.isNamespaceImport(declaration) || ts.isImportEqualsDeclaration(declaration) || ts.isEnumDeclaration(declaration) || ts.isModuleDeclaration(declaration);
}
