import ts = require('typescript');
import type { SharedState } from '../analysis/shared-state';
import { isPlainData, isWriteTarget, skipOuterExpressions, within } from '../analysis/text';
import type { ReplacedStatement, TextEdit } from '../types';
import type { FixContext } from './context';
import { importEdit, moduleSpecifier, useAdapter } from './module-edits';
import { referencesOf } from './references';
import { changesThrough, isImportOrExportName, isJavaScript, type PlanResult } from './state-fixes';
import { changedEntry } from './map-listing';
import { callerChanges, changesThroughCallers, entryWriteBack, type WriteBack } from './write-back';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** Array methods that only read: called on the list's entries as they are (a snapshot read from Redis). */
const READING_METHODS = new Set(['filter', 'map', 'slice', 'find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'every', 'includes', 'indexOf', 'lastIndexOf', 'forEach', 'reduce', 'reduceRight', 'concat', 'join', 'at', 'flatMap', 'flat', 'toSorted', 'toReversed']);

const RETURNED_ENTRY_CHANGED = 'changes in place an entry a function returns from the list, and the Redis list would not keep the change';

/** Calls a whole list may be handed to that do not change it: sent, serialized, emitted, rendered. */
const SENDING_CALLS = /^(?:JSON\.stringify|[\w$.]+\.(?:json|send|emit|write|end|render|jsonp|broadcast)|Array\.from)$/;

/**
 * Moves a module-level array of entries (the last N messages, a catch-up buffer, an activity log)
 * to the Redis list adapter: `push`/`unshift`/`shift`/`pop` become the list's, a cap
 * (`if (log.length > 50) log.shift();`) becomes `keepLast(50)`, reads go through a snapshot of the
 * entries (`(await log.all()).filter(…)`), and `log.length` becomes `await log.size()`. Anything
 * that changes the array or its entries in place (`log[i] = x`, `log.sort()`, `log.find(…).seen = 1`)
 * has no counterpart, and the fix is refused there.
 */
export function listPlan(state: SharedState, context: FixContext): PlanResult {
  const declaration = state.nameNode.parent;
  if ((state.kind !== 'module' && state.kind !== 'closure') || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name) || !declaration.initializer) {
    return { refused: `\`${state.name}\` is a list the fix can only move from a variable of its own (\`const ${state.name} = []\`)` };
  }
  const initializer = skipOuterExpressions(declaration.initializer);
  if (!ts.isArrayLiteralExpression(initializer)) return { refused: `\`${state.name}\` starts with entries` };
  // `let todos = [{ id: 1, title: 'Read the docs' }]`: the list starts with them once, on every instance.
  const seed = initializer.elements.find((element) => !isPlainData(element));
  if (seed) return { refused: `\`${state.name}\` starts with \`${seed.getText()}\`, which the Redis list cannot start with as written (its entries are JSON)` };
  const name = state.name;
  const rewriter = context.rewriter();
  const edits: TextEdit[] = [];
  const caps = new Set<ts.Node>();
  const replacedStatements: ReplacedStatement[] = [];
  const references = referencesOf(context.program, declaration.name).filter((reference) => reference !== declaration.name && !isImportOrExportName(reference));
  const writtenBackAfter = new Set<ts.Statement>();
  // Files that save an entry a function of the list's module returned: they import saveEntry from the adapter.
  const savingFiles = new Set<ts.SourceFile>();
  // Caps and filters first: the uses inside one are rewritten with it.
  for (const reference of references) {
    const filter = [...caps].some((statement) => within(reference, statement)) ? undefined : filterOf(reference, name);
    if (!filter) continue;
    caps.add(filter.statement);
    const file = filter.statement.getSourceFile();
    edits.push({ fileName: file.fileName, start: filter.statement.getStart(file), end: filter.statement.getEnd(), newText: `await ${name}.keepWhere(${filter.keep});` });
    replacedStatements.push({ fileName: file.fileName, start: filter.statement.getStart(file), end: filter.statement.getEnd(), replacement: `await ${name}.keepWhere(${filter.keep})`, reason: `the Redis list drops the same entries (LREM of each one the callback rejects), and keeps entries other instances add meanwhile` });
    rewriter.requireAsync(filter.statement);
  }
  for (const reference of references) {
    const cap = [...caps].some((statement) => within(reference, statement)) ? undefined : capOf(reference, name);
    if (!cap) continue;
    caps.add(cap.statement);
    const file = cap.statement.getSourceFile();
    edits.push({ fileName: file.fileName, start: cap.statement.getStart(file), end: cap.statement.getEnd(), newText: `await ${name}.${cap.call};` });
    replacedStatements.push({ fileName: file.fileName, start: cap.statement.getStart(file), end: cap.statement.getEnd(), replacement: `await ${name}.${cap.call}`, reason: `the Redis list is trimmed to the same entries (LTRIM), whichever instance added them` });
    rewriter.requireAsync(cap.statement);
  }
  // `todos[index] = { …todos[index], done: true };`: the entry at that index is replaced, with what it reads of the list read from Redis.
  for (const reference of references) {
    const parent = reference.parent;
    const assignment = parent.parent;
    if ([...caps].some((statement) => within(reference, statement)) || !ts.isElementAccessExpression(parent) || parent.expression !== reference || !ts.isBinaryExpression(assignment) || assignment.left !== parent || assignment.operatorToken.kind !== SyntaxKind.EqualsToken || !ts.isExpressionStatement(assignment.parent)) continue;
    const statement = assignment.parent;
    const inner = references.filter((other) => other !== reference && within(other, statement));
    const read = inner.find((other) => { const use = listUse(other, name, context); return !('node' in use) || use.text !== `${name}.all()` || (use.writeBacks?.length ?? 0) > 0; });
    if (read) return { refused: `\`${statement.getText()}\` (${context.where(statement)}) uses the list in a way the fix cannot rewrite with the entry it replaces` };
    const withReads = (node: ts.Node): string => {
      let text = node.getText();
      for (const other of [...inner].filter((candidate) => within(candidate, node)).sort((a, b) => b.getStart() - a.getStart())) {
        const at = other.getStart() - node.getStart();
        text = `${text.slice(0, at)}(await ${name}.all())${text.slice(at + other.getWidth())}`;
      }
      return text;
    };
    caps.add(statement);
    const file = statement.getSourceFile();
    const call = `${name}.setAt(${withReads(parent.argumentExpression)}, ${withReads(assignment.right)})`;
    edits.push({ fileName: file.fileName, start: assignment.getStart(file), end: assignment.getEnd(), newText: `await ${call}` });
    rewriter.requireAsync(statement);
  }
  for (const reference of references) {
    if ([...caps].some((statement) => within(reference, statement))) continue;
    const use = listUse(reference, name, context);
    if ('refused' in use) return use;
    if ('unsupported' in use) return { refused: `\`${use.unsupported.getText()}\` (${context.where(use.unsupported)}) ${use.why ?? 'has no counterpart in the Redis list'}` };
    for (const kept of 'writeBacks' in use ? (use.writeBacks ?? []) : []) {
      if (writtenBackAfter.has(kept.anchor)) continue;
      writtenBackAfter.add(kept.anchor);
      edits.push(...kept.edits);
      rewriter.requireAsync(kept.anchor);
      if (kept.savesEntry) savingFiles.add(kept.anchor.getSourceFile());
    }
    if ('shorthand' in use) {
      // { recent } → { recent: await recent.all() }
      const file = use.shorthand.getSourceFile();
      edits.push({ fileName: file.fileName, start: use.shorthand.getStart(file), end: use.shorthand.getEnd(), newText: `${name}: await ${name}.all()` });
      rewriter.requireAsync(use.shorthand);
    } else rewriter.awaitExpression(use.node, use.text);
  }
  if (rewriter.refused) return { refused: rewriter.refused };
  const file = declaration.getSourceFile();
  const use = useAdapter('list.ts', context.projectRoot, context.adapterDir, context.exists);
  const typeArgument = isJavaScript(file) ? '' : `<${entryType(declaration) ?? 'any'}>`;
  const options = initializer.elements.length > 0 ? `, { initial: ${initializer.getText()} }` : '';
  edits.push({ fileName: file.fileName, start: declaration.name.getEnd(), end: declaration.getEnd(), newText: ` = createList${typeArgument}(${context.storeName(name)}${options})` });
  const importLine = importEdit(file, savingFiles.has(file) ? ['createList', 'saveEntry'] : ['createList'], moduleSpecifier(file, use.fileName, context.program.getCompilerOptions()));
  if (importLine) edits.push(importLine);
  for (const saving of savingFiles) {
    if (saving === file) continue;
    const line = importEdit(saving, ['saveEntry'], moduleSpecifier(saving, use.fileName, context.program.getCompilerOptions()));
    if (line) edits.push(line);
  }
  edits.push(...rewriter.result());
  return { plan: { messageId: 'sessionMoveToList', data: { name, adapter: context.displayPath(use.fileName) }, edits, createFiles: use.createFiles, dependencies: use.dependencies, ...(replacedStatements.length > 0 ? { replacedStatements } : {}) } };
}

/** `T` of a `T[]` / `Array<T>` annotation or of `[] as T[]`. */
function entryType(declaration: ts.VariableDeclaration): string | undefined {
  const asserted = declaration.initializer && ts.isAsExpression(declaration.initializer) ? declaration.initializer.type : undefined;
  const annotation = declaration.type ?? asserted;
  if (!annotation) return undefined;
  if (ts.isArrayTypeNode(annotation)) return annotation.elementType.getText();
  if (ts.isTypeReferenceNode(annotation) && annotation.typeName.getText() === 'Array') return annotation.typeArguments?.[0]?.getText();
  return undefined;
}

type ListUse = { node: ts.Expression; text?: string; writeBacks?: Array<WriteBack & { savesEntry?: boolean }> } | { shorthand: ts.ShorthandPropertyAssignment } | { unsupported: ts.Node; why?: string } | { refused: string };

/** How one use of the array reads with the Redis list: the node to await, and its new text when it changes. */
function listUse(reference: ts.Identifier, name: string, context: FixContext): ListUse {
  const parent = reference.parent;
  if (ts.isShorthandPropertyAssignment(parent)) return { shorthand: parent };
  if (ts.isPropertyAccessExpression(parent) && parent.expression === reference) {
    const method = parent.name.text;
    const call = ts.isCallExpression(parent.parent) && parent.parent.expression === parent ? parent.parent : undefined;
    if (method === 'length') {
      // `log.length = 0`: emptied
      const assignment = parent.parent;
      if (ts.isBinaryExpression(assignment) && assignment.left === parent && assignment.operatorToken.kind >= SyntaxKind.FirstAssignment && assignment.operatorToken.kind <= SyntaxKind.LastAssignment) {
        const zero = assignment.operatorToken.kind === SyntaxKind.EqualsToken && skipOuterExpressions(assignment.right).getText() === '0' && ts.isExpressionStatement(assignment.parent);
        return zero ? { node: assignment, text: `${name}.clear()` } : { unsupported: assignment };
      }
      return { node: parent, text: `${name}.size()` };
    }
    if (!call) return { unsupported: parent };
    if (method === 'push' || method === 'unshift') return { node: call };
    if ((method === 'shift' || method === 'pop') && call.arguments.length === 0) {
      return changesThrough(call).length > 0 ? { unsupported: changesThrough(call)[0], why: 'changes an entry taken from the list in place' } : { node: call };
    }
    if (method === 'splice') {
      // `log.splice(0)` / `log.splice(0, log.length)` as a statement: emptied
      const [start, count] = call.arguments;
      const all = start && start.getText() === '0' && (!count || skipOuterExpressions(count).getText() === `${name}.length`);
      if (all && ts.isExpressionStatement(call.parent)) return { node: call, text: `${name}.clear()` };
      // `todos.splice(index, 1);`: the entry at that index goes (`const [todo] = todos.splice(index, 1)`: and is the one removed)
      if (start && count && skipOuterExpressions(count).getText() === '1' && call.arguments.length === 2) return { node: call, text: `${name}.removeAt(${start.getText()})` };
      return { unsupported: call };
    }
    if (READING_METHODS.has(method)) {
      const inCallback = callbackChange(call);
      if (inCallback) return { unsupported: inCallback, why: 'changes an entry of the list in place, and the Redis list would not keep the change' };
      // `const todo = todos.find(…); todo.done = true;`: the entry found is written back after each statement that changes it.
      const writeBacks: Array<WriteBack & { savesEntry?: boolean }> = [];
      const findsEntry = method === 'find' || method === 'findLast';
      // `function findBook(id) { return books.find(…); }` and a caller that changes what it returns: the caller saves it
      // (`await saveEntry(book)`), which finds the list it was read from.
      for (const { call: site, change } of findsEntry ? callerChanges(call, context.program, changesThrough) : []) {
        const kept = entryWriteBack(change, site, name, (local) => `await saveEntry(${local});`, context);
        if (typeof kept === 'string') return { refused: kept };
        if (!kept) return { unsupported: change, why: RETURNED_ENTRY_CHANGED };
        writeBacks.push({ ...kept, savesEntry: true });
      }
      if (!findsEntry) {
        const returned = changesThroughCallers(call, context.program, changesThrough)[0];
        if (returned) return { unsupported: returned, why: RETURNED_ENTRY_CHANGED };
      }
      for (const change of changesThrough(call)) {
        const kept = findsEntry ? entryWriteBack(change, call, name, (local) => `await ${name}.update(${local});`, context) : undefined;
        if (typeof kept === 'string') return { refused: kept };
        if (!kept) return { unsupported: change, why: 'changes an entry of the list in place, and the Redis list would not keep the change' };
        writeBacks.push(kept);
      }
      return { node: reference, text: `${name}.all()`, writeBacks };
    }
    return { unsupported: call };
  }
  if (ts.isElementAccessExpression(parent) && parent.expression === reference) {
    if (isWriteTarget(parent) || ts.isDeleteExpression(parent.parent)) return { unsupported: parent.parent };
    const changed = changesThrough(parent)[0];
    if (changed) return { unsupported: changed, why: 'changes an entry of the list in place, and the Redis list would not keep the change' };
    const returned = changesThroughCallers(parent, context.program, changesThrough)[0];
    if (returned) return { unsupported: returned, why: RETURNED_ENTRY_CHANGED };
    return { node: reference, text: `${name}.all()` };
  }
  // `log = []` as a statement: emptied
  if (ts.isBinaryExpression(parent) && parent.left === reference) {
    const right = skipOuterExpressions(parent.right);
    const empties = parent.operatorToken.kind === SyntaxKind.EqualsToken && ts.isArrayLiteralExpression(right) && right.elements.length === 0 && ts.isExpressionStatement(parent.parent);
    return empties ? { node: parent, text: `${name}.clear()` } : { unsupported: parent };
  }
  // The whole list, read as it is: iterated, spread, returned, sent.
  if (ts.isSpreadElement(parent) || (ts.isForOfStatement(parent) && parent.expression === reference) || ts.isReturnStatement(parent) || (ts.isPropertyAssignment(parent) && parent.initializer === reference)) {
    return { node: reference, text: `${name}.all()` };
  }
  if (ts.isCallExpression(parent) && parent.arguments.includes(reference) && SENDING_CALLS.test(parent.expression.getText().replace(/\s+/g, ''))) return { node: reference, text: `${name}.all()` };
  // `let list = books; if (q) list = list.filter(…)`: the local reads a snapshot, unless it changes the array or an entry.
  // Also one branch of what the local is given (`const mine = all ? loans : loans.filter(…)`).
  let value: ts.Expression = reference;
  while ((ts.isConditionalExpression(value.parent) && value.parent.condition !== value) || ts.isParenthesizedExpression(value.parent)) value = value.parent;
  const holder = value.parent;
  const alias = ts.isVariableDeclaration(holder) && holder.initializer === value && ts.isIdentifier(holder.name) ? holder.name : ts.isBinaryExpression(holder) && holder.right === value && holder.operatorToken.kind === SyntaxKind.EqualsToken && ts.isIdentifier(holder.left) ? holder.left : undefined;
  if (alias) {
    const changed = aliasChange(alias);
    if (changed) return { unsupported: changed, why: 'changes, through a local that holds the array, the array or an entry of it in place, and the Redis list would not keep the change' };
    const returned = changesThroughCallers(reference, context.program, changesThrough)[0];
    if (returned) return { unsupported: returned, why: RETURNED_ENTRY_CHANGED };
    return { node: reference, text: `${name}.all()` };
  }
  return { unsupported: parent, why: 'hands the array on, and what it does with it is not known' };
}

/** A change made through a local that holds the array: to it (`list.push`, `list[0] = x`, `list.sort()`) or to an entry (`list[0].read = true`, `list.find(…).read = true`, a loop's or callback's entry). */
function aliasChange(alias: ts.Identifier): ts.Node | undefined {
  const scope = ts.findAncestor(alias, ts.isFunctionLike) ?? alias.getSourceFile();
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && node !== alias && node.text === alias.text && !isWriteTarget(node)) {
      const parent = node.parent;
      const call = ts.isPropertyAccessExpression(parent) && parent.expression === node && READING_METHODS.has(parent.name.text) && ts.isCallExpression(parent.parent) ? parent.parent : undefined;
      found = changesThrough(node)[0] ?? (call ? (changesThrough(call)[0] ?? callbackChange(call)) : undefined) ?? changedEntry(node, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

/** `log.forEach((entry) => { entry.seen = true; })`: the callback changes the entries it is given. */
function callbackChange(call: ts.CallExpression): ts.Node | undefined {
  const callback = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return undefined;
  const entry = callback.parameters[0]?.name;
  if (!entry || !ts.isIdentifier(entry)) return undefined;
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && node.text === entry.text && node !== entry) {
      const change = changesThrough(node)[0];
      if (change) found = change;
    }
    ts.forEachChild(node, visit);
  };
  visit(callback.body);
  return found;
}

/**
 * A statement that only caps the list's length, as the list's own call:
 * `if (log.length > n) log.shift();` (also `while`, `>=`, `n < log.length`) keeps the last entries,
 * `… log.pop()` the first; `log.splice(0, log.length - n)` and `log = log.slice(-n)` keep the last n,
 * `log.splice(n)` and `log = log.slice(0, n)` the first n.
 */
function capOf(reference: ts.Identifier, name: string): { statement: ts.Statement; call: string } | undefined {
  // A guarded trim: the reference is the `log` of `log.length` in the guard.
  const length = reference.parent;
  if (ts.isPropertyAccessExpression(length) && length.expression === reference && length.name.text === 'length') {
    const comparison = length.parent;
    const guard = comparison.parent;
    if (ts.isBinaryExpression(comparison) && ((ts.isIfStatement(guard) && !guard.elseStatement) || ts.isWhileStatement(guard)) && guard.expression === comparison) {
      const bound = boundOf(comparison, length);
      const body = ts.isIfStatement(guard) ? guard.thenStatement : guard.statement;
      const statements = ts.isBlock(body) ? body.statements : ts.factory.createNodeArray([body]);
      if (bound !== undefined && statements.length === 1 && ts.isExpressionStatement(statements[0])) {
        const trim = skipOuterExpressions(statements[0].expression);
        if (ts.isCallExpression(trim) && trim.arguments.length === 0 && ts.isPropertyAccessExpression(trim.expression) && trim.expression.expression.getText() === name) {
          if (trim.expression.name.text === 'shift') return { statement: guard, call: `keepLast(${bound})` };
          if (trim.expression.name.text === 'pop') return { statement: guard, call: `keepFirst(${bound})` };
        }
      }
    }
    return undefined;
  }
  // An unguarded trim, as a statement of its own.
  const statement = statementOf(reference);
  if (!statement) return undefined;
  const expression = skipOuterExpressions(statement.expression);
  let call: ts.Expression | undefined;
  if (ts.isCallExpression(expression) && expression.expression === reference.parent) call = expression;
  if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === SyntaxKind.EqualsToken && expression.left === reference) call = skipOuterExpressions(expression.right);
  if (!call || !ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || call.expression.expression.getText() !== name) return undefined;
  const method = call.expression.name.text;
  const [first, second] = call.arguments;
  if (method === 'splice' && call === expression && first?.getText() === '0' && second) {
    const kept = keptByDifference(second, name);
    return kept === undefined ? undefined : { statement, call: `keepLast(${kept})` };
  }
  if (method === 'splice' && call === expression && first && !second && first.getText() !== '0') return { statement, call: `keepFirst(${first.getText()})` };
  if (method === 'slice' && call !== expression && first && ts.isPrefixUnaryExpression(first) && first.operator === SyntaxKind.MinusToken && !second) return { statement, call: `keepLast(${first.operand.getText()})` };
  if (method === 'slice' && call !== expression && first?.getText() === '0' && second) return { statement, call: `keepFirst(${second.getText()})` };
  return undefined;
}

