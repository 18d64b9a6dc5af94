import ts = require('typescript');
import type { SharedState } from '../analysis/shared-state';
import { isWriteTarget, skipOuterExpressions } from '../analysis/text';
import type { TextEdit } from '../types';
import type { FixContext } from './context';
import { unsafePart } from './lock-cache-fixes';
import { importEdit, moduleSpecifier, useAdapter } from './module-edits';
import { referencesOf } from './references';
import { changesThrough, isImportOrExportName, isJavaScript, type PlanResult } from './state-fixes';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/**
 * Moves a module variable that requests replace whole (`maintenance = req.body.on`, `announcement =
 * text`, `settings = req.body`) to the Redis value adapter: the declaration becomes
 * `createValue('maintenance', false)`, each `x = v;` becomes `await x.set(v)` and each read
 * `await x.get()`. A change made inside the value (`settings.theme = …`), arithmetic on it, or a
 * CommonJS export of it (which copies the value once) has no counterpart, and the fix is refused there.
 */
export function valuePlan(state: SharedState, context: FixContext, messageId: string): PlanResult {
  const declaration = state.nameNode.parent;
  if ((state.kind !== 'module' && state.kind !== 'closure') || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) {
    return { refused: `\`${state.name}\` is a value the fix can only move from a variable of its own (\`let ${state.name} = …\`)` };
  }
  const name = state.name;
  const file = declaration.getSourceFile();
  const javaScript = isJavaScript(file);
  let typeArgument = '';
  if (!javaScript) {
    const checker = context.program.getTypeChecker();
    const type = checker.getTypeAtLocation(declaration.name);
    const problem = unsafePart(checker, type, 0);
    if (problem) return { refused: `\`${name}\` holds ${problem}, which Redis would store as JSON and give back changed` };
    typeArgument = declaration.type ? `<${declaration.type.getText()}>` : `<${checker.typeToString(type, declaration, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseFullyQualifiedType)}>`;
    if (/\bimport\(|typeof /.test(typeArgument)) return { refused: `the type of \`${name}\` cannot be written in this file` };
  }
  if (declaration.initializer && notJson(declaration.initializer)) return { refused: `\`${name}\` starts as ${declaration.initializer.getText()}, which is not plain data: Redis would store it as JSON and give back something else` };
  const rewriter = context.rewriter();
  const edits: TextEdit[] = [];
  for (const reference of referencesOf(context.program, declaration.name)) {
    if (reference === declaration.name) continue;
    if (isImportOrExportName(reference)) {
      // `export let x` is read live by importers (their reads are rewritten); `module.exports = { x }` copied it once.
      if (ts.isImportSpecifier(reference.parent) || ts.isExportSpecifier(reference.parent) || ts.isImportClause(reference.parent)) continue;
      let statement: ts.Node = reference;
      while (statement.parent && !ts.isSourceFile(statement.parent) && !ts.isStatement(statement)) statement = statement.parent;
      return { refused: `\`${statement.getText().replace(/;$/, '')}\` (${context.where(reference)}) exports a copy of \`${name}\` made when the module loads, which the fix cannot keep up to date` };
    }
    const use = valueUse(reference, name);
    if ('unsupported' in use) return { refused: `\`${use.unsupported.getText()}\` (${context.where(use.unsupported)}) ${use.why}` };
    if ('shorthand' in use) {
      // { announcement } → { announcement: await announcement.get() }
      const shorthandFile = use.shorthand.getSourceFile();
      edits.push({ fileName: shorthandFile.fileName, start: use.shorthand.getStart(shorthandFile), end: use.shorthand.getEnd(), newText: `${name}: await ${name}.get()` });
      rewriter.requireAsync(use.shorthand);
    } else rewriter.awaitExpression(use.node, use.text);
  }
  if (rewriter.refused) return { refused: rewriter.refused };
  const use = useAdapter('value.ts', context.projectRoot, context.adapterDir, context.exists);
  const initial = declaration.initializer ? declaration.initializer.getText() : 'undefined';
  const list = declaration.parent;
  if (ts.isVariableDeclarationList(list) && list.declarations.length === 1 && !(list.flags & ts.NodeFlags.Const)) {
    const keyword = list.getFirstToken(file);
    if (keyword) edits.push({ fileName: file.fileName, start: keyword.getStart(file), end: keyword.getEnd(), newText: 'const' });
  }
  edits.push({ fileName: file.fileName, start: declaration.name.getEnd(), end: declaration.getEnd(), newText: ` = createValue${typeArgument}(${context.storeName(name)}, ${initial})` });
  const importLine = importEdit(file, ['createValue'], moduleSpecifier(file, use.fileName, context.program.getCompilerOptions()));
  if (importLine) edits.push(importLine);
  edits.push(...rewriter.result());
  return { plan: { messageId, data: { name, adapter: context.displayPath(use.fileName) }, edits, createFiles: use.createFiles, dependencies: use.dependencies } };
}

type ValueUse = { node: ts.Expression; text: string } | { shorthand: ts.ShorthandPropertyAssignment } | { unsupported: ts.Node; why: string };

/** How one use of the variable reads with the shared value: `x = v;` sets, anything that only reads it gets. */
function valueUse(reference: ts.Identifier, name: string): ValueUse {
  const parent = reference.parent;
  if (ts.isShorthandPropertyAssignment(parent)) return { shorthand: parent };
  if (isWriteTarget(reference)) {
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === SyntaxKind.EqualsToken && ts.isExpressionStatement(parent.parent)) {
      if (notJson(parent.right)) return { unsupported: parent.right, why: 'is not plain data, and Redis would store it as JSON and give back something else' };
      return { node: parent, text: `${name}.set(${parent.right.getText()})` };
    }
    return { unsupported: parent, why: 'changes the value in a way the shared value has no counterpart for (only `x = value;` as a statement sets it)' };
  }
  if (ts.isDeleteExpression(parent)) return { unsupported: parent, why: 'has no counterpart in the shared value' };
  // `settings.theme = …`, `list.push(…)`, or through a local: a change the stored copy would not keep.
  const changed = changesThrough(reference)[0];
  if (changed) return { unsupported: changed, why: 'changes the value in place, and Redis would not keep the change' };
  return { node: reference, text: `${name}.get()` };
}

/** A value JSON would not give back as it was: an object made by a constructor, a function, a class. */
export function notJson(expression: ts.Expression): boolean {
  const value = skipOuterExpressions(expression);
  return ts.isNewExpression(value) || ts.isArrowFunction(value) || ts.isFunctionExpression(value) || ts.isClassExpression(value);
}
