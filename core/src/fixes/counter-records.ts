import ts = require('typescript');
import type { TextEdit } from '../types';
import { isWriteTarget, short, skipOuterExpressions } from '../analysis/text';
import type { FixContext } from './context';
import { importEdit, moduleSpecifier, useAdapter } from './module-edits';
import { referencesOf } from './references';
import { unsafePart } from './lock-cache-fixes';
import { changesThrough, isJavaScript, type PlanResult } from './state-fixes';
import { notJson } from './value-state';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** Where a record of counts is made: the name its uses go through, the literal, and the type that says what it holds. */
export interface CounterRecord {
  name: ts.Identifier;
  /** The state's name, for messages and Redis keys. */
  label: string;
  record: ts.ObjectLiteralExpression;
  /** `: Stats`, `as Stats`, or the type a Fastify decoration is declared with. */
  type?: ts.TypeNode;
  /** Read as a property of another value (`fastify.stats`): no `.stats` in the program may be one the checker cannot resolve. */
  property?: boolean;
}

/**
 * What one member of the record becomes: a count (`0`), counts by key (`{}`), a shared value (plain
 * data the code replaces whole, `day: today()` set by the nightly reset), or nothing (a member no
 * code changes, a constant the record carries beside its counts).
 */
type Member = 'count' | 'counts' | 'value' | 'constant';

/**
 * A record of named counts that all start at 0 (`stats: { requests: 0, uploads: 0 }`), counted
 * with `o.requests++` / `o.bytes += n` and read as `o.requests`: each count becomes its own Redis
 * counter, `createCounter('stats.requests')`, which reads 0 until it is first counted, as the 0 in
 * the record did; a member that starts as `{}` holds counts by key and becomes a
 * `createCounterMap`. Beside its counts the record may hold plain data the code only ever replaces
 * whole (`o.day = today()`, the day the counts are for): it becomes a shared value,
 * `createValue('stats.day', …)`, set and read in Redis with the counts, so every instance sees the
 * day they are for; a member no code changes stays as it is. The record read whole (`return stats`,
 * `res.json(stats)`) reads a snapshot. Every use must name one of the record's members: a member it
 * did not start with, or a count that does not start at 0, would mean something else in Redis.
 */