/** `todos = todos.filter(keep);` as a statement of its own: the list keeps the entries `keep` accepts. */
function filterOf(reference: ts.Identifier, name: string): { statement: ts.Statement; keep: string } | undefined {
  const statement = statementOf(reference);
  if (!statement) return undefined;
  const expression = skipOuterExpressions(statement.expression);
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== SyntaxKind.EqualsToken || expression.left !== reference) return undefined;
  const call = skipOuterExpressions(expression.right);
  if (!ts.isCallExpression(call) || call.arguments.length !== 1 || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'filter' || call.expression.expression.getText() !== name) return undefined;
  const keep = skipOuterExpressions(call.arguments[0]);
  // The callback is given entries read from Redis: one that changes them would change nothing there.
  if ((ts.isArrowFunction(keep) || ts.isFunctionExpression(keep)) && callbackChange(call)) return undefined;
  return { statement, keep: call.arguments[0].getText() };
}

/** `log.length - n`: n. */
function keptByDifference(count: ts.Expression, name: string): string | undefined {
  const difference = skipOuterExpressions(count);
  if (!ts.isBinaryExpression(difference) || difference.operatorToken.kind !== SyntaxKind.MinusToken || skipOuterExpressions(difference.left).getText() !== `${name}.length`) return undefined;
  return difference.right.getText();
}

/**
 * How many entries a guard `log.length > n` leaves: n; with `>=`, n - 1 (the guard trims before
 * the list reaches n). Other comparisons are not caps.
 */
function boundOf(comparison: ts.BinaryExpression, length: ts.Expression): string | undefined {
  const operator = comparison.operatorToken.kind;
  const onLeft = comparison.left === length;
  const other = onLeft ? comparison.right : comparison.left;
  const strict = onLeft ? operator === SyntaxKind.GreaterThanToken : operator === SyntaxKind.LessThanToken;
  const inclusive = onLeft ? operator === SyntaxKind.GreaterThanEqualsToken : operator === SyntaxKind.LessThanEqualsToken;
  if (strict) return other.getText();
  if (!inclusive) return undefined;
  const bound = skipOuterExpressions(other);
  return ts.isNumericLiteral(bound) ? String(Number(bound.text) - 1) : `${bound.getText()} - 1`;
}

function statementOf(reference: ts.Identifier): ts.ExpressionStatement | undefined {
  let current: ts.Node = reference;
  while (current.parent && !ts.isStatement(current.parent)) current = current.parent;
  return current.parent && ts.isExpressionStatement(current.parent) ? current.parent : undefined;
}
