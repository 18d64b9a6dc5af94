import ts = require('typescript');

/** Whether `name` names a local of some scope between `node` and module scope (so it is not the module binding). */
export function isShadowed(node: ts.Node, name: string): boolean {
  for (let current: ts.Node | undefined = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isFunctionLike(current)) {
      for (const parameter of current.parameters) if (bindsName(parameter.name, name)) return true;
      if ((ts.isFunctionExpression(current) || ts.isClassExpression(current)) && current.name?.text === name) return true;
    }
    if (ts.isBlock(current) || ts.isModuleBlock(current) || ts.isCaseClause(current) || ts.isDefaultClause(current)) {
      if (statementsDeclare(current.statements, name)) return true;
    } else if (ts.isForStatement(current) || ts.isForOfStatement(current) || ts.isForInStatement(current)) {
      const initializer = current.initializer;
      if (initializer && ts.isVariableDeclarationList(initializer) && initializer.declarations.some((d) => bindsName(d.name, name))) return true;
    } else if (ts.isCatchClause(current)) {
      if (current.variableDeclaration && bindsName(current.variableDeclaration.name, name)) return true;
    }
  }
  return false;
}

/**
 * The statements a block-scoped `const`/`let` of `node` is declared among: a block's, or a `case`
 * clause's (`case 'oidc': const state = …`), as `isShadowed` reads scopes; none for any other node.
 */
function blockStatements(node: ts.Node): readonly ts.Statement[] {
  return ts.isBlock(node) || ts.isCaseOrDefaultClause(node) ? node.statements : NO_STATEMENTS;
}

const NO_STATEMENTS: readonly ts.Statement[] = [];

function statementsDeclare(statements: ts.NodeArray<ts.Statement>, name: string): boolean {
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      if (statement.declarationList.declarations.some((d) => bindsName(d.name, name))) return true;
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name?.text === name) {
      return true;
    }
  }
  return false;
}

export function bindsName(binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  for (const element of binding.elements) {
    if (ts.isOmittedExpression(element)) continue;
    if (bindsName(element.name, name)) return true;
  }
  return false;
}


/**
 * The variable declaration a local name binds to: the nearest enclosing block's `const`/`let`/`var`
 * of that name; undefined when a parameter, loop or catch binding of that name comes first.
 */
export function localVariableOf(identifier: ts.Identifier): ts.VariableDeclaration | undefined {
  const name = identifier.text;
  for (let current: ts.Node | undefined = identifier.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isFunctionLike(current) && current.parameters.some((parameter) => bindsName(parameter.name, name))) return undefined;
    if ((ts.isForStatement(current) || ts.isForOfStatement(current) || ts.isForInStatement(current)) && current.initializer && ts.isVariableDeclarationList(current.initializer) && current.initializer.declarations.some((d) => bindsName(d.name, name))) return undefined;
    if (ts.isCatchClause(current) && current.variableDeclaration && bindsName(current.variableDeclaration.name, name)) return undefined;
    for (const statement of blockStatements(current)) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return declaration;
    }
  }
  return undefined;
}

/**
 * `const { send, close } = createMailer(host)` in an enclosing block: the element that binds the
 * identifier's name at the top of an object pattern (not a nested or rest one).
 */
export function localBindingElement(identifier: ts.Identifier): ts.BindingElement | undefined {
  for (let current: ts.Node | undefined = identifier.parent; current && !ts.isSourceFile(current); current = current.parent) {
    for (const statement of blockStatements(current)) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isObjectBindingPattern(declaration.name)) continue;
        const element = declaration.name.elements.find((candidate) => !candidate.dotDotDotToken && ts.isIdentifier(candidate.name) && candidate.name.text === identifier.text);
        if (element) return element;
      }
    }
  }
  return undefined;
}

/** The initializer of a local `const`/`let` the identifier names, found in the enclosing blocks. */
export function localInitializer(identifier: ts.Identifier): ts.Expression | undefined {
  // Read once: an identifier's text is a getter, and every write on a request path asks about its root.
  const name = identifier.text;
  for (let current: ts.Node | undefined = identifier.parent; current && !ts.isSourceFile(current); current = current.parent) {
    for (const statement of blockStatements(current)) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return declaration.initializer;
        if (ts.isObjectBindingPattern(declaration.name) && declaration.name.elements.some((e) => ts.isIdentifier(e.name) && e.name.text === name)) return declaration.initializer;
      }
    }
  }
  return undefined;
}

/**
 * A local's initializer and every `name = …` in the function around it (not `name = name`).
 * `also` adds what a caller counts as an assignment too, per node of that function.
 */
export function valuesOfLocal(identifier: ts.Identifier, also?: (node: ts.Node, values: ts.Expression[]) => void): ts.Expression[] {
  const values: ts.Expression[] = [];
  const initializer = localInitializer(identifier);
  if (initializer) values.push(initializer);
  let fn: ts.Node | undefined = identifier.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn) return values;
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && node.left.text === identifier.text && node.right !== identifier) values.push(node.right);
    also?.(node, values);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return values;
}

/**
 * Declarations of a locally shadowed name in an enclosing scope: a function or variable of a block
 * (`const helper = () => …`, `const self = this` inside a handler), or a parameter (`(client: Client) => …`).
 */
export function localDeclarations(identifier: ts.Identifier): ts.Declaration[] {
  const name = identifier.text;
  for (let current: ts.Node | undefined = identifier.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isFunctionLike(current)) {
      const parameter = current.parameters.find((candidate) => ts.isIdentifier(candidate.name) && candidate.name.text === name);
      if (parameter) return [parameter];
    }
    // for (const register of handlers): the loop's variable.
    if ((ts.isForOfStatement(current) || ts.isForInStatement(current)) && ts.isVariableDeclarationList(current.initializer)) {
      const variable = current.initializer.declarations.find((declaration) => ts.isIdentifier(declaration.name) && declaration.name.text === name);
      if (variable) return [variable];
    }
    for (const statement of blockStatements(current)) {
      if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) return [statement];
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return [declaration];
        }
      }
    }
  }
  return [];
}