export function counterRecordPlan({ name, label, record, type, property }: CounterRecord, context: FixContext): PlanResult {
  const file = record.getSourceFile();
  const checker = context.program.getTypeChecker();
  const javaScript = isJavaScript(file);
  const members = new Map<string, Member>();
  const edits: TextEdit[] = [];
  const references = referencesOf(context.program, name);
  const changes = memberChanges(references);
  const values: { key: string; initializer: ts.Expression }[] = [];
  for (const property of record.properties) {
    if (!ts.isPropertyAssignment(property) || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) return { refused: `\`${property.getText()}\` in \`${label}\` is not a named count` };
    const initial = skipOuterExpressions(property.initializer);
    const key = property.name.text;
    // A count that starts elsewhere needs its start in Redis, and no instance may set it twice.
    if (ts.isObjectLiteralExpression(initial) && initial.properties.length === 0) members.set(key, 'counts');
    else if (initial.getText() === '0') members.set(key, 'count');
    else if (!changes.has(key)) {
      members.set(key, 'constant');
      continue;
    } else if (checker.getTypeAtLocation(initial).flags & ts.TypeFlags.NumberLike) return { refused: `\`${label}.${key}\` starts at \`${short(initial)}\`, not 0` };
    else if (notJson(initial)) return { refused: `\`${label}.${key}\` starts as \`${short(initial)}\`, which is not plain data: Redis would store it as JSON and give back something else` };
    else {
      members.set(key, 'value');
      values.push({ key, initializer: property.initializer });
      continue;
    }
    edits.push({ fileName: file.fileName, start: property.initializer.getStart(file), end: property.initializer.getEnd(), newText: `${members.get(key) === 'count' ? 'createCounter' : 'createCounterMap'}(${context.storeName(`${label}.${key}`)})` });
  }
  if (![...members.values()].some((member) => member === 'count' || member === 'counts')) return { refused: `\`${label}\` holds no count that starts at 0` };
  // What each value holds, written as its type: the record type's member, or what the value starts as.
  const valueTypes = new Map<string, ts.TypeNode>();
  if (type) {
    const typed = typeEdits(type, members, label, context);
    if (typeof typed === 'string') return { refused: typed };
    edits.push(...typed.edits);
    for (const [key, text] of typed.valueTypes) valueTypes.set(key, text);
  }
  for (const { key, initializer } of values) {
    const declared = valueTypes.get(key);
    const valueType = declared ? checker.getTypeFromTypeNode(declared) : checker.getBaseTypeOfLiteralType(checker.getTypeAtLocation(initializer));
    const problem = javaScript ? undefined : unsafePart(checker, valueType, 0);
    if (problem) return { refused: `\`${label}.${key}\` holds ${problem}, which Redis would store as JSON and give back changed` };
    const typeArgument = javaScript ? '' : `<${declared?.getText() ?? checker.typeToString(valueType, initializer, ts.TypeFormatFlags.NoTruncation)}>`;
    if (/\bimport\(|typeof /.test(typeArgument)) return { refused: `the type of \`${label}.${key}\` cannot be written in this file` };
    edits.push({ fileName: file.fileName, start: initializer.getStart(file), end: initializer.getEnd(), newText: `createValue${typeArgument}(${context.storeName(`${label}.${key}`)}, ${initializer.getText(file)})` });
  }
  const unfollowed = property || ts.isPropertyAssignment(name.parent) ? unfollowedAccess(context.program, label, new Set(references)) : undefined;
  if (unfollowed) return { refused: `\`${unfollowed.getText()}\` (${context.where(unfollowed)}) may read \`${label}\`, through a value whose type does not say so` };
  const rewriter = context.rewriter();
  // An increment `o.m[k] = (o.m[k] || 0) + 1` is rewritten whole: the read inside it goes with it.
  const rewritten: ts.Node[] = [];
  for (const reference of references) {
    if (isModuleName(reference) || (type && within(reference, type.getSourceFile(), type)) || rewritten.some((node) => within(reference, node.getSourceFile(), node))) continue;
    const holder = ts.isPropertyAccessExpression(reference.parent) && reference.parent.name === reference ? reference.parent : reference;
    if (isDeclarationName(holder)) continue;
    const access = holder.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== holder) {
      if (!isSnapshotRead(holder)) return { refused: `\`${access.getText()}\` (${context.where(reference)}) uses the record \`${label}\` whole, and its counts live in Redis one by one` };
      const snapshot = [...members].map(([key, member]) => `${key}: ${member === 'constant' ? '' : 'await '}${holder.getText()}.${key}${member === 'count' || member === 'value' ? '.get()' : member === 'counts' ? '.all()' : ''}`).join(', ');
      edits.push({ fileName: holder.getSourceFile().fileName, start: holder.getStart(), end: holder.getEnd(), newText: `({ ${snapshot} })` });
      rewriter.requireAsync(holder);
      continue;
    }
    const member = members.get(access.name.text);
    if (!member) return { refused: `\`${access.getText()}\` (${context.where(reference)}) is not one of the counts \`${label}\` starts with` };
    if (member === 'constant') continue;
    const use = member === 'count' ? countUse(access) : member === 'counts' ? keyedCountUse(access) : valueUse(access);
    if (!use) return { refused: `\`${access.parent.getText()}\` (${context.where(reference)}) has no counterpart in the Redis ${member === 'value' ? 'value' : 'counter'}` };
    rewriter.awaitExpression(use.node, use.text);
    rewritten.push(use.node);
  }
  if (rewriter.refused) return { refused: rewriter.refused };
  const adapter = useAdapter('counter.ts', context.projectRoot, context.adapterDir, context.exists);
  const factories = [...new Set([...members.values()])].filter((member) => member === 'count' || member === 'counts').map((member) => (member === 'count' ? 'createCounter' : 'createCounterMap')).sort();
  const specifier = moduleSpecifier(file, adapter.fileName, context.program.getCompilerOptions());
  const importLine = importEdit(file, factories, specifier);
  const createFiles = [...adapter.createFiles];
  const dependencies = [...adapter.dependencies];
  if (values.length > 0) {
    const value = useAdapter('value.ts', context.projectRoot, context.adapterDir, context.exists);
    const names = type && !javaScript ? ['SharedValue', 'createValue'] : ['createValue'];
    const valueImport = importEdit(file, names, moduleSpecifier(file, value.fileName, context.program.getCompilerOptions()));
    if (valueImport) edits.push(valueImport);
    for (const created of value.createFiles) if (!createFiles.some((other) => other.fileName === created.fileName)) createFiles.push(created);
    for (const dependency of value.dependencies) if (!dependencies.some((other) => other.name === dependency.name)) dependencies.push(dependency);
  }
  // Pushed after the value's import: two imports at one place are written the other way round.
  if (importLine) edits.push(importLine);
  edits.push(...rewriter.result());
  return { plan: { messageId: 'counterMoveToRedis', data: { name: label, adapter: context.displayPath(adapter.fileName) }, edits, createFiles, dependencies } };
}

