import ts = require('typescript');
import { propertyNameText, skipOuterExpressions } from './text';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/**
 * A singleton's private field that each call sets before the methods it then calls read it
 * (`notify(title, content) { this.title = title; … return this.modeMap.get(type).call(this) }`, the
 * sender methods reading `this.title`): scratch of one call, handed from method to method through the
 * instance instead of through parameters. No later request reads what an earlier one left, so no
 * other instance needs it.
 *
 * Sound only when every read follows a write of the same call: the field is private (`private`,
 * `#`), and every method that reads it either writes it first (the write in a block around the
 * read, before it) or is private and referenced only after such a write, from a method that writes it,
 * from another such reader, or from a private field's initializer (a table of those methods) that is
 * itself used only after such a write. A public reader (`getTitle()`), a read in the constructor or
 * in a public method that writes nothing, or a write made only on one branch before a read outside
 * it, keeps the field what it is: state one request leaves for the next.
 *
 * Calls of the same instance that overlap across an `await` can see each other's values: that is a
 * race inside this process, the same on one instance as on many, and no shared store would fix it.
 */
export function isPerCallScratchField(nameNode: ts.Node, name: string): boolean {
  const declaration = nameNode.parent;
  const owner = fieldOwner(declaration);
  if (!owner || !isPrivateField(declaration, owner, name)) return false;
  if (readsThisUnseen(owner)) return false;
  const accesses = thisAccessesOf(owner, name);
  if (accesses.length === 0) return false;
  const writes = accesses.filter(isAssignedWhole);
  if (writes.length === 0) return false;
  const writers = new Set<ts.Node>();
  for (const write of writes) {
    const method = memberOf(write, owner);
    if (!method || isConstructor(method) || mentionsField(rightOf(write), name)) return false;
    writers.add(method);
  }
  const afterWrite = (node: ts.Node, method: ts.Node): boolean => writes.some((write) => memberOf(write, owner) === method && follows(node, write));
  // Every read inside a writer follows one of its writes.
  const readers = new Set<ts.ClassElement>();
  for (const access of accesses) {
    if (writes.includes(access)) continue;
    const method = memberOf(access, owner);
    if (!method) return false;
    if (writers.has(method)) {
      if (!afterWrite(access, method)) return false;
      continue;
    }
    if (!isPrivateMethod(method)) return false;
    readers.add(method);
  }
  // Read only inside the methods that write it (`this.usage = await load(id); return this.usage.quotas(id)`): left to how the
  // value is used (a row loaded and kept is a cache); the scratch read here is one handed from method to method.
  if (readers.size === 0) return false;
  // Private methods that call a reader read it too, through it.
  const tables = new Set<ts.PropertyDeclaration>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const reader of [...readers]) {
      const readerName = memberName(reader);
      if (readerName === undefined) return false;
      for (const reference of thisAccessesOf(owner, readerName)) {
        const member = memberOf(reference, owner);
        if (!member || readers.has(member)) continue;
        if (writers.has(member)) {
          if (!afterWrite(reference, member)) return false;
          continue;
        }
        // A table of the methods (`modeMap = new Map([['gotify', this.gotify], …])`): judged where it is used.
        if (ts.isPropertyDeclaration(member) && member.initializer && within(reference, member.initializer) && isPrivateMember(member)) {
          tables.add(member);
          continue;
        }
        if (!isPrivateMethod(member)) return false;
        readers.add(member);
        grew = true;
      }
    }
  }
  for (const table of tables) {
    const tableName = propertyNameText(table.name);
    if (tableName === undefined) return false;
    for (const use of thisAccessesOf(owner, tableName)) {
      const member = memberOf(use, owner);
      if (!member || readers.has(member)) continue;
      if (!writers.has(member) || !afterWrite(use, member)) return false;
    }
  }
  return true;
}

function fieldOwner(declaration: ts.Node): ts.ClassLikeDeclaration | undefined {
  if (ts.isPropertyDeclaration(declaration) && ts.isClassLike(declaration.parent)) return declaration.parent;
  return undefined;
}

