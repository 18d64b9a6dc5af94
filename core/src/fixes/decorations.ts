import ts = require('typescript');

/** Fastify's decorators and the interface each one's value is declared on by module augmentation. */
const DECORATED_INTERFACES: Record<string, string> = { decorate: 'FastifyInstance', decorateRequest: 'FastifyRequest', decorateReply: 'FastifyReply' };

/**
 * `fastify.decorate('sessions', new Map<string, Agent>())` with `sessions: Map<string, Agent>`
 * declared on `FastifyInstance` in a `declare module 'fastify'` block: the declared member is what
 * every `fastify.sessions` / `request.server.sessions` refers to, so its references are the
 * decoration's uses, and its type is what the store's type replaces. Undefined when the call is not
 * such a decoration; a string (the reason) when the declaration is missing or elsewhere.
 */
export function fastifyDecoration(call: ts.CallExpression, program: ts.Program): { member: ts.PropertySignature & { name: ts.Identifier }; value: ts.Expression } | string | undefined {
  const callee = call.expression;
  const [nameArgument, value] = call.arguments;
  if (!ts.isPropertyAccessExpression(callee) || !(callee.name.text in DECORATED_INTERFACES) || !nameArgument || !ts.isStringLiteralLike(nameArgument) || !value) return undefined;
  const owner = DECORATED_INTERFACES[callee.name.text];
  const name = nameArgument.text;
  const members: ts.PropertySignature[] = [];
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file) || !file.text.includes(owner)) continue;
    for (const statement of file.statements) {
      if (!ts.isModuleDeclaration(statement) || !ts.isStringLiteral(statement.name) || statement.name.text !== 'fastify' || !statement.body || !ts.isModuleBlock(statement.body)) continue;
      for (const declaration of statement.body.statements.filter(ts.isInterfaceDeclaration).filter((candidate) => candidate.name.text === owner)) {
        for (const member of declaration.members) if (ts.isPropertySignature(member) && ts.isIdentifier(member.name) && member.name.text === name) members.push(member);
      }
    }
  }
  const where = `\`${callee.getText()}('${name}', …)\``;
  if (members.length !== 1) return `${where} has ${members.length === 0 ? 'no declaration' : 'more than one declaration'} on \`${owner}\` (\`declare module 'fastify'\`) to follow its uses through`;
  const member = members[0] as ts.PropertySignature & { name: ts.Identifier };
  if (member.getSourceFile() !== call.getSourceFile()) return `the declaration of ${where} on \`${owner}\` is in another file than the decoration`;
  if (!member.type) return `the declaration of ${where} on \`${owner}\` has no type`;
  return { member, value };
}

/**
 * A `x.sessions` the checker cannot resolve (`x` untyped, or the augmented module not found) may be
 * the decoration without being among its references: the fix would leave it reading a Map that is
 * no longer there. The first such use, if any.
 */
export function unresolvedUse(name: string, program: ts.Program): ts.PropertyAccessExpression | undefined {
  const checker = program.getTypeChecker();
  let found: ts.PropertyAccessExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node) && node.name.text === name && !checker.getSymbolAtLocation(node.name)) found = node;
    else ts.forEachChild(node, visit);
  };
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file) || !file.text.includes(name)) continue;
    visit(file);
    if (found) return found;
  }
  return undefined;
}