/** The members of the record some code changes: assigned, counted, deleted, or changed in place. */
function memberChanges(references: readonly ts.Identifier[]): Set<string> {
  const changed = new Set<string>();
  for (const reference of references) {
    const holder = ts.isPropertyAccessExpression(reference.parent) && reference.parent.name === reference ? reference.parent : reference;
    const access = holder.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== holder) continue;
    if (isWriteTarget(access) || ts.isDeleteExpression(access.parent) || changesThrough(access).length > 0) changed.add(access.name.text);
  }
  return changed;
}

/** One use of a shared value `o.k`: `o.k = v;` as a statement sets it (plain data only), anything that only reads it gets. */
function valueUse(value: ts.PropertyAccessExpression): { node: ts.Expression; text: string } | undefined {
  const use = value.parent;
  if (isWriteTarget(value)) {
    if (!ts.isBinaryExpression(use) || use.operatorToken.kind !== SyntaxKind.EqualsToken || !ts.isExpressionStatement(use.parent) || notJson(use.right)) return undefined;
    return { node: use, text: `${value.getText()}.set(${use.right.getText()})` };
  }
  if (ts.isDeleteExpression(use) || changesThrough(value).length > 0) return undefined;
  return { node: value, text: `${value.getText()}.get()` };
}

/**
 * The record's type says what its members hold: an interface (or a type literal) whose members are
 * `number` for a count and `Record<string, number>` for counts by key now say what the adapter
 * gives. Refused when the interface is used for anything else, which would still mean numbers.
 */
function typeEdits(type: ts.TypeNode, members: ReadonlyMap<string, Member>, label: string, context: FixContext): { edits: TextEdit[]; valueTypes: Map<string, ts.TypeNode> } | string {
  const checker = context.program.getTypeChecker();
  let literal: ts.InterfaceDeclaration | ts.TypeLiteralNode | undefined = ts.isTypeLiteralNode(type) ? type : undefined;
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
    const declaration = checker.getSymbolAtLocation(type.typeName)?.declarations?.[0];
    if (declaration && ts.isInterfaceDeclaration(declaration) && !declaration.heritageClauses && !declaration.typeParameters) {
      const others = referencesOf(context.program, declaration.name).filter((reference) => !isTypeOfRecord(reference));
      if (others.length > 0) return `the type \`${declaration.name.text}\` of \`${label}\` is also used at ${context.where(others[0])}, where it would still say numbers`;
      literal = declaration;
    }
  }
  if (!literal) return `the type of \`${label}\` (\`${type.getText()}\`) is not one the fix can change to the counters'`;
  const edits: TextEdit[] = [];
  const valueTypes = new Map<string, ts.TypeNode>();
  for (const [key, member] of members) {
    if (member === 'constant') continue;
    const signature = literal.members.find((candidate) => ts.isPropertySignature(candidate) && candidate.name.getText() === key) as ts.PropertySignature | undefined;
    const file = signature?.getSourceFile();
    if (member === 'value') {
      // A value in a record whose type is written in another file would need the adapter's type imported there.
      if (!signature?.type || signature.questionToken || file !== type.getSourceFile()) return `the type of \`${label}.${key}\` is not one the fix can change to the shared value's`;
      valueTypes.set(key, signature.type);
      edits.push({ fileName: file.fileName, start: signature.type.getStart(file), end: signature.type.getEnd(), newText: `SharedValue<${signature.type.getText(file)}>` });
      continue;
    }
    const expected = member === 'count' ? ['number'] : ['Record<string, number>', 'Record<number, number>', '{ [key: string]: number }', '{ [key: string]: number; }'];
    if (!signature?.type || !file || !expected.includes(signature.type.getText().replace(/\s+/g, ' '))) return `the type of \`${label}.${key}\` is not \`${expected[0]}\``;
    edits.push({ fileName: file.fileName, start: signature.type.getStart(file), end: signature.type.getEnd(), newText: `ReturnType<typeof ${member === 'count' ? 'createCounter' : 'createCounterMap'}>` });
  }
  return { edits, valueTypes };

  function isTypeOfRecord(reference: ts.Identifier): boolean {
    return reference.getStart() === type.getStart() || (ts.isTypeReferenceNode(reference.parent) && (ts.isAsExpression(reference.parent.parent) || ts.isPropertySignature(reference.parent.parent) || ts.isVariableDeclaration(reference.parent.parent)));
  }
}