function isPrivateField(declaration: ts.Node, owner: ts.ClassLikeDeclaration, name: string): boolean {
  if (!ts.isPropertyDeclaration(declaration)) return false;
  if (ts.isPrivateIdentifier(declaration.name)) return true;
  if (declaration.modifiers?.some((m) => m.kind === SyntaxKind.StaticKeyword)) return false;
  return isPrivateMember(declaration) && owner.members.filter((member) => member.name && propertyNameText(member.name) === name).length === 1;
}

function isPrivateMember(member: ts.ClassElement): boolean {
  if (member.name && ts.isPrivateIdentifier(member.name)) return true;
  return ts.canHaveModifiers(member) && (ts.getModifiers(member)?.some((m) => m.kind === SyntaxKind.PrivateKeyword) ?? false);
}

function isPrivateMethod(member: ts.ClassElement): boolean {
  return (ts.isMethodDeclaration(member) || (ts.isPropertyDeclaration(member) && member.initializer !== undefined && isFunctionValue(member.initializer))) && isPrivateMember(member) && !isStatic(member);
}

function isStatic(member: ts.ClassElement): boolean {
  return ts.canHaveModifiers(member) && (ts.getModifiers(member)?.some((m) => m.kind === SyntaxKind.StaticKeyword) ?? false);
}

function isFunctionValue(value: ts.Expression): boolean {
  const inner = skipOuterExpressions(value);
  return ts.isArrowFunction(inner) || ts.isFunctionExpression(inner);
}

function isConstructor(member: ts.ClassElement): boolean {
  return ts.isConstructorDeclaration(member) || ts.isClassStaticBlockDeclaration(member);
}

function memberName(member: ts.ClassElement): string | undefined {
  return member.name ? propertyNameText(member.name) : undefined;
}

/** `this.name` (or `this.#name`) anywhere in the class body, nested classes excluded. */
function thisAccessesOf(owner: ts.ClassLikeDeclaration, name: string): ts.PropertyAccessExpression[] {
  const found: ts.PropertyAccessExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (node !== owner && ts.isClassLike(node)) return;
    if (ts.isPropertyAccessExpression(node) && node.expression.kind === SyntaxKind.ThisKeyword && (ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name)) && node.name.text === name) found.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(owner, visit);
  return found;
}

/** The class member an access is written in (a method, an accessor, a field's initializer, the constructor). */
function memberOf(node: ts.Node, owner: ts.ClassLikeDeclaration): ts.ClassElement | undefined {
  let current: ts.Node = node;
  while (current.parent && current.parent !== owner) current = current.parent;
  return current.parent === owner && ts.isClassElement(current) ? current : undefined;
}

/** `this.title = title` as a statement of its own. */
function isAssignedWhole(access: ts.PropertyAccessExpression): boolean {
  const parent = access.parent;
  return ts.isBinaryExpression(parent) && parent.left === access && parent.operatorToken.kind === SyntaxKind.EqualsToken && ts.isExpressionStatement(parent.parent);
}

function rightOf(access: ts.PropertyAccessExpression): ts.Expression {
  return (access.parent as ts.BinaryExpression).right;
}

function mentionsField(node: ts.Node, name: string): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(child) && child.expression.kind === SyntaxKind.ThisKeyword && child.name.text === name) found = true;
    else ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

/** Whether `node` comes after the statement of `write`, inside the block that statement is in (so the write ran first). */
function follows(node: ts.Node, write: ts.PropertyAccessExpression): boolean {
  const statement = write.parent.parent;
  return node.pos >= statement.end && within(node, statement.parent);
}

/** `const { title } = this`, `this[key]`: fields read without their name written out, which the walk above cannot follow. */
function readsThisUnseen(owner: ts.ClassLikeDeclaration): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (node !== owner && ts.isClassLike(node))) return;
    if (ts.isElementAccessExpression(node) && node.expression.kind === SyntaxKind.ThisKeyword) found = true;
    else if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer?.kind === SyntaxKind.ThisKeyword) found = true;
    else if (ts.isBinaryExpression(node) && ts.isObjectLiteralExpression(node.left) && node.right.kind === SyntaxKind.ThisKeyword) found = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(owner, visit);
  return found;
}

function within(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}
