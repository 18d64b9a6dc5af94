import ts = require('typescript');

/** The adapters' constructors whose first argument names the state in Redis. */
const NAMED_BY_FIRST_ARGUMENT = new Set(['createCache', 'createCounter', 'createCounterMap', 'createList', 'createValue', 'createPubSub', 'createSessionStore', 'createLeaderLock', 'runAsLeader', 'withLock', 'tryAcquireLock', 'acquireLock']);

/** Per program: the files that keep module state under a name, or already name Redis state with it. */
const namesByProgram = new WeakMap<ts.Program, Map<string, Set<string>>>();

/**
 * The Redis name of state `name` declared in `fileName`: its own name, unless another file of the
 * project keeps module state of the same name (two `const countCache = new Map()`, one per query
 * module) or already gave that name to Redis state. Both would then read and clear one shared set
 * of keys, so the name is qualified by its module: `bookFilters.countCache`.
 */
export function uniqueStoreName(name: string, fileName: string, program: ts.Program): string {
  const variable = name.split('.')[0];
  const holders = namedState(program).get(variable);
  if (!holders || [...holders].every((holder) => holder === fileName)) return name;
  return `${moduleName(fileName)}.${name}`;
}

/** `src/queries/bookFilters.ts` → `bookFilters`; an index module is named after its folder. */
function moduleName(fileName: string): string {
  const parts = fileName.split('/');
  const base = parts[parts.length - 1].replace(/\.[cm]?[jt]sx?$/, '');
  return base === 'index' && parts.length > 1 ? parts[parts.length - 2] : base;
}

function namedState(program: ts.Program): Map<string, Set<string>> {
  const known = namesByProgram.get(program);
  if (known) return known;
  const names = new Map<string, Set<string>>();
  const add = (name: string, fileName: string): void => {
    const files = names.get(name) ?? new Set<string>();
    files.add(fileName);
    names.set(name, files);
  };
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || file.fileName.includes('/node_modules/')) continue;
    for (const statement of file.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && holdsState(declaration)) add(declaration.name.text, file.fileName);
      }
    }
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && NAMED_BY_FIRST_ARGUMENT.has(node.expression.text)) {
        const first = node.arguments[0];
        // `'bookFilters.countCache'` holds a `countCache` too.
        if (first && ts.isStringLiteralLike(first)) for (const part of first.text.split('.')) add(part, file.fileName);
      }
      ts.forEachChild(node, visit);
    };
    if (/\bcreate[A-Z]|\bwithLock\b|\bacquireLock\b|\brunAsLeader\b/.test(file.text)) visit(file);
  }
  namesByProgram.set(program, names);
  return names;
}

/** A module variable that can hold state a fix moves: a collection, a record, a number, or nothing yet. */
function holdsState(declaration: ts.VariableDeclaration): boolean {
  const initializer = declaration.initializer;
  if (!initializer) return ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) === 0;
  return ts.isNewExpression(initializer) || ts.isObjectLiteralExpression(initializer) || ts.isArrayLiteralExpression(initializer) || ts.isNumericLiteral(initializer);
}
