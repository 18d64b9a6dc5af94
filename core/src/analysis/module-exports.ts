import ts = require('typescript');
import { propertyNameText, skipOuterExpressions, stringValue } from './text';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** What one export name stands for in its module: a node of this file, a local name to look up, or another module's export. */
export type ExportTarget =
  | { kind: 'node'; node: ts.Node }
  | { kind: 'local'; name: string }
  | { kind: 'reexport'; specifier: string; name: string };

/**
 * A module's exports read from its syntax: ESM declarations, `export { a as b }`, `export default`,
 * `export … from` (named, `* as ns`, `*`), and CommonJS `module.exports = value`, `module.exports.x =`,
 * `exports.x =` and `alias.x =` after `const alias = module.exports`. Cached per SourceFile.
 */
export interface ModuleExports {
  named: ReadonlyMap<string, readonly ExportTarget[]>;
  /** `export * from '…'` specifiers, searched for names the module does not export itself. */
  starSpecifiers: readonly string[];
  /** `module.exports = value` or `export = value` (the last one): the whole module when it is required. */
  commonJsValue: ts.BinaryExpression | ts.ExportAssignment | undefined;
}

const cache = new WeakMap<ts.SourceFile, ModuleExports>();

export function moduleExportsOf(sourceFile: ts.SourceFile): ModuleExports {
  let exports = cache.get(sourceFile);
  if (!exports) {
    exports = collectExports(sourceFile);
    cache.set(sourceFile, exports);
  }
  return exports;
}

function collectExports(sourceFile: ts.SourceFile): ModuleExports {
  const named = new Map<string, ExportTarget[]>();
  const starSpecifiers: string[] = [];
  let commonJsValue: ModuleExports['commonJsValue'];
  const add = (name: string, target: ExportTarget): void => {
    const list = named.get(name);
    if (list) list.push(target);
    else named.set(name, [target]);
  };
  const aliases = exportsAliases(sourceFile);
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) {
      if (!hasModifier(statement, SyntaxKind.ExportKeyword)) continue;
      if (hasModifier(statement, SyntaxKind.DefaultKeyword)) add('default', { kind: 'node', node: statement });
      else if (statement.name) add(statement.name.text, { kind: 'node', node: statement });
    } else if (ts.isVariableStatement(statement)) {
      if (!hasModifier(statement, SyntaxKind.ExportKeyword)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) add(declaration.name.text, { kind: 'node', node: declaration });
      }
    } else if (ts.isExportDeclaration(statement)) {
      if (statement.isTypeOnly) continue;
      const specifier = stringValue(statement.moduleSpecifier);
      const clause = statement.exportClause;
      if (!clause) {
        if (specifier !== undefined) starSpecifiers.push(specifier);
      } else if (ts.isNamespaceExport(clause)) {
        if (specifier !== undefined) add(clause.name.text, { kind: 'reexport', specifier, name: '*' });
      } else {
        for (const element of clause.elements) {
          if (element.isTypeOnly) continue;
          const exported = propertyNameText(element.name) ?? element.name.getText();
          const local = element.propertyName ? (propertyNameText(element.propertyName) ?? element.propertyName.getText()) : exported;
          add(exported, specifier !== undefined ? { kind: 'reexport', specifier, name: local } : { kind: 'local', name: local });
        }
      }
    } else if (ts.isExportAssignment(statement)) {
      if (statement.isExportEquals) commonJsValue = statement;
      else add('default', { kind: 'node', node: statement });
    } else if (ts.isExpressionStatement(statement)) {
      collectCommonJs(statement.expression, aliases, add, (assignment) => (commonJsValue = assignment));
    }
  }
  return { named, starSpecifiers, commonJsValue };
}

/**
 * `const helpers = module.exports;` (or `var RPC = exports;`) at module scope, never reassigned: the
 * members a CommonJS module hangs on the alias (`helpers.setupPageRoute = function …`) are its exports.
 */
function exportsAliases(sourceFile: ts.SourceFile): ReadonlySet<string> {
  if (!/=\s*(?:module\.)?exports\s*[;\n]/.test(sourceFile.text)) return EMPTY;
  const aliases = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const isConst = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || !declaration.initializer || !isExportsObject(declaration.initializer)) continue;
      if (isConst || assignmentCount(sourceFile.text, declaration.name.text) === 1) aliases.add(declaration.name.text);
    }
  }
  return aliases;
}

/** How many times the text assigns `name` (`name =`, not `x.name =` or `name ==`): a `var` alias assigned once is never reassigned. */
function assignmentCount(text: string, name: string): number {
  return text.match(new RegExp(`(?:^|[^.\\w$])${name.replace(/\$/g, '\\$')}\\s*=(?![=>])`, 'g'))?.length ?? 0;
}

const EMPTY: ReadonlySet<string> = new Set();

/** `module.exports = v`, `module.exports.x = v`, `exports.x = v`, `exports['x'] = v`, `alias.x = v`, chained `a = b = v` included. */
function collectCommonJs(expression: ts.Expression, aliases: ReadonlySet<string>, add: (name: string, target: ExportTarget) => void, setValue: (assignment: ts.BinaryExpression) => void): void {
  let current = skipOuterExpressions(expression);
  for (let guard = 0; guard < 4 && ts.isBinaryExpression(current) && current.operatorToken.kind === SyntaxKind.EqualsToken; guard++) {
    const left = skipOuterExpressions(current.left);
    if (isModuleExports(left)) setValue(current);
    else if ((ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) && (isExportsObject(left.expression) || isAlias(left.expression, aliases))) {
      const name = ts.isPropertyAccessExpression(left) ? left.name.text : stringValue(left.argumentExpression);
      if (name !== undefined) add(name, { kind: 'node', node: left });
    }
    current = skipOuterExpressions(current.right);
  }
}

function isAlias(node: ts.Expression, aliases: ReadonlySet<string>): boolean {
  const value = skipOuterExpressions(node);
  return ts.isIdentifier(value) && aliases.has(value.text);
}

/** `module.exports` */
export function isModuleExports(node: ts.Expression): boolean {
  const value = skipOuterExpressions(node);
  return ts.isPropertyAccessExpression(value) && value.name.text === 'exports' && ts.isIdentifier(value.expression) && value.expression.text === 'module';
}

/** `exports` or `module.exports` */
export function isExportsObject(node: ts.Expression): boolean {
  const value = skipOuterExpressions(node);
  return (ts.isIdentifier(value) && value.text === 'exports') || isModuleExports(value);
}

/** `exports.x = …` / `module.exports.x = …`: the property written on the exports object. */
export function isCommonJsExportTarget(node: ts.Node): node is ts.PropertyAccessExpression | ts.ElementAccessExpression {
  return (
    (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) &&
    isExportsObject(node.expression) &&
    ts.isBinaryExpression(node.parent) &&
    node.parent.left === node &&
    node.parent.operatorToken.kind === SyntaxKind.EqualsToken
  );
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((modifier) => modifier.kind === kind) ?? false);
}
