import ts = require('typescript');
import type { Finding, TextEdit } from '../types';
import { getFileFacts } from '../analysis/file-facts';
import { resolveImportedMember } from '../analysis/imports';
import { skipOuterExpressions, stringValue } from '../analysis/text';
import type { FixContext } from './context';
import { importEdit, moduleSpecifier, useAdapter } from './module-edits';
import { symbolOf } from './references';
import type { PlanResult } from './state-fixes';

const FS_MODULES = new Set(['fs', 'fs-extra', 'graceful-fs']);
/** Writes of a whole file from a value: `(path, data)` keeps its meaning as `objectStore.putFile(path, data)`. */
const PUT_FUNCTIONS = new Set(['writeFile', 'writeFileSync', 'outputFile', 'outputFileSync']);
const READ_FUNCTIONS = new Set(['readFile', 'readFileSync']);

/**
 * Moves local files to the object-store adapter: a `writeFile(path, data)` becomes
 * `objectStore.putFile(path, data)`, multer's `dest`/`diskStorage` become the adapter's
 * `objectStorage(…)` engine, and the reads of the same files (`res.sendFile`, `readFile`) read
 * from the store. Keys are the paths relative to the working directory, so `uploads/<id>` written
 * by one instance is `uploads/<id>` on every other.
 */
export function objectStorePlan(sourceFile: ts.SourceFile, finding: Finding, context: FixContext): PlanResult {
  const node = nodeAt(sourceFile, finding.start, finding.end);
  if (!node) return { refused: 'the write is not where the analysis found it' };
  const rewriter = context.rewriter();
  const edits: TextEdit[] = [];
  const names = new Set<string>();
  let matchesReader: (argument: ts.Expression) => boolean;
  if (finding.messageId === 'diskWrite') {
    const call = node.parent;
    if (!ts.isCallExpression(call) || call.expression !== node) return { refused: 'the write is not a call' };
    const member = resolveImportedMember(call.expression, getFileFacts(sourceFile).imports);
    const name = member && FS_MODULES.has(member.module) ? member.path[member.path.length - 1] : undefined;
    if (!name || !PUT_FUNCTIONS.has(name) || call.arguments.length < 2) return { refused: `\`${node.getText()}\` has no one-call counterpart in the object store; write the file with \`objectStore.putFile(path, data)\`` };
    names.add('objectStore');
    rewriter.awaitExpression(call, `objectStore.putFile(${call.arguments[0].getText()}, ${call.arguments[1].getText()})`);
    matchesReader = samePathSource(call.arguments[0], context);
  } else if (finding.messageId === 'uploadToDisk') {
    const upload = uploadRewrite(node);
    if (!upload) return { refused: 'only multer `dest` and `diskStorage` can move to the object store automatically' };
    edits.push(upload.edit);
    names.add('objectStorage');
    matchesReader = upload.matchesReader;
  } else return { refused: 'no object-store fix for this finding' };

  for (const reader of findReaders(context.program, matchesReader)) {
    names.add('objectStore');
    if (reader.kind === 'sendFile') {
      edits.push({ fileName: reader.call.getSourceFile().fileName, start: reader.call.getStart(), end: reader.call.getEnd(), newText: `objectStore.sendFile(${[reader.response.getText(), ...reader.call.arguments.map((a) => a.getText())].join(', ')})` });
      const file = reader.call.getSourceFile();
      const line = importEdit(file, ['objectStore'], moduleSpecifier(file, useAdapter('object-store.ts', context.projectRoot, context.adapterDir, context.exists).fileName, context.program.getCompilerOptions()));
      if (line && file !== sourceFile) edits.push(line);
    } else {
      rewriter.awaitExpression(reader.call, `objectStore.getFile(${reader.call.arguments[0].getText()})`);
      const file = reader.call.getSourceFile();
      const line = importEdit(file, ['objectStore'], moduleSpecifier(file, useAdapter('object-store.ts', context.projectRoot, context.adapterDir, context.exists).fileName, context.program.getCompilerOptions()));
      if (line && file !== sourceFile) edits.push(line);
    }
  }
  if (rewriter.refused) return { refused: rewriter.refused };
  const use = useAdapter('object-store.ts', context.projectRoot, context.adapterDir, context.exists);
  const importLine = importEdit(sourceFile, [...names].sort(), moduleSpecifier(sourceFile, use.fileName, context.program.getCompilerOptions()));
  if (importLine) edits.push(importLine);
  edits.push(...rewriter.result());
  return { plan: { messageId: 'diskMoveToObjectStore', data: { adapter: context.displayPath(use.fileName) }, edits: dedupe(edits), createFiles: use.createFiles, dependencies: use.dependencies } };
}