/** One use of a count `o.k` with the adapter: `o.k++` increments, `o.k += n` adds, `o.k = v;` sets, anything else reads. */
function countUse(count: ts.PropertyAccessExpression): { node: ts.Expression; text: string } | undefined {
  const text = count.getText();
  const use = count.parent;
  if ((ts.isPostfixUnaryExpression(use) || ts.isPrefixUnaryExpression(use)) && (use.operator === SyntaxKind.PlusPlusToken || use.operator === SyntaxKind.MinusMinusToken)) {
    // `o.k++` as a value is the count before: increment gives the count after.
    if (ts.isPostfixUnaryExpression(use) && !ts.isExpressionStatement(use.parent)) return undefined;
    return { node: use, text: `${text}.increment(${use.operator === SyntaxKind.PlusPlusToken ? '' : '-1'})` };
  }
  // `o.k + n` only reads it.
  if (ts.isBinaryExpression(use) && use.left === count && use.operatorToken.kind >= SyntaxKind.FirstAssignment && use.operatorToken.kind <= SyntaxKind.LastAssignment) {
    const operator = use.operatorToken.kind;
    if (operator === SyntaxKind.PlusEqualsToken) return { node: use, text: `${text}.increment(${use.right.getText()})` };
    if (operator === SyntaxKind.MinusEqualsToken) return { node: use, text: `${text}.increment(-(${use.right.getText()}))` };
    if (operator === SyntaxKind.EqualsToken && ts.isExpressionStatement(use.parent)) return { node: use, text: `${text}.set(${use.right.getText()})` };
    return undefined;
  }
  if (ts.isDeleteExpression(use)) return undefined;
  return { node: count, text: `${text}.get()` };
}

/**
 * One use of counts by key `o.m` with the adapter: `o.m[k] = (o.m[k] || 0) + n` and `o.m[k] += n`
 * increment, `o.m[k]++` too, `o.m[k]` reads `get(k)` (undefined until counted, as the object's
 * missing key was), `delete o.m[k]` deletes, `o.m` read whole is `all()`.
 */
function keyedCountUse(counts: ts.PropertyAccessExpression): { node: ts.Expression; text: string } | undefined {
  const text = counts.getText();
  const access = counts.parent;
  if (!ts.isElementAccessExpression(access) || access.expression !== counts) return isSnapshotRead(counts) ? { node: counts, text: `${text}.all()` } : undefined;
  const key = access.argumentExpression.getText();
  const use = access.parent;
  if ((ts.isPostfixUnaryExpression(use) || ts.isPrefixUnaryExpression(use)) && (use.operator === SyntaxKind.PlusPlusToken || use.operator === SyntaxKind.MinusMinusToken)) {
    if (ts.isPostfixUnaryExpression(use) && !ts.isExpressionStatement(use.parent)) return undefined;
    return { node: use, text: `${text}.increment(${key}${use.operator === SyntaxKind.PlusPlusToken ? '' : ', -1'})` };
  }
  if (ts.isBinaryExpression(use) && use.left === access && use.operatorToken.kind >= SyntaxKind.FirstAssignment && use.operatorToken.kind <= SyntaxKind.LastAssignment) {
    if (use.operatorToken.kind === SyntaxKind.PlusEqualsToken) return { node: use, text: `${text}.increment(${key}, ${use.right.getText()})` };
    if (use.operatorToken.kind !== SyntaxKind.EqualsToken || !ts.isExpressionStatement(use.parent)) return undefined;
    const by = incrementOf(use.right, `${text}[${key}]`);
    return { node: use, text: by === undefined ? `${text}.set(${key}, ${use.right.getText()})` : `${text}.increment(${key}${by === '1' ? '' : `, ${by}`})` };
  }
  if (ts.isDeleteExpression(use)) return { node: use, text: `${text}.delete(${key})` };
  return { node: access, text: `${text}.get(${key})` };
}

