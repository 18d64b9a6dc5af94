import ts = require('typescript');

const indexes = new WeakMap<ts.Program, Map<string, ts.Identifier[]>>();

/** Every identifier in the program's own files, by name. Built once per program, only when a fix needs references. */
function identifierIndex(program: ts.Program): Map<string, ts.Identifier[]> {
  const cached = indexes.get(program);
  if (cached) return cached;
  const index = new Map<string, ts.Identifier[]>();
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node)) {
        const list = index.get(node.text);
        if (list) list.push(node);
        else index.set(node.text, [node]);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  indexes.set(program, index);
  return index;
}

/** The symbol an identifier stands for, through import aliases. */
export function symbolOf(checker: ts.TypeChecker, node: ts.Node): ts.Symbol | undefined {
  try {
    // `{ count }` refers to the variable `count`, not to the new property.
    let symbol = ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node ? checker.getShorthandAssignmentValueSymbol(node.parent) : checker.getSymbolAtLocation(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    return symbol;
  } catch {
    return undefined;
  }
}

/** Identifiers across the program that refer to the same symbol as `name` (its declaration included). */
export function referencesOf(program: ts.Program, name: ts.Identifier): ts.Identifier[] {
  const checker = program.getTypeChecker();
  const target = symbolOf(checker, name);
  if (!target) return [];
  return (identifierIndex(program).get(name.text) ?? []).filter((identifier) => identifier !== name && sameSymbol(symbolOf(checker, identifier), target));
}

/** The same symbol, or one the checker made for it (a JS class's members are merged into new symbols): they share a declaration. */
function sameSymbol(symbol: ts.Symbol | undefined, target: ts.Symbol): boolean {
  if (!symbol) return false;
  if (symbol === target) return true;
  const declarations = target.declarations ?? [];
  return declarations.length > 0 && (symbol.declarations ?? []).some((declaration) => declarations.includes(declaration));
}

/** Identifiers spelled `text` across the program that refer to `target` (a property of an exported object, say). */
export function referencesOfSymbol(program: ts.Program, text: string, target: ts.Symbol): ts.Identifier[] {
  const checker = program.getTypeChecker();
  return (identifierIndex(program).get(text) ?? []).filter((identifier) => sameSymbol(symbolOf(checker, identifier), target));
}
