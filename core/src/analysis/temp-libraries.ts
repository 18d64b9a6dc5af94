import ts = require('typescript');
import type { FileFacts } from './file-facts';
import { resolveImportedMember } from './imports';
import { localInitializer } from './scope';
import { skipOuterExpressions } from './text';

/**
 * Libraries that make a file or folder under the OS temp folder, under a random name, and hand back
 * its path: the returned value (`await tempWrite(data)`, `tempy.file()`, `tmp.fileSync().name`), a
 * callback's argument (`tmp.file((err, path) => …)`) or the value a promise resolves to
 * (`tempWrite(key, '/tmp').then((file) => …)`). Per module, the members that do it; `''` is the
 * module itself called (`temp-write`'s default export).
 */
const TEMP_LIBRARIES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['temp-write', new Set(['', 'sync'])],
  ['tempy', new Set(['file', 'directory', 'write', 'writeSync', 'temporaryFile', 'temporaryDirectory', 'temporaryWrite', 'temporaryWriteSync', 'temporaryFileTask', 'temporaryDirectoryTask', 'temporaryWriteTask'])],
  ['tmp', new Set(['file', 'fileSync', 'dir', 'dirSync', 'tmpName', 'tmpNameSync'])],
  ['tmp-promise', new Set(['file', 'fileSync', 'dir', 'dirSync', 'tmpName', 'tmpNameSync', 'withFile', 'withDir'])],
  ['temp', new Set(['path', 'open', 'openSync', 'mkdir', 'mkdirSync', 'createWriteStream'])],
]);

/** The members of those results that are the path: `tmp.fileSync().name`, `(await file()).path`. */
const PATH_MEMBERS = new Set(['name', 'path']);

/** Whether a call is one of those libraries' path-making calls (by import binding). */
function isTempLibraryCall(node: ts.Node, facts: FileFacts): boolean {
  if (!ts.isCallExpression(node)) return false;
  const member = resolveImportedMember(node.expression, facts.imports);
  if (!member || member.path.length > 1) return false;
  return TEMP_LIBRARIES.get(member.module)?.has(member.path[0] ?? '') ?? false;
}

/** `X`, `await X`, `X.name`, `(await X).path`: the library call whose result, or its path member, the value is. */
function madeByTempLibrary(value: ts.Expression, facts: FileFacts): boolean {
  let current = skipOuterExpressions(value);
  if (ts.isPropertyAccessExpression(current) && PATH_MEMBERS.has(current.name.text)) current = skipOuterExpressions(current.expression);
  if (ts.isAwaitExpression(current)) current = skipOuterExpressions(current.expression);
  return isTempLibraryCall(current, facts);
}

/**
 * Whether a path names a file or folder a temp-file library made for this call: a local holding
 * such a call's result (or its `name`/`path`, destructured too), or a parameter of the callback
 * that receives it (`tempWrite(pem, '/tmp').then((filepath) => … fs.unlinkSync(filepath))`,
 * `tmp.file((err, path, fd, cleanup) => …)`). Nothing else can name that random path, so
 * writing or removing it is scratch work of the call, not a stored file.
 */
export function isTempLibraryPath(target: ts.Expression, facts: FileFacts): boolean {
  const root = skipOuterExpressions(target);
  if (!ts.isIdentifier(root)) return false;
  const initializer = localInitializer(root);
  if (initializer) return madeByTempLibrary(initializer, facts);
  const parameter = parameterNamed(root);
  if (!parameter) return false;
  const callback: ts.Node = parameter.parent;
  const call: ts.Node = callback.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(callback as ts.Expression)) return false;
  // tmp.file((err, path) => …), tempy.temporaryFileTask((path) => …): the library hands the path to its callback.
  if (isTempLibraryCall(call, facts)) return true;
  // tempWrite(data).then((file) => …): the promise's value is the path.
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'then' && call.arguments[0] === callback && madeByTempLibrary(callee.expression, facts);
}

/** The parameter of an enclosing function that an identifier names (not shadowed by a local in between). */
function parameterNamed(identifier: ts.Identifier): ts.ParameterDeclaration | undefined {
  for (let current: ts.Node | undefined = identifier.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const parameter = current.parameters.find((candidate) => ts.isIdentifier(candidate.name) && candidate.name.text === identifier.text);
    if (parameter) return parameter;
  }
  return undefined;
}
