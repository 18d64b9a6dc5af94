import ts = require('typescript');
import type { CallLike, FileFacts } from './file-facts';
import { resolveImportedMember } from './imports';
import { localInitializer } from './scope';
import { skipOuterExpressions } from './text';

/** A method called on an instance of a package's class: `new VM(options).run(code)`, `const zip = new AdmZip(); zip.writeZip(file)`. */
export interface LibraryInstanceCall {
  module: string;
  /** The class's name in the package; '' for its default export (`new AdmZip()` of `require('adm-zip')`). */
  className: string;
  method: string;
  /** The receiver as written (`zip`), which names the instance within its function. */
  receiver: ts.Expression;
}

/**
 * `receiver.method(…)` where the receiver is a `new` of an imported class, made in the receiver itself
 * or in the local or module-scope binding it names (`const rules = new vm.Script(source)` compiled once,
 * run per request). Only `methods` are asked about: every other call is answered without a look at its
 * receiver, since the rules ask this of every call. Undefined for anything else.
 */
export function libraryInstanceCall(call: CallLike, facts: FileFacts, methods: ReadonlySet<string>): LibraryInstanceCall | undefined {
  if (!ts.isCallExpression(call)) return undefined;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !methods.has(callee.name.text)) return undefined;
  let made = skipOuterExpressions(callee.expression);
  if (ts.isIdentifier(made)) {
    const declaration = facts.topLevel.get(made.text);
    const initializer = localInitializer(made) ?? (declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined);
    made = skipOuterExpressions(initializer ?? made);
  }
  if (!ts.isNewExpression(made)) return undefined;
  const member = resolveImportedMember(made.expression, facts.imports);
  if (!member) return undefined;
  const last = member.path[member.path.length - 1] ?? '';
  return { module: member.module, className: last === 'default' ? '' : last, method: callee.name.text, receiver: callee.expression };
}
