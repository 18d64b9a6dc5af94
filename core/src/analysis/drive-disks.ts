import ts = require('typescript');
import type { DiskWriteCall } from './disk-writes';
import { getFileFacts, type CallLike } from './file-facts';
import { resolveImportedMember } from './imports';
import type { Resolver } from './resolve';
import { skipOuterExpressions } from './text';

/*
 * Storage libraries whose disk may be this instance's: flydrive (AdonisJS Drive's engine) keeps
 * files through one `Disk` whatever its driver, `new Disk(new FSDriver({ location }))` or an S3
 * driver picked by configuration (`switch (env.DRIVE_DISK) { case 'fs': driver = new FSDriver(…) }`).
 * With the fs driver in any configuration, `disk.put(key, contents)` writes into a local folder the
 * other instances never see, and `disk.delete(key)` removes a stored file from it.
 */

const DISK_WRITES = new Set(['put', 'putStream', 'copy', 'move', 'copyFromFs', 'moveFromFs']);
const DISK_REMOVES = new Set(['delete', 'deleteAll']);
const FLYDRIVE_TEXT = /['"]flydrive(?:\/[\w/]+)?['"]/;

/** `disk.put(…)` on a flydrive `Disk` that has the fs driver in some configuration: a write, or with `delete` a removal. */
export function driveDiskCall(call: CallLike, resolver: Resolver, program: ts.Program | undefined): { write: DiskWriteCall; removes: boolean } | undefined {
  if (!ts.isCallExpression(call)) return undefined;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const removes = DISK_REMOVES.has(callee.name.text);
  if (!removes && !DISK_WRITES.has(callee.name.text)) return undefined;
  const receiver = skipOuterExpressions(callee.expression);
  if (!(ts.isIdentifier(receiver) || ts.isPropertyAccessExpression(receiver)) || !usesFlydrive(call.getSourceFile(), resolver, program)) return undefined;
  return resolver.declarationsOf(receiver).some(isLocalDisk) ? { write: { call, callee: call.expression }, removes } : undefined;
}

const usesFlydriveCache = new WeakMap<object, boolean>();

/** Whether any file of the program (or of the project index) imports flydrive: the rest of the work is skipped otherwise. */
function usesFlydrive(file: ts.SourceFile, resolver: Resolver, program: ts.Program | undefined): boolean {
  const key = program ?? resolver;
  let uses = usesFlydriveCache.get(key);
  if (uses === undefined) {
    const files = program ? program.getSourceFiles().filter((source) => !source.isDeclarationFile) : (resolver.filesMatching(FLYDRIVE_TEXT) ?? [file]);
    uses = files.some((source) => FLYDRIVE_TEXT.test(source.text));
    usesFlydriveCache.set(key, uses);
  }
  return uses;
}

const localDiskCache = new WeakMap<ts.Declaration, boolean>();

/** `const disk = new Disk(driver)` (flydrive's) where `driver` is, or is somewhere in its file assigned, an `FSDriver`. */
function isLocalDisk(declaration: ts.Declaration): boolean {
  let local = localDiskCache.get(declaration);
  if (local !== undefined) return local;
  local = false;
  const made = ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  if (made && ts.isNewExpression(made) && made.arguments?.length) {
    const facts = getFileFacts(declaration.getSourceFile());
    const disk = resolveImportedMember(made.expression, facts.imports);
    if (disk?.module === 'flydrive' && disk.path.join('.') === 'Disk') {
      const driver = skipOuterExpressions(made.arguments[0]);
      const isFsDriver = (value: ts.Expression): boolean => {
        const inner = skipOuterExpressions(value);
        // `new Disk(env.DRIVE_DISK === 'fs' ? new FSDriver(…) : new S3Driver(…))`: either branch may be configured.
        if (ts.isConditionalExpression(inner)) return isFsDriver(inner.whenTrue) || isFsDriver(inner.whenFalse);
        if (!ts.isNewExpression(inner)) return false;
        const made = resolveImportedMember(inner.expression, facts.imports);
        return made !== undefined && made.module.startsWith('flydrive') && made.path[made.path.length - 1] === 'FSDriver';
      };
      local = isFsDriver(driver) || (ts.isIdentifier(driver) && valuesOfModuleName(declaration.getSourceFile(), driver.text).some(isFsDriver));
    }
  }
  localDiskCache.set(declaration, local);
  return local;
}

/** A module-scope name's initializer and every `name = …` in its file (a `switch` over the configured driver). */
function valuesOfModuleName(file: ts.SourceFile, name: string): ts.Expression[] {
  const values: ts.Expression[] = [];
  const declared = getFileFacts(file).topLevel.get(name);
  if (declared && ts.isVariableDeclaration(declared) && declared.initializer) values.push(declared.initializer);
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && node.left.text === name) values.push(node.right);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return values;
}
