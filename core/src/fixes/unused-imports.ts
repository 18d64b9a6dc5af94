import ts = require('typescript');
import type { FixPlan, RemovedStatement, TextEdit } from '../types';
import { applyEdits, parse } from './invariants';

/**
 * The plan, with the imports it leaves unused taken out: a name the file used before the fix and no
 * longer uses after it (`createWriteStream` once the upload goes to the object store, `fastifyStatic`
 * once the object store serves the folder). Left behind, each fails `noUnusedLocals` (so the fix's
 * own type check refuses it) and every lint run. Imports the plan edits, names that were unused
 * before, and type-only imports are left as they are. In JavaScript a project module loses only its
 * bindings: `require('./db')` keeps loading it, as it did before, for whatever it does when it loads.
 */
export function withoutImportsLeftUnused<Plan extends Pick<FixPlan, 'edits' | 'removedStatements'>>(plan: Plan, textOf: (fileName: string) => string | undefined): Plan {
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of plan.edits) byFile.set(edit.fileName, [...(byFile.get(edit.fileName) ?? []), edit]);
  const edits: TextEdit[] = [];
  const removedStatements: RemovedStatement[] = [];
  for (const [fileName, fileEdits] of byFile) {
    const original = textOf(fileName);
    if (original === undefined) continue;
    const before = parse(fileName, original);
    const usesBefore = usesByName(before);
    const usesAfter = usesByName(parse(fileName, applyEdits(original, fileEdits)));
    const leftUnused = (name: ts.Identifier): boolean => (usesBefore.get(name.text) ?? 0) > 0 && (usesAfter.get(name.text) ?? 0) === 0;
    for (const statement of before.statements) {
      const imported = importedNames(statement);
      if (!imported || imported.bindings.length === 0) continue;
      const planned = [...fileEdits, ...edits.filter((edit) => edit.fileName === fileName)];
      if (touches(planned, statement.getStart(before), statement.getEnd())) continue;
      const unused = imported.bindings.filter(leftUnused);
      if (unused.length === 0) continue;
      const names = unused.map((name) => `\`${name.text}\``).join(', ');
      if (unused.length === imported.bindings.length) {
        // TypeScript drops an import none of whose names is used from what it emits, so in a TypeScript file the
        // module was not loaded for it once unused; JavaScript loads it anyway, which a bare import keeps doing.
        const isJavaScript = /\.[cm]?jsx?$/.test(fileName);
        const bare = isJavaScript && imported.specifier.startsWith('.') ? (ts.isImportDeclaration(statement) ? `import '${imported.specifier}';` : `require('${imported.specifier}');`) : undefined;
        const span = bare ? { start: statement.getStart(before), end: statement.getEnd() } : lines(before, statement, planned);
        if (!span) continue;
        edits.push({ fileName, start: span.start, end: span.end, newText: bare ?? '' });
        const reason = `${names} ${unused.length === 1 ? 'has' : 'have'} no use left after the fix${bare ? ', and the module is still loaded' : ''}`;
        removedStatements.push({ fileName, start: statement.getStart(before), end: statement.getEnd(), reason });
        continue;
      }
      edits.push(...partialRemoval(before, statement, unused));
    }
  }
  if (edits.length === 0) return plan;
  return { ...plan, edits: [...plan.edits, ...edits], ...(removedStatements.length > 0 ? { removedStatements: [...(plan.removedStatements ?? []), ...removedStatements] } : {}) };
}

interface ImportedNames {
  specifier: string;
  bindings: ts.Identifier[];
}

/** What a top-level import brings in by name: `import a, { b } from 'x'`, `import * as x from 'x'`, `const { b } = require('x')`, `const x = require('x')`. */
function importedNames(statement: ts.Statement): ImportedNames | undefined {
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (!clause || clause.isTypeOnly || !ts.isStringLiteral(statement.moduleSpecifier)) return undefined;
    const bindings: ts.Identifier[] = clause.name ? [clause.name] : [];
    const named = clause.namedBindings;
    if (named && ts.isNamespaceImport(named)) bindings.push(named.name);
    // A list with a type-only element is left alone: removing the others could leave `import { type T }`, which some settings treat differently.
    if (named && ts.isNamedImports(named)) {
      if (named.elements.some((element) => element.isTypeOnly)) return undefined;
      bindings.push(...named.elements.map((element) => element.name));
    }
    return { specifier: statement.moduleSpecifier.text, bindings };
  }
  if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1) return undefined;
  const declaration = statement.declarationList.declarations[0];
  const specifier = declaration.initializer && requiredModule(declaration.initializer);
  if (specifier === undefined) return undefined;
  if (ts.isIdentifier(declaration.name)) return { specifier, bindings: [declaration.name] };
  if (!ts.isObjectBindingPattern(declaration.name) || declaration.name.elements.some((element) => element.dotDotDotToken || element.initializer || !ts.isIdentifier(element.name))) return undefined;
  return { specifier, bindings: declaration.name.elements.map((element) => element.name as ts.Identifier) };
}

