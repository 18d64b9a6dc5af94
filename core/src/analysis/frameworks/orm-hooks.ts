import ts = require('typescript');
import { propertyNameText, skipOuterExpressions, stringValue } from '../text';
import { decoratorsOf } from './nest';
import type { DetectorContext, EntryCandidate } from './types';

/** TypeORM's entity listeners: the repository or entity manager calls them as it saves, updates or removes the entity. */
const TYPEORM_LISTENERS = new Set(['BeforeInsert', 'AfterInsert', 'BeforeUpdate', 'AfterUpdate', 'BeforeRemove', 'AfterRemove', 'BeforeSoftRemove', 'AfterSoftRemove', 'BeforeRecover', 'AfterRecover']);

/** Mongoose middleware run by a write: document middleware (`save`, `validate`, `deleteOne`) and the query middleware of updates. */
const MONGOOSE_WRITE_HOOKS = new Set(['save', 'validate', 'remove', 'deleteOne', 'deleteMany', 'updateOne', 'updateMany', 'findOneAndUpdate', 'findOneAndDelete', 'insertMany']);

/**
 * Functions an ORM runs inside the write a request makes: a TypeORM entity's `@BeforeInsert()` method
 * (`this.password = hashSync(this.password, 10)` as the sign-up route saves the user) and a Mongoose
 * schema's `schema.pre('save', fn)`. The request waits for the save, so it waits for them; they are
 * entries of their own, named after the entity and the write that runs them.
 */
export function detectOrmHooks(context: DetectorContext, found: EntryCandidate[]): void {
  detectTypeormListeners(context, found);
  detectMongooseMiddleware(context, found);
}

function detectTypeormListeners(context: DetectorContext, found: EntryCandidate[]): void {
  const { facts } = context;
  for (const declaration of facts.classes) {
    const className = declaration.name?.text ?? 'anonymous class';
    for (const member of declaration.members) {
      if (!ts.isMethodDeclaration(member) || !member.body) continue;
      const listener = decoratorsOf(member).find((decorator) => TYPEORM_LISTENERS.has(decorator.name) && isTypeormImport(decorator.node, context));
      if (!listener) continue;
      const method = propertyNameText(member.name) ?? 'listener';
      found.push({ label: `TypeORM ${listener.name} listener (${className}.${method})`, framework: 'typeorm', registration: listener.node, handlers: [member] });
    }
  }
}

/** `@BeforeInsert()` whose name the file imports from `typeorm`, as itself or through a namespace (`@typeorm.BeforeInsert()`). */
function isTypeormImport(decorator: ts.Decorator, context: DetectorContext): boolean {
  const expression = skipOuterExpressions(decorator.expression);
  const callee = ts.isCallExpression(expression) ? skipOuterExpressions(expression.expression) : expression;
  const local = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression : undefined;
  return local !== undefined && context.facts.imports.get(local.text)?.module === 'typeorm';
}

/** `userSchema.pre('save', function (next) { … })` on a schema the file makes with Mongoose (`new Schema(…)`, `new mongoose.Schema(…)`). */
function detectMongooseMiddleware(context: DetectorContext, found: EntryCandidate[]): void {
  const { facts } = context;
  for (const { node } of facts.calls) {
    if (!ts.isCallExpression(node)) continue;
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isPropertyAccessExpression(callee) || (callee.name.text !== 'pre' && callee.name.text !== 'post')) continue;
    const hook = node.arguments[0] && stringValue(skipOuterExpressions(node.arguments[0]));
    const handler = node.arguments.at(-1);
    if (hook === undefined || !MONGOOSE_WRITE_HOOKS.has(hook) || !handler || node.arguments.length < 2) continue;
    const value = skipOuterExpressions(handler);
    if (!ts.isFunctionExpression(value) && !ts.isArrowFunction(value) && !ts.isIdentifier(value)) continue;
    const schema = skipOuterExpressions(callee.expression);
    if (!ts.isIdentifier(schema) || !isMongooseSchema(schema, context)) continue;
    found.push({ label: `Mongoose ${callee.name.text}('${hook}') middleware of ${schema.text}`, framework: 'mongoose', registration: node, handlers: [value] });
  }
}

function isMongooseSchema(schema: ts.Identifier, context: DetectorContext): boolean {
  const declaration = context.facts.topLevel.get(schema.text);
  const initializer = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  if (!initializer || !ts.isNewExpression(initializer)) return false;
  const constructor = skipOuterExpressions(initializer.expression);
  if (ts.isIdentifier(constructor)) {
    const binding = context.facts.imports.get(constructor.text);
    return binding?.module === 'mongoose' && binding.path.join('.') === 'Schema';
  }
  if (!ts.isPropertyAccessExpression(constructor) || constructor.name.text !== 'Schema' || !ts.isIdentifier(constructor.expression)) return false;
  const binding = context.facts.imports.get(constructor.expression.text);
  return binding?.module === 'mongoose' && (binding.path.length === 0 || binding.path.join('.') === 'default');
}