function dedupe(edits: TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits.filter((edit) => {
    const key = `${edit.fileName}\u0000${edit.start}\u0000${edit.end}\u0000${edit.newText}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function nodeAt(sourceFile: ts.SourceFile, start: number, end: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (node.getStart(sourceFile) <= start && end <= node.getEnd()) {
      if (node.getStart(sourceFile) === start && node.getEnd() === end) found = node;
      ts.forEachChild(node, visit);
    }
  };
  visit(sourceFile);
  return found;
}

/** multer `dest: 'uploads/'` → `storage: objectStorage({ destination: 'uploads/' })`; `multer.diskStorage(…)` → `objectStorage(…)`. */
function uploadRewrite(node: ts.Node): { edit: TextEdit; matchesReader: (argument: ts.Expression) => boolean } | undefined {
  const file = node.getSourceFile();
  if (ts.isPropertyAssignment(node) && node.name.getText() === 'dest') {
    const folder = stringValue(skipOuterExpressions(node.initializer));
    return {
      edit: { fileName: file.fileName, start: node.getStart(), end: node.getEnd(), newText: `storage: objectStorage({ destination: ${node.initializer.getText()} })` },
      matchesReader: folder !== undefined ? mentionsFolder(folder) : mentionsText(node.initializer.getText()),
    };
  }
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'diskStorage' && ts.isCallExpression(node.parent)) {
    const options = node.parent.arguments[0];
    const destination = options && ts.isObjectLiteralExpression(options) ? options.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'destination') : undefined;
    const folder = destination ? stringValue(skipOuterExpressions(destination.initializer)) : undefined;
    return {
      edit: { fileName: file.fileName, start: node.getStart(), end: node.getEnd(), newText: 'objectStorage' },
      matchesReader: folder !== undefined ? mentionsFolder(folder) : destination && !ts.isFunctionLike(destination.initializer) ? mentionsText(destination.initializer.getText()) : () => false,
    };
  }
  return undefined;
}

/** A read path built from the same folder literal: `path.resolve('uploads', id)`, `` `uploads/${id}` ``. */
function mentionsFolder(folder: string): (argument: ts.Expression) => boolean {
  const bare = folder.replace(/^\.\//, '').replace(/\/+$/, '');
  return (argument) => {
    let found = false;
    const visit = (node: ts.Node): void => {
      if (found) return;
      const text = stringValue(node) ?? (ts.isTemplateExpression(node) ? node.head.text : undefined);
      if (text !== undefined && (text.replace(/^\.\//, '').replace(/\/+$/, '') === bare || text.replace(/^\.\//, '').startsWith(`${bare}/`))) found = true;
      ts.forEachChild(node, visit);
    };
    visit(argument);
    return found;
  };
}

function mentionsText(text: string): (argument: ts.Expression) => boolean {
  return (argument) => argument.getText().includes(text);
}

/** A read path from the same source as the write: the same path function (`invoicePath(…)`), directly or through a local. */
function samePathSource(written: ts.Expression, context: FixContext): (argument: ts.Expression) => boolean {
  const checker = context.program.getTypeChecker();
  const source = pathFunction(written, checker);
  if (!source) return () => false;
  return (argument) => pathFunction(argument, checker) === source;
}

function pathFunction(expression: ts.Expression, checker: ts.TypeChecker): ts.Symbol | undefined {
  let value = skipOuterExpressions(expression);
  if (ts.isIdentifier(value)) {
    const symbol = symbolOf(checker, value);
    const declaration = symbol?.valueDeclaration;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) value = skipOuterExpressions(declaration.initializer);
  }
  if (ts.isAwaitExpression(value)) value = skipOuterExpressions(value.expression);
  if (!ts.isCallExpression(value)) return undefined;
  const callee = skipOuterExpressions(value.expression);
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
  const symbol = symbolOf(checker, ts.isPropertyAccessExpression(callee) ? callee.name : callee);
  // path.join / path.resolve are not a source of their own.
  const declarationFile = symbol?.declarations?.[0]?.getSourceFile();
  if (!symbol || !declarationFile || declarationFile.isDeclarationFile) return undefined;
  return symbol;
}

type Reader = { kind: 'sendFile'; call: ts.CallExpression; response: ts.Expression } | { kind: 'readFile'; call: ts.CallExpression };

/** `res.sendFile(p, …)` and fs `readFile(p)` calls whose path matches. */
function findReaders(program: ts.Program, matches: (argument: ts.Expression) => boolean): Reader[] {
  const readers: Reader[] = [];
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file)) continue;
    if (!/sendFile|readFile/.test(file.text)) continue;
    const facts = getFileFacts(file);
    for (const { node } of facts.calls) {
      if (!ts.isCallExpression(node) || node.arguments.length === 0 || !matches(node.arguments[0])) continue;
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'sendFile' && !resolveImportedMember(callee, facts.imports)) {
        readers.push({ kind: 'sendFile', call: node, response: callee.expression });
        continue;
      }
      const member = resolveImportedMember(node.expression, facts.imports);
      if (member && FS_MODULES.has(member.module) && READ_FUNCTIONS.has(member.path[member.path.length - 1]) && node.arguments.length === 1) readers.push({ kind: 'readFile', call: node });
    }
  }
  return readers;
}