/** `require('x')` (or a member of it, `require('x').promises`): the module's specifier. */
function requiredModule(initializer: ts.Expression): string | undefined {
  let value = initializer;
  while (ts.isPropertyAccessExpression(value)) value = value.expression;
  if (!ts.isCallExpression(value) || !ts.isIdentifier(value.expression) || value.expression.text !== 'require' || value.arguments.length !== 1) return undefined;
  const argument = value.arguments[0];
  return ts.isStringLiteralLike(argument) ? argument.text : undefined;
}

/** How many times each name is used as a value or a type: every identifier but declarations' own names, members (`x.name`) and keys (`{ name: 1 }`). A shadowing local counts as a use, which keeps the import. */
function usesByName(file: ts.SourceFile): Map<string, number> {
  const uses = new Map<string, number>();
  const visit = (node: ts.Node): void => {
    if (ts.isSourceFile(node.parent) && importedNames(node as ts.Statement)) return;
    if (ts.isIdentifier(node) && !isNameOnly(node)) uses.set(node.text, (uses.get(node.text) ?? 0) + 1);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(file, visit);
  return uses;
}

function isNameOnly(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) return true;
  if (ts.isQualifiedName(parent) && parent.right === identifier) return true;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isPropertySignature(parent) || ts.isMethodSignature(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent) || ts.isEnumMember(parent)) && parent.name === identifier) return true;
  return false;
}

/** Removes some bindings of an import that keeps others: list elements with their comma, a default name with the comma after it. */
function partialRemoval(file: ts.SourceFile, statement: ts.Statement, unused: readonly ts.Identifier[]): TextEdit[] {
  const drop = new Set(unused);
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause!;
    const named = clause.namedBindings;
    const keptElements = named && ts.isNamedImports(named) ? named.elements.filter((element) => !drop.has(element.name)) : [];
    const keepNamespace = named && ts.isNamespaceImport(named) && !drop.has(named.name);
    const keepDefault = clause.name !== undefined && !drop.has(clause.name);
    // Rewritten as one clause from the kept parts' own text: `import a, { b } from 'x'` → `import { b } from 'x'`.
    const parts = [...(keepDefault ? [clause.name.getText(file)] : []), ...(keepNamespace ? [named.getText(file)] : []), ...(keptElements.length > 0 ? [`{ ${keptElements.map((element) => element.getText(file)).join(', ')} }`] : [])];
    if (named && ts.isNamedImports(named) && keptElements.length > 0 && keepDefault === (clause.name !== undefined)) return elementRemovals(file, named.elements, drop);
    return [{ fileName: file.fileName, start: clause.getStart(file), end: clause.getEnd(), newText: parts.join(', ') }];
  }
  const pattern = (statement as ts.VariableStatement).declarationList.declarations[0].name as ts.ObjectBindingPattern;
  return elementRemovals(file, pattern.elements, drop);
}

function elementRemovals(file: ts.SourceFile, list: ts.NodeArray<ts.ImportSpecifier | ts.BindingElement>, drop: ReadonlySet<ts.Identifier>): TextEdit[] {
  const dropped = (element: ts.ImportSpecifier | ts.BindingElement): boolean => drop.has(element.name as ts.Identifier);
  const lastKept = list.length - 1 - [...list].reverse().findIndex((element) => !dropped(element));
  const edits: TextEdit[] = [];
  // Before the last kept one, each with the comma after it; after it, all of them with the comma before the first.
  list.forEach((element, index) => {
    if (index < lastKept && dropped(element)) edits.push({ fileName: file.fileName, start: element.getStart(file), end: list[index + 1].getStart(file), newText: '' });
  });
  if (lastKept < list.length - 1) edits.push({ fileName: file.fileName, start: list[lastKept].getEnd(), end: list[list.length - 1].getEnd(), newText: '' });
  return edits;
}

/** An edit overlaps the span, or inserts inside it (an insertion where it starts or ends is beside it). */
function touches(edits: readonly TextEdit[], start: number, end: number): boolean {
  return edits.some((edit) => (edit.start < end && start < edit.end) || (edit.start === edit.end && start < edit.start && edit.start < end));
}

/**
 * What removes a statement alone on its line: the line break before it and the statement (so a new
 * import inserted where it ends still has its place), or the statement and the break after it, or
 * the statement alone; the first of them no edit of the plan falls inside.
 */
function lines(file: ts.SourceFile, statement: ts.Statement, edits: readonly TextEdit[]): { start: number; end: number } | undefined {
  const text = file.text;
  const start = statement.getStart(file);
  const end = statement.getEnd();
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = /^[ \t]*(?:\r?\n|$)/.exec(text.slice(end))?.[0].length;
  const alone = text.slice(lineStart, start).trim() === '' && lineEnd !== undefined;
  const spans = alone ? [...(lineStart > 0 ? [{ start: lineStart - (text[lineStart - 2] === '\r' ? 2 : 1), end }] : []), { start: lineStart, end: end + lineEnd }] : [];
  // Beside another edit (the import before it removed with its line break): the statement alone, leaving its line empty.
  return [...spans, { start, end }].find((span) => !touches(edits, span.start, span.end));
}