/** `(x || 0) + n`, `(x ?? 0) + n`, `n + (x || 0)` for the element `x`: the `n`. */
function incrementOf(expression: ts.Expression, element: string): string | undefined {
  const value = skipOuterExpressions(expression);
  if (!ts.isBinaryExpression(value) || value.operatorToken.kind !== SyntaxKind.PlusToken) return undefined;
  for (const [current, other] of [[value.left, value.right], [value.right, value.left]] as const) {
    const inner = skipOuterExpressions(current);
    if (!ts.isBinaryExpression(inner) || (inner.operatorToken.kind !== SyntaxKind.QuestionQuestionToken && inner.operatorToken.kind !== SyntaxKind.BarBarToken)) continue;
    if (skipOuterExpressions(inner.right).getText() === '0' && skipOuterExpressions(inner.left).getText() === element) return other.getText();
  }
  return undefined;
}

/** A read of the whole value that ends with the reply: `return o`, `() => o`, `{ stats: o }`, `res.json(o)`, `reply.send(o)`. */
function isSnapshotRead(holder: ts.Expression): boolean {
  const parent = holder.parent;
  if (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === holder) || (ts.isPropertyAssignment(parent) && parent.initializer === holder)) return true;
  return ts.isCallExpression(parent) && parent.arguments.length === 1 && parent.arguments[0] === holder && ts.isPropertyAccessExpression(parent.expression) && ['json', 'send'].includes(parent.expression.name.text);
}

function isModuleName(reference: ts.Identifier): boolean {
  return ts.isImportSpecifier(reference.parent) || ts.isExportSpecifier(reference.parent) || ts.isImportClause(reference.parent);
}

/** The declaration itself: `stats: { … }` in the record's holder, `stats: Stats` in an interface. */
function isDeclarationName(holder: ts.Expression): boolean {
  const parent = holder.parent;
  return (ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent) || ts.isVariableDeclaration(parent)) && parent.name === holder;
}

function within(node: ts.Node, file: ts.SourceFile, container: ts.Node): boolean {
  return node.getSourceFile() === file && container.getStart() <= node.getStart() && node.getEnd() <= container.getEnd();
}

/**
 * `fastify.decorate('stats', { … })`: the record a plugin decorates the instance with, and the
 * `stats` member of `FastifyInstance` that a `declare module 'fastify'` augmentation declares,
 * through which every `fastify.stats` / `request.server.stats` reads it.
 */
export function decoratedRecord(call: ts.CallExpression, context: FixContext): CounterRecord | string | undefined {
  const [nameArgument, value] = call.arguments;
  if (!ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'decorate' || !nameArgument || !ts.isStringLiteralLike(nameArgument) || !value) return undefined;
  const record = skipOuterExpressions(value);
  if (!ts.isObjectLiteralExpression(record) || record.properties.length === 0) return undefined;
  const label = nameArgument.text;
  for (const file of context.program.getSourceFiles()) {
    if (file.isDeclarationFile || context.program.isSourceFileFromExternalLibrary(file) || !file.text.includes('FastifyInstance')) continue;
    for (const statement of file.statements) {
      if (!ts.isModuleDeclaration(statement) || !ts.isStringLiteral(statement.name) || statement.name.text !== 'fastify' || !statement.body || !ts.isModuleBlock(statement.body)) continue;
      for (const declaration of statement.body.statements.filter(ts.isInterfaceDeclaration).filter((candidate) => candidate.name.text === 'FastifyInstance')) {
        const member = declaration.members.find((candidate) => ts.isPropertySignature(candidate) && ts.isIdentifier(candidate.name) && candidate.name.text === label) as ts.PropertySignature | undefined;
        if (member?.type) return { name: member.name as ts.Identifier, label, record, type: member.type, property: true };
      }
    }
  }
  return `\`${label}\` is a Fastify decoration (\`${call.expression.getText()}('${label}', …)\`) that no \`declare module 'fastify'\` augmentation of \`FastifyInstance\` declares, so its uses cannot be followed`;
}

/**
 * A `x.stats` in the program's files that the checker cannot resolve (`x` is untyped) and that is
 * not one of the followed references: it may be a use the rewrite would miss.
 */
function unfollowedAccess(program: ts.Program, label: string, followed: ReadonlySet<ts.Identifier>): ts.PropertyAccessExpression | undefined {
  const checker = program.getTypeChecker();
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file) || !file.text.includes(label)) continue;
    let found: ts.PropertyAccessExpression | undefined;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name) && node.name.text === label && !followed.has(node.name) && !ts.isCallExpression(node.parent) && !checker.getSymbolAtLocation(node.name)) found = node;
      ts.forEachChild(node, visit);
    };
    visit(file);
    if (found) return found;
  }
  return undefined;
}
