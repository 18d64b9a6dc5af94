import ts = require('typescript');
import { getFileFacts, type CallLike, type FunctionNode } from './file-facts';
import type { ImportBinding } from './imports';
import type { Resolver } from './resolve';
import { cachedValue } from './resolution-cache';
import { isAllowedName } from './state-findings';
import { propertyNameText, skipOuterExpressions, sqlText, WRITE_SQL } from './text';
import { atLeast, usedPackageVersion } from '../fixes/installed-packages';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** Which replication setup a query goes through; a write only hides a later read of the same family. */
export type ReplicaFamily = 'prisma' | 'drizzle' | 'sequelize' | 'typeorm' | 'clients';

/** What runs a query: a call, or a tagged template (``sql`…` ``, ``prisma.$executeRaw`…` ``). */
export type QueryNode = CallLike | ts.TaggedTemplateExpression;

/** One database call on a request path, as the read-after-write check sees it. */
export interface DbEvent {
  kind: 'write' | 'replicaRead';
  family: ReplicaFamily;
  /** The call that runs the query (reported for reads, related for writes). */
  node: QueryNode;
  /** `db.select()`, `prisma.user.findUnique()`: how messages name the query. */
  label: string;
  /** The model or table the query touches, when the code says (`orders` in `db.insert(orders)`); a write hides only a read of the same one. */
  table?: string;
  /** How to send this read to the primary, when a one-file edit can. */
  primaryRoute?: PrimaryRoute;
  /** The named client a `clients` query runs on (`pool`, `this.writer`): a read can move to the client its write used. */
  client?: ts.Expression;
}

/** A one-file edit that routes a read to the primary. */
export type PrimaryRoute =
  | { kind: 'insertAfter'; node: ts.Node; text: string }
  | { kind: 'useMaster'; call: ts.CallExpression; argumentIndex: number }
  | { kind: 'replaceClient'; node: ts.Node; text: string }
  /** The whole read rewritten (TypeORM: run it in a transaction, which takes a query runner on the master); `label` is how the message names it. */
  | { kind: 'replaceQuery'; node: ts.Node; text: string; label: string };

export interface ReplicaClientNames {
  replicaClients: readonly string[];
  primaryClients: readonly string[];
}

// Prisma with @prisma/extension-read-replicas
const PRISMA_READS = new Set(['findMany', 'findFirst', 'findFirstOrThrow', 'findUnique', 'findUniqueOrThrow', 'count', 'aggregate', 'groupBy']);
const PRISMA_WRITES = new Set(['create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany']);
const PRISMA_CLIENT_WRITES = new Set(['$executeRaw', '$executeRawUnsafe', '$transaction']);
// Drizzle withReplicas
const DRIZZLE_READS = new Set(['select', 'selectDistinct', 'selectDistinctOn', '$count']);
const DRIZZLE_QUERY_READS = new Set(['findMany', 'findFirst']);
const DRIZZLE_WRITES = new Set(['insert', 'update', 'delete', 'execute', 'transaction', 'batch', 'run', 'refreshMaterializedView']);
// Sequelize with `replication`
const SEQUELIZE_READS = new Set(['findAll', 'findOne', 'findByPk', 'findAndCountAll', 'count', 'max', 'min', 'sum', 'aggregate']);
const SEQUELIZE_WRITES = new Set(['create', 'bulkCreate', 'update', 'destroy', 'upsert', 'increment', 'decrement', 'truncate', 'restore', 'findOrCreate', 'findCreateFind', 'save']);
// TypeORM with `replication`
const TYPEORM_READS = new Set([
  'find', 'findBy', 'findOne', 'findOneBy', 'findOneOrFail', 'findOneByOrFail', 'findAndCount', 'findAndCountBy', 'findByIds',
  'count', 'countBy', 'exist', 'exists', 'existsBy', 'sum', 'average', 'minimum', 'maximum',
]);
const TYPEORM_BUILDER_READS = new Set(['getMany', 'getOne', 'getOneOrFail', 'getRawMany', 'getRawOne', 'getCount', 'getManyAndCount', 'getRawAndEntities', 'getExists', 'stream']);
const TYPEORM_WRITES = new Set(['save', 'insert', 'update', 'upsert', 'delete', 'remove', 'softDelete', 'softRemove', 'restore', 'recover', 'increment', 'decrement', 'clear', 'query', 'transaction']);
const TYPEORM_REPOSITORY_FACTORIES = new Set(['getRepository', 'getTreeRepository', 'getMongoRepository', 'getCustomRepository', 'withRepository']);
const TYPEORM_REPOSITORY_TYPES = new Set(['Repository', 'TreeRepository', 'MongoRepository', 'EntityManager', 'MongoEntityManager']);
// Clients named in options (a pg Pool, knex, …)
const KNEX_WRITES = new Set(['insert', 'update', 'del', 'delete', 'upsert', 'increment', 'decrement', 'truncate', 'merge', 'onConflict']);
const CLIENT_NON_QUERIES = new Set(['end', 'on', 'once', 'off', 'release', 'destroy', 'removeListener', 'listeners', 'emit']);
/** How SQL text starts: a wrapper's callers pass it statements (`db.read('SELECT …')`), not route paths, keys or messages. */
const SQL_TEXT = /^\s*\(?\s*(?:select|with|insert|update|delete|upsert|merge|replace|create|alter|drop|truncate|call|exec|execute|show|explain|values|table)\b/i;

/** What a receiver is: a replicated client, the primary behind one, a model or repository, a query runner on the primary. */
type HandleKind = 'prisma' | 'drizzle' | 'drizzlePrimary' | 'sequelizeModel' | 'typeormRepository' | 'primaryRunner' | null;

/** What replication the program (typed) or the file (untyped) sets up: Sequelize and TypeORM route every model read to a replica when it does. */
export interface ReplicationSetup {
  prisma: boolean;
  drizzle: boolean;
  sequelize: boolean;
  typeorm: boolean;
}

const setups = new WeakMap<readonly ts.SourceFile[], ReplicationSetup>();
/** Any of the words a replicated setup is written with, in one pass over the text. */
const SETUP_TEXT = /readReplicas|withReplicas|\$primary|replication/;

const mentions = new WeakMap<ts.SourceFile, boolean>();

function mentionsSetup(file: ts.SourceFile): boolean {
  let mention = mentions.get(file);
  if (mention === undefined) {
    mention = SETUP_TEXT.test(file.text);
    mentions.set(file, mention);
  }
  return mention;
}

/** Finds `replication: …` options of `new Sequelize(…)` and TypeORM data sources in the files. */
export function replicationSetup(files: readonly ts.SourceFile[]): ReplicationSetup {
  const cached = setups.get(files);
  if (cached) return cached;
  const setup: ReplicationSetup = { prisma: false, drizzle: false, sequelize: false, typeorm: false };
  for (const file of files) {
    // A replicated client is set up in the program's own code (typed) or this file (untyped).
    if (!mentionsSetup(file)) continue;
    if (file.text.includes('readReplicas') || file.text.includes('$primary')) setup.prisma = true;
    if (file.text.includes('withReplicas') || file.text.includes('$primary')) setup.drizzle = true;
    if (!file.text.includes('replication')) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAssignment(node) && propertyNameText(node.name) === 'replication') {
        const family = replicationFamily(node);
        if (family) setup[family] = true;
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  setups.set(files, setup);
  return setup;
}

function replicationFamily(property: ts.PropertyAssignment): 'sequelize' | 'typeorm' | undefined {
  const value = skipOuterExpressions(property.initializer);
  if (ts.isObjectLiteralExpression(value)) {
    const keys = new Set(value.properties.map((p) => propertyNameText(p.name)));
    if (keys.has('read') || keys.has('write')) return 'sequelize';
    if (keys.has('slaves') || keys.has('master')) return 'typeorm';
  }
  // `replication: config.replication`: judge by what the options are given to.
  for (let node: ts.Node = property.parent; node && !ts.isSourceFile(node); node = node.parent) {
    if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
      const callee = node.expression.getText();
      if (/Sequelize/.test(callee)) return 'sequelize';
      if (/DataSource|TypeOrm|createConnection/.test(callee)) return 'typeorm';
    }
  }
  return undefined;
}

/** Classifies database calls for the read-after-write check. One instance per request graph. */
export class ReplicaClassifier {
  private readonly handleKinds = new Map<ts.Node, HandleKind>();
  private readonly nameKinds = new Map<string, 'replica' | 'primary' | null>();
  private readonly wrapperKinds = new Map<FunctionNode, 'replica' | 'primary' | null>();

  constructor(
    private readonly resolver: Resolver,
    private readonly setup: ReplicationSetup,
    private readonly names: ReplicaClientNames,
    /** The functions a call runs; the request graph's, which caches them and carries them across an editor's programs. */
    private readonly callTargets: (call: ts.CallExpression) => readonly FunctionNode[] = (call) => resolver.callTargets(call),
  ) {}

  classify(call: QueryNode): DbEvent | undefined {
    if (ts.isTaggedTemplateExpression(call)) return this.classifyTagged(call);
    if (!ts.isCallExpression(call)) return undefined;
    const callee = skipOuterExpressions(call.expression);
    if (!ts.isPropertyAccessExpression(callee)) return this.classifyClientCall(call, callee);
    const method = callee.name.text;
    return (
      this.classifyPrisma(call, callee, method) ??
      this.classifyDrizzle(call, callee, method) ??
      this.classifySequelize(call, callee, method) ??
      this.classifyModelWrite(call, callee, method) ??
      this.classifyNestConnection(call, callee, method) ??
      this.classifyDataSource(call, callee, method) ??
      this.classifyTypeorm(call, callee, method) ??
      this.classifyClientCall(call, callee) ??
      this.classifyWrapperCall(call, callee)
    );
  }

  /**
   * `db.read(sql, params, cb)` where the project's `read` is `(text, params, cb) => replica.query(text,
   * params, cb)`: a query on the wrapped client, with the caller's SQL. A replica read moves to the
   * wrapper next to it that passes to a primary client (`db.read` → `db.query`).
   */
  private classifyWrapperCall(call: ts.CallExpression, callee: ts.PropertyAccessExpression): DbEvent | undefined {
    const sql = sqlText(call.arguments[0]);
    // Resolving a call type-checks its receiver: only calls given SQL text can be a wrapper's.
    if (sql === undefined || !SQL_TEXT.test(sql)) return undefined;
    const targets = this.callTargets(call);
    if (targets.length !== 1) return undefined;
    const kind = this.wrappedClientKind(targets[0]);
    if (kind === 'replica') {
      const primary = primarySibling(targets[0], (fn) => this.wrappedClientKind(fn) === 'primary');
      return { kind: 'replicaRead', family: 'clients', node: call, label: `${shortText(callee)}()`, table: readTable(sql), primaryRoute: primary ? { kind: 'replaceClient', node: callee.name, text: primary } : undefined };
    }
    if (kind === 'primary' && isClientWrite(call)) return { kind: 'write', family: 'clients', node: call, label: `${shortText(callee)}()`, table: writeTable(sql) };
    return undefined;
  }

  /** The client a function passes its first parameter (the SQL) to, when that call is all it does. */
  private wrappedClientKind(fn: FunctionNode): 'replica' | 'primary' | undefined {
    const cached = this.wrapperKinds.get(fn);
    if (cached !== undefined) return cached ?? undefined;
    let kind: 'replica' | 'primary' | null = null;
    const inner = passedThroughCall(fn);
    if (inner) {
      const callee = skipOuterExpressions(inner.expression);
      const root = this.mayBeClientCall(callee) ? clientRoot(callee) : undefined;
      if (root?.candidates.some((candidate) => this.clientNameKind(candidate.name) === 'replica')) kind = 'replica';
      else if (root?.candidates.some((candidate) => this.clientNameKind(candidate.name) === 'primary')) kind = 'primary';
    }
    this.wrapperKinds.set(fn, kind);
    return kind ?? undefined;
  }

  /** ``prisma.$executeRaw`…` `` writes; ``sql`INSERT …` `` on a primary client writes, ``replica`SELECT …` `` reads. */
  private classifyTagged(tagged: ts.TaggedTemplateExpression): DbEvent | undefined {
    const tag = skipOuterExpressions(tagged.tag);
    if (this.setup.prisma && ts.isPropertyAccessExpression(tag) && (tag.name.text === '$executeRaw' || tag.name.text === '$executeRawUnsafe') && this.handleKind(skipOuterExpressions(tag.expression)) === 'prisma') {
      return { kind: 'write', family: 'prisma', node: tagged, label: `${shortText(tag)}\`…\`` };
    }
    const name = ts.isIdentifier(tag) ? tag.text : ts.isPropertyAccessExpression(tag) && tag.expression.kind === SyntaxKind.ThisKeyword ? tag.name.text : undefined;
    if (name === undefined) return undefined;
    const kind = this.clientNameKind(name);
    const label = `${shortText(tag)}\`…\``;
    if (kind === 'replica') {
      const primary = this.names.primaryClients.find((candidate) => /^[A-Za-z_$][\w$]*$/.test(candidate));
      return { kind: 'replicaRead', family: 'clients', node: tagged, label, table: readTable(templateText(tagged)), primaryRoute: primary ? { kind: 'replaceClient', node: tag, text: tag.getText().replace(/[\w$]+$/, primary) } : undefined, client: tag };
    }
    const text = templateText(tagged);
    // The tag is the client: a read after it moves to the tag the write used (`replica` → `sql`).
    if (kind === 'primary' && WRITE_SQL.test(text)) return { kind: 'write', family: 'clients', node: tagged, label, table: writeTable(text), client: tag };
    return undefined;
  }

  /** `prisma.user.findMany()` on a client extended with readReplicas; `prisma.$primary().…` is the primary. */
  private classifyPrisma(call: ts.CallExpression, callee: ts.PropertyAccessExpression, method: string): DbEvent | undefined {
    const receiver = skipOuterExpressions(callee.expression);
    if (!this.setup.prisma) return undefined;
    if (PRISMA_CLIENT_WRITES.has(method) && this.handleKind(receiver) === 'prisma') {
      return { kind: 'write', family: 'prisma', node: call, label: `${shortText(receiver)}.${method}()` };
    }
    if (!ts.isPropertyAccessExpression(receiver)) return undefined;
    let handle = skipOuterExpressions(receiver.expression);
    let onPrimary = false;
    let explicitReplica = false;
    if (ts.isCallExpression(handle) && ts.isPropertyAccessExpression(handle.expression) && handle.arguments.length === 0) {
      const selector = handle.expression.name.text;
      if (selector !== '$primary' && selector !== '$replica') return undefined;
      onPrimary = selector === '$primary';
      explicitReplica = selector === '$replica';
      handle = skipOuterExpressions(handle.expression.expression);
    }
    const isRead = PRISMA_READS.has(method);
    if (!isRead && !PRISMA_WRITES.has(method)) return undefined;
    if (this.handleKind(handle) !== 'prisma') return undefined;
    const label = `${shortText(handle)}.${receiver.name.text}.${method}()`;
    const table = receiver.name.text;
    if (!isRead) return { kind: 'write', family: 'prisma', node: call, label, table };
    if (onPrimary) return undefined;
    return {
      kind: 'replicaRead',
      family: 'prisma',
      node: call,
      label,
      table,
      primaryRoute: explicitReplica ? { kind: 'replaceClient', node: (receiver.expression as ts.CallExpression).expression, text: `${shortText(handle)}.$primary` } : { kind: 'insertAfter', node: handle, text: '.$primary()' },
    };
  }

  /** `db.select()` on `withReplicas(primary, [replicas])`; `db.$primary.select()` and the primary itself are the primary. */
  private classifyDrizzle(call: ts.CallExpression, callee: ts.PropertyAccessExpression, method: string): DbEvent | undefined {
    if (!this.setup.drizzle) return undefined;
    let handle = skipOuterExpressions(callee.expression);
    let isRead = DRIZZLE_READS.has(method);
    // db.query.users.findMany()
    if (!isRead && DRIZZLE_QUERY_READS.has(method) && ts.isPropertyAccessExpression(handle) && ts.isPropertyAccessExpression(handle.expression) && handle.expression.name.text === 'query') {
      handle = skipOuterExpressions(handle.expression.expression);
      isRead = true;
    }
    // db.with(cte).select()
    if (isRead && ts.isCallExpression(handle) && ts.isPropertyAccessExpression(handle.expression) && (handle.expression.name.text === 'with' || handle.expression.name.text === '$with')) {
      handle = skipOuterExpressions(handle.expression.expression);
    }
    if (!isRead && !DRIZZLE_WRITES.has(method)) return undefined;
    const onPrimaryProperty = ts.isPropertyAccessExpression(handle) && handle.name.text === '$primary';
    const base = onPrimaryProperty ? skipOuterExpressions((handle as ts.PropertyAccessExpression).expression) : handle;
    const kind = this.handleKind(base);
    if (kind !== 'drizzle' && kind !== 'drizzlePrimary') return undefined;
    const label = `${shortText(handle)}.${ts.isPropertyAccessExpression(callee.expression) && callee.expression !== handle ? `${callee.expression.getText().slice(handle.getText().length + 1)}.` : ''}${method}()`;
    if (!isRead) return { kind: 'write', family: 'drizzle', node: call, label, table: tableArgument(call.arguments[0]) };
    if (onPrimaryProperty || kind === 'drizzlePrimary') return undefined;
    const queried = ts.isPropertyAccessExpression(callee.expression) && DRIZZLE_QUERY_READS.has(method) ? callee.expression.name.text : method === '$count' ? tableArgument(call.arguments[0]) : fromTable(call);
    return { kind: 'replicaRead', family: 'drizzle', node: call, label, table: queried, primaryRoute: { kind: 'insertAfter', node: handle, text: '.$primary' } };
  }

  /** `User.findByPk()` when a Sequelize instance has `replication`; `{ useMaster: true }` and transactions are the primary. */
  private classifySequelize(call: ts.CallExpression, callee: ts.PropertyAccessExpression, method: string): DbEvent | undefined {
    if (!this.setup.sequelize) return undefined;
    const isRead = SEQUELIZE_READS.has(method);
    if (!isRead && !SEQUELIZE_WRITES.has(method)) return undefined;
    const receiver = skipOuterExpressions(callee.expression);
    if (!this.isSequelizeModel(receiver, call)) return undefined;
    const label = `${shortText(receiver)}.${method}()`;
    const table = ts.isIdentifier(receiver) ? receiver.text : undefined;
    if (!isRead) return { kind: 'write', family: 'sequelize', node: call, label, table };
    const optionsIndex = method === 'findByPk' || method === 'max' || method === 'min' || method === 'sum' ? 1 : method === 'aggregate' ? 2 : 0;
    const options = call.arguments[optionsIndex];
    if (options) {
      const value = skipOuterExpressions(options);
      if (!ts.isObjectLiteralExpression(value)) return undefined; // options built elsewhere may say useMaster
      for (const property of value.properties) {
        if (ts.isSpreadAssignment(property)) return undefined;
        const name = propertyNameText(property.name);
        if (name === 'transaction') return undefined;
        if (name === 'useMaster' && !(ts.isPropertyAssignment(property) && property.initializer.kind === SyntaxKind.FalseKeyword)) return undefined;
      }
    } else if (call.arguments.length < optionsIndex) return undefined;
    if (insideTransactionCallback(call)) return undefined;
    return { kind: 'replicaRead', family: 'sequelize', node: call, label, table, primaryRoute: { kind: 'useMaster', call, argumentIndex: optionsIndex } };
  }

  /**
   * `Order.create()` on a model of a plain `new Sequelize(…)` (no `replication`) while a second client
   * named as a replica serves reads (`replica.query('SELECT … FROM orders')`): a write on the primary,
   * of the named clients' family. Its client is the instance the model was defined on (`sequelize`
   * of `sequelize.define('Order', …)`), so the read can move there; its table is the model's
   * `tableName`, else its name.
   */
  private classifyModelWrite(call: ts.CallExpression, callee: ts.PropertyAccessExpression, method: string): DbEvent | undefined {
    if (this.setup.sequelize || !SEQUELIZE_WRITES.has(method)) return undefined;
    const receiver = skipOuterExpressions(callee.expression);
    if (!ts.isIdentifier(receiver) || this.handleKind(receiver) !== 'sequelizeModel') return undefined;
    const definition = this.resolver.declarationsOf(receiver).map(modelDefinition).find((found) => found !== undefined);
    const instance = definition && ts.isPropertyAccessExpression(definition.expression) ? skipOuterExpressions(definition.expression.expression) : undefined;
    // A model defined on the replica itself is not where writes go.
    if (instance && ts.isIdentifier(instance) && this.clientNameKind(instance.text) === 'replica') return undefined;
    return { kind: 'write', family: 'clients', node: call, label: `${receiver.text}.${method}()`, table: (definition && modelTable(definition)) ?? receiver.text, client: instance };
  }

  private isSequelizeModel(receiver: ts.Expression, call: ts.CallExpression): boolean {
    const kind = this.handleKind(receiver);
    if (kind === 'sequelizeModel') return true;
    if (kind !== null || !this.resolver.checker) return false;
    return declaredIn(this.resolver.checker, call, /\/node_modules\/(?:@types\/)?sequelize(?:-typescript)?\//);
  }

  /**
   * NestJS with a second TypeORM connection for the standby (`TypeOrmModule.forRootAsync({ name:
   * 'replica', … })`): a handle injected on it (`@InjectRepository(Order, 'replica')`,
   * `@InjectDataSource('replica')`, `@InjectEntityManager('replica')`) reads from the replica; one
   * injected on the default connection (no name) or a primary-named one writes. Both are of the
   * named clients' family, a repository's table its entity. A repository read moves to the class's
   * repository of the same entity on the primary connection. With `replication` on a data source,
   * the default connection's queries are left to `classifyTypeorm`.
   */
  private classifyNestConnection(call: ts.CallExpression, callee: ts.PropertyAccessExpression, method: string): DbEvent | undefined {
    const isBuilderRead = TYPEORM_BUILDER_READS.has(method);
    if (!isBuilderRead && !TYPEORM_READS.has(method) && !TYPEORM_WRITES.has(method)) return undefined;
    const receiver = skipOuterExpressions(callee.expression);
    const origin = isBuilderRead ? builderOrigin(receiver) : undefined;
    if (isBuilderRead && (!origin || origin.writes || origin.call.arguments.length > 1)) return undefined;
    const handleNode = origin ? skipOuterExpressions((origin.call.expression as ts.PropertyAccessExpression).expression) : receiver;
    const handle = this.nestHandle(handleNode);
    if (!handle) return undefined;
    const sql = method === 'query' ? sqlText(call.arguments[0]) : undefined;
    const entityArgument = handle.kind === 'repository' ? undefined : call.arguments[0] && skipOuterExpressions(call.arguments[0]);
    const table = handle.entity ?? (sql !== undefined ? undefined : entityArgument && ts.isIdentifier(entityArgument) ? entityArgument.text : undefined);
    const label = `${shortText(handleNode)}.${origin ? 'createQueryBuilder()….' : ''}${method}()`;
    if (handle.replica) {
      const reads = isBuilderRead || TYPEORM_READS.has(method) || (sql !== undefined && /^\s*\(?\s*(?:select|with)\b/i.test(sql) && !WRITE_SQL.test(sql));
      if (!reads) return undefined;
      const sibling = handle.kind === 'repository' && ts.isPropertyAccessExpression(handleNode) ? this.primarySibling(handleNode, handle) : undefined;
      return {
        kind: 'replicaRead',
        family: 'clients',
        node: call,
        label,
        table: sql !== undefined ? readTable(sql) : table,
        primaryRoute: sibling ? { kind: 'replaceClient', node: handleNode, text: `this.${sibling}` } : undefined,
      };
    }
    if (this.setup.typeorm || isBuilderRead || TYPEORM_READS.has(method)) return undefined;
    if (sql !== undefined && !WRITE_SQL.test(sql)) return undefined;
    // No `client`: a read moves to the same entity's repository (`primaryRoute`), never a raw query onto a repository.
    return { kind: 'write', family: 'clients', node: call, label, table: sql !== undefined ? writeTable(sql) : table };
  }

  /**
   * Two TypeORM data sources of the service's own, one named as the standby (`export const
   * ReplicaDataSource = new DataSource({ url: process.env.DATABASE_REPLICA_URL, … })`): a read
   * through that one (`ReplicaDataSource.getRepository(Order).countBy(…)`, `.manager.find(Order, …)`,
   * `.query('SELECT …')`) reads the replica; a write through another (`AppDataSource.getRepository(Order)
   * .save(…)`, also through a getter or a local holding that repository) writes the primary. Both are
   * of the named clients' family, the table the entity. The read moves to the other data source when
   * the reading file has it in scope.
   */
  private classifyDataSource(call: ts.CallExpression, callee: ts.PropertyAccessExpression, method: string): DbEvent | undefined {
    const isRead = TYPEORM_READS.has(method);
    if (!isRead && !TYPEORM_WRITES.has(method)) return undefined;
    if (!call.getSourceFile().text.includes('DataSource')) return undefined;
    const handle = this.dataSourceHandle(skipOuterExpressions(callee.expression), 0);
    if (!handle) return undefined;
    const sql = method === 'query' ? sqlText(call.arguments[0]) : undefined;
    const entityArgument = handle.entity === undefined && handle.manager && call.arguments[0] ? skipOuterExpressions(call.arguments[0]) : undefined;
    const table = sql !== undefined ? undefined : handle.entity ?? (entityArgument && ts.isIdentifier(entityArgument) ? entityArgument.text : undefined);
    const through = handle.source ? `${handle.source.text}${handle.manager ? (skipOuterExpressions(callee.expression) === handle.source ? '' : '.manager') : `.getRepository(${handle.entity ?? '…'})`}` : shortText(callee.expression);
    const label = `${through}.${method}()`;
    if (handle.replica) {
      const reads = isRead || (sql !== undefined && /^\s*\(?\s*(?:select|with)\b/i.test(sql) && !WRITE_SQL.test(sql));
      if (!reads) return undefined;
      const primary = handle.primary !== undefined && inScope(call.getSourceFile(), handle.primary) ? handle.primary : undefined;
      return { kind: 'replicaRead', family: 'clients', node: call, label, table: sql !== undefined ? readTable(sql) : table, primaryRoute: primary && handle.source ? { kind: 'replaceClient', node: handle.source, text: primary } : undefined };
    }
    if (isRead || (sql !== undefined && !WRITE_SQL.test(sql)) || (method === 'query' && sql === undefined)) return undefined;
    return { kind: 'write', family: 'clients', node: call, label, table: sql !== undefined ? writeTable(sql) : table };
  }

  /**
   * The data source behind a receiver: `X.getRepository(E)`, `X.manager`, `X` itself, or a getter or
   * local that returns one of those (`this.orders` with `get orders() { return X.getRepository(Order) }`).
   */
  private dataSourceHandle(receiver: ts.Expression, depth: number): { replica: boolean; primary?: string; source?: ts.Identifier; entity?: string; manager: boolean } | undefined {
    if (depth > 2) return undefined;
    if (ts.isCallExpression(receiver)) {
      const factory = skipOuterExpressions(receiver.expression);
      if (!ts.isPropertyAccessExpression(factory) || !TYPEORM_REPOSITORY_FACTORIES.has(factory.name.text)) return undefined;
      const owner = skipOuterExpressions(factory.expression);
      const source = ts.isPropertyAccessExpression(owner) && owner.name.text === 'manager' ? skipOuterExpressions(owner.expression) : owner;
      const entity = receiver.arguments[0] && skipOuterExpressions(receiver.arguments[0]);
      const found = ts.isIdentifier(source) ? this.dataSourceNamed(source) : undefined;
      return found && { ...found, source: depth === 0 ? (source as ts.Identifier) : undefined, entity: entity && ts.isIdentifier(entity) ? entity.text : undefined, manager: false };
    }
    if (ts.isPropertyAccessExpression(receiver) && receiver.name.text === 'manager') {
      const source = skipOuterExpressions(receiver.expression);
      const found = ts.isIdentifier(source) ? this.dataSourceNamed(source) : undefined;
      return found && { ...found, source: depth === 0 ? source as ts.Identifier : undefined, manager: true };
    }
    if (ts.isIdentifier(receiver)) {
      const found = this.dataSourceNamed(receiver);
      if (found) return { ...found, source: depth === 0 ? receiver : undefined, manager: true };
    }
    if (!ts.isIdentifier(receiver) && !(ts.isPropertyAccessExpression(receiver) && receiver.expression.kind === SyntaxKind.ThisKeyword)) return undefined;
    for (const declaration of this.resolver.declarationsOf(receiver)) {
      const value = ts.isVariableDeclaration(declaration) ? declaration.initializer : ts.isGetAccessorDeclaration(declaration) ? returnedValue(declaration) : undefined;
      const handle = value && this.dataSourceHandle(skipOuterExpressions(value), depth + 1);
      if (handle) return handle;
    }
    return undefined;
  }

  /** `X` declared as `new DataSource(…)` (TypeORM's): whether its name says replica, and the name of another data source declared beside it. */
  private dataSourceNamed(name: ts.Identifier): { replica: boolean; primary?: string } | undefined {
    for (const declaration of this.resolver.declarationsOf(name)) {
      if (!ts.isVariableDeclaration(declaration) || !isTypeormDataSource(declaration)) continue;
      const isReplica = (source: ts.VariableDeclaration): boolean => this.clientNameKind(sourceClientName(source.name.getText())) === 'replica';
      const siblings = declaration.getSourceFile().statements.flatMap((statement) => (ts.isVariableStatement(statement) ? [...statement.declarationList.declarations] : [])).filter((sibling) => sibling !== declaration && isTypeormDataSource(sibling));
      if (isReplica(declaration)) {
        const primary = siblings.find((sibling) => !isReplica(sibling));
        return { replica: true, primary: primary ? primary.name.getText() : undefined };
      }
      // The primary of a pair only: a data source with no standby beside it (or one with `replication`, which classifyTypeorm reads) is left alone.
      return siblings.some(isReplica) ? { replica: false } : undefined;
    }
    return undefined;
  }

  /** The @nestjs/typeorm injection behind `this.orders` (a constructor parameter or a field), and whether its connection is a replica. */
  private nestHandle(expression: ts.Expression): NestHandle | undefined {
    if (!ts.isPropertyAccessExpression(expression) || expression.expression.kind !== SyntaxKind.ThisKeyword) return undefined;
    if (!expression.getSourceFile().text.includes('@nestjs/typeorm')) return undefined;
    for (const declaration of this.resolver.declarationsOf(expression)) {
      const handle = nestInjection(declaration);
      if (handle) return { ...handle, replica: handle.connection !== undefined && this.clientNameKind(handle.connection) === 'replica' };
    }
    return undefined;
  }

  /** The member of the class around `this.replicaOrders` injected with the same entity's repository on a connection that is not a replica. */
  private primarySibling(replica: ts.PropertyAccessExpression, handle: NestHandle): string | undefined {
    const owner = ts.findAncestor(replica, ts.isClassLike);
    const constructor = owner?.members.find(ts.isConstructorDeclaration);
    const members = [...(owner?.members.filter(ts.isPropertyDeclaration) ?? []), ...(constructor?.parameters.filter((parameter) => ts.getModifiers(parameter)?.length) ?? [])];
    for (const member of members) {
      const injected = nestInjection(member);
      if (!injected || injected.kind !== 'repository' || injected.entity !== handle.entity || !ts.isIdentifier(member.name)) continue;
      if (injected.connection === undefined || this.clientNameKind(injected.connection) !== 'replica') return member.name.text;
    }
    return undefined;
  }

  /** `repo.findOneBy()`, `dataSource.manager.find()`, select query builders, when a data source has `replication`. */
  private classifyTypeorm(call: ts.CallExpression, callee: ts.PropertyAccessExpression, method: string): DbEvent | undefined {
    if (!this.setup.typeorm) return undefined;
    const receiver = skipOuterExpressions(callee.expression);
    if (TYPEORM_BUILDER_READS.has(method) || method === 'execute') {
      const origin = builderOrigin(receiver);
      if (!origin) return undefined;
      const isWrite = method === 'execute' || origin.writes;
      if (!origin.call.arguments[1] && !isWrite && !this.isTypeormSource(skipOuterExpressions((origin.call.expression as ts.PropertyAccessExpression).expression), origin.call)) return undefined;
      if (isWrite) return this.isTypeormSource(skipOuterExpressions((origin.call.expression as ts.PropertyAccessExpression).expression), origin.call) ? { kind: 'write', family: 'typeorm', node: call, label: `${shortText(origin.call)}….${method}()` } : undefined;
      if (origin.call.arguments.length > 1) return undefined; // an explicit query runner
      return { kind: 'replicaRead', family: 'typeorm', node: call, label: `${shortText(origin.call)}….${method}()` };
    }
    const isRead = TYPEORM_READS.has(method);
    if (!isRead && !TYPEORM_WRITES.has(method)) return undefined;
    if (!this.isTypeormSource(receiver, call)) return undefined;
    const label = `${shortText(receiver)}.${method}()`;
    if (!isRead) return { kind: 'write', family: 'typeorm', node: call, label };
    if (this.handleKind(receiver) === 'primaryRunner' || insideTransactionCallback(call)) return undefined;
    return { kind: 'replicaRead', family: 'typeorm', node: call, label, primaryRoute: typeormPrimaryRoute(call, receiver, method, this.resolver.checker) };
  }

  private isTypeormSource(receiver: ts.Expression, call: ts.CallExpression): boolean {
    const kind = this.handleKind(receiver);
    if (kind === 'typeormRepository' || kind === 'primaryRunner') return true;
    if (kind !== null || !this.resolver.checker) return false;
    return declaredIn(this.resolver.checker, call, /\/node_modules\/typeorm\//);
  }

  /** Whether a name is a replica or primary client name (memoised: the same few names recur in every file). */
  private clientNameKind(name: string): 'replica' | 'primary' | undefined {
    let kind = this.nameKinds.get(name);
    if (kind === undefined) {
      kind = isAllowedName(name, this.names.replicaClients) ? 'replica' : isAllowedName(name, this.names.primaryClients) ? 'primary' : null;
      this.nameKinds.set(name, kind);
    }
    return kind ?? undefined;
  }

  /** Calls on clients named by the options: any query on a replica client reads; a write statement on a primary client writes. */
  private classifyClientCall(call: ts.CallExpression, callee: ts.Expression): DbEvent | undefined {
    if (!this.mayBeClientCall(callee)) return undefined;
    const root = clientRoot(callee);
    if (!root) return undefined;
    const replica = root.candidates.find((candidate) => this.clientNameKind(candidate.name) === 'replica');
    if (replica) {
      if (ts.isPropertyAccessExpression(callee) && CLIENT_NON_QUERIES.has(callee.name.text)) return undefined;
      // Only the chain's first call is the query (`replica('users').where(…).first()` is one read, at `replica('users')`).
      if (root.call !== call) return undefined;
      const primary = this.names.primaryClients.find((candidate) => /^[A-Za-z_$][\w$]*$/.test(candidate));
      return {
        kind: 'replicaRead',
        family: 'clients',
        node: call,
        label: `${shortText(callee)}()`,
        table: readTable(sqlText(call.arguments[0])),
        primaryRoute: primary ? { kind: 'replaceClient', node: replica.node, text: replica.node.getText().replace(/[\w$]+$/, primary) } : undefined,
        client: replica.node,
      };
    }
    // `db.primary.query(…)`: the client is the member (`db.primary`), not the module object around it.
    const primary = [...root.candidates].reverse().find((candidate) => this.clientNameKind(candidate.name) === 'primary');
    if (!primary) return undefined;
    if (!isClientWrite(call)) return undefined;
    return { kind: 'write', family: 'clients', node: call, label: `${shortText(callee)}()`, table: writeTable(sqlText(call.arguments[0])), client: primary.node };
  }

  /** A quick look, without allocating, at the chain's root and members: can any name a client? */
  private mayBeClientCall(callee: ts.Expression): boolean {
    let current: ts.Expression = callee;
    let member = false;
    for (let steps = 0; steps < 40; steps++) {
      if (ts.isPropertyAccessExpression(current)) {
        if (this.clientNameKind(current.name.text)) member = true;
        current = current.expression;
      } else if (ts.isCallExpression(current) || ts.isElementAccessExpression(current) || ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current)) current = current.expression;
      else break;
    }
    return member || (ts.isIdentifier(current) && this.clientNameKind(current.text) !== undefined);
  }

  /** What a receiver is, by its declaration (any file with a checker, this file without) or, typed, by its type. */
  private handleKind(expression: ts.Expression): HandleKind {
    const target = skipOuterExpressions(expression);
    const cached = this.handleKinds.get(target);
    if (cached !== undefined) return cached;
    let kind: HandleKind = this.kindFromExpression(target);
    if (kind === null && (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target))) {
      for (const declaration of this.resolver.declarationsOf(target)) {
        kind = kindFromDeclaration(declaration, this.resolver);
        if (kind) break;
      }
    }
    if (kind === null && ts.isIdentifier(target) && !this.resolver.checker) {
      // Without a checker, parameters are not declarations the resolver returns: look for one here.
      const parameter = enclosingParameter(target);
      if (parameter) kind = kindFromDeclaration(parameter, this.resolver);
    }
    const { checker, program } = this.resolver;
    // Typing a receiver can check much of the program: carried to an editor's next program (`cachedValue`).
    if (kind === null && checker) kind = program ? cachedValue(kindsFromType, program, target, () => kindFromType(checker, target)) : kindFromType(checker, target);
    this.handleKinds.set(target, kind);
    return kind;
  }

  private kindFromExpression(target: ts.Expression): HandleKind {
    if (ts.isCallExpression(target)) {
      const callee = skipOuterExpressions(target.expression);
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      if (TYPEORM_REPOSITORY_FACTORIES.has(name) && target.getSourceFile().text.includes('typeorm')) return 'typeormRepository';
    }
    if (ts.isPropertyAccessExpression(target) && target.name.text === 'manager') {
      const owner = skipOuterExpressions(target.expression);
      if (/runner$/i.test(owner.getText()) || /^qr$/i.test(owner.getText())) return 'primaryRunner';
      if (target.getSourceFile().text.includes('typeorm')) return 'typeormRepository';
    }
    return null;
  }
}

/** A handle @nestjs/typeorm injects: its kind, the connection's name (undefined: the default one), a repository's entity. */
interface NestHandle {
  kind: 'repository' | 'manager' | 'dataSource';
  connection: string | undefined;
  entity?: string;
  replica?: boolean;
}

const NEST_TYPEORM_INJECTIONS: Record<string, { kind: NestHandle['kind']; connectionArgument: number }> = {
  InjectRepository: { kind: 'repository', connectionArgument: 1 },
  InjectEntityManager: { kind: 'manager', connectionArgument: 0 },
  InjectDataSource: { kind: 'dataSource', connectionArgument: 0 },
  InjectConnection: { kind: 'dataSource', connectionArgument: 0 },
};

/** `@InjectRepository(Order, 'replica') private readonly replicaOrders: Repository<Order>` → a repository of `Order` on `replica`. */
function nestInjection(declaration: ts.Declaration): Omit<NestHandle, 'replica'> | undefined {
  if (!ts.isParameter(declaration) && !ts.isPropertyDeclaration(declaration)) return undefined;
  const imports = getFileFacts(declaration.getSourceFile()).imports;
  for (const decorator of ts.getDecorators(declaration) ?? []) {
    const call = decorator.expression;
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) continue;
    const binding = imports.get(call.expression.text);
    const injection = binding?.module === '@nestjs/typeorm' ? NEST_TYPEORM_INJECTIONS[binding.path[0] ?? call.expression.text] : undefined;
    if (!injection) continue;
    const name = call.arguments[injection.connectionArgument];
    // A connection named by something other than a string (a constant, an options object): not known.
    if (name && !ts.isStringLiteralLike(name)) return undefined;
    const entity = injection.kind === 'repository' ? call.arguments[0] && skipOuterExpressions(call.arguments[0]) : undefined;
    if (injection.kind === 'repository' && !(entity && ts.isIdentifier(entity))) return undefined;
    return { kind: injection.kind, connection: name?.text, entity: entity && ts.isIdentifier(entity) ? entity.text : undefined };
  }
  return undefined;
}

function kindFromDeclaration(declaration: ts.Declaration, resolver: Resolver): HandleKind {
  const file = declaration.getSourceFile();
  const facts = getFileFacts(file);
  const importedFrom = (name: string): string | undefined => facts.imports.get(name)?.module;
  if (ts.isClassDeclaration(declaration)) return kindOfClass(declaration);
  if (ts.isParameter(declaration) || ts.isPropertyDeclaration(declaration)) {
    const decorators = ts.canHaveDecorators(declaration) ? (ts.getDecorators(declaration) ?? []) : [];
    if (decorators.some((decorator) => /^(?:InjectRepository|InjectEntityManager)\b/.test(decorator.expression.getText()))) return 'typeormRepository';
    const type = declaration.type;
    if (type && ts.isTypeReferenceNode(type)) {
      const typeName = ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
      if (TYPEORM_REPOSITORY_TYPES.has(typeName) && importedFrom(typeName) === 'typeorm') return 'typeormRepository';
      // A custom repository: `constructor(private readonly todos: TodoRepository)` with `class TodoRepository extends Repository<Todo>`.
      const declared = classNamed(type.typeName, resolver);
      if (declared && kindOfClass(declared) === 'typeormRepository') return 'typeormRepository';
    }
  }
  // Parameters with a default (`(client = prisma) => …`) stand for what the default is.
  const initializer = ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration) || ts.isPropertyAssignment(declaration) || ts.isParameter(declaration) ? declaration.initializer : undefined;
  if (initializer && ts.isParameter(declaration) && ts.isIdentifier(skipOuterExpressions(initializer))) {
    for (const target of resolver.declarationsOf(skipOuterExpressions(initializer))) {
      if (target === declaration) continue;
      const kind = kindFromDeclaration(target, resolver);
      if (kind) return kind;
    }
  }
  return kindFromRest(declaration, initializer, facts, resolver);
}

/** Models, entities and repositories by their base class. */
function kindOfClass(declaration: ts.ClassDeclaration): HandleKind {
  const facts = getFileFacts(declaration.getSourceFile());
  const importOf = (name: string) => facts.imports.get(name);
  for (const clause of declaration.heritageClauses ?? []) {
    if (clause.token !== SyntaxKind.ExtendsKeyword) continue;
    for (const type of clause.types) {
      const base = skipOuterExpressions(type.expression);
      const local = ts.isIdentifier(base) ? base.text : ts.isPropertyAccessExpression(base) && ts.isIdentifier(base.expression) ? base.expression.text : undefined;
      const binding = local ? importOf(local) : undefined;
      const baseName = ts.isPropertyAccessExpression(base) ? base.name.text : (binding?.path[binding.path.length - 1] ?? (ts.isIdentifier(base) ? base.text : ''));
      const module = binding?.module;
      if (baseName === 'Model' && (module === 'sequelize' || module === 'sequelize-typescript')) return 'sequelizeModel';
      if ((baseName === 'BaseEntity' || TYPEORM_REPOSITORY_TYPES.has(baseName)) && module === 'typeorm') return 'typeormRepository';
    }
  }
  return null;
}

/** The class a type name refers to: same file without a checker, any file with one. */
function classNamed(typeName: ts.EntityName, resolver: Resolver): ts.ClassDeclaration | undefined {
  const checker = resolver.checker;
  if (checker) {
    try {
      let symbol = checker.getSymbolAtLocation(typeName);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      return symbol?.declarations?.find(ts.isClassDeclaration);
    } catch {
      return undefined;
    }
  }
  if (!ts.isIdentifier(typeName)) return undefined;
  const declaration = getFileFacts(typeName.getSourceFile()).topLevel.get(typeName.text);
  return declaration && ts.isClassDeclaration(declaration) ? declaration : undefined;
}

function kindFromRest(declaration: ts.Declaration, initializer: ts.Expression | undefined, facts: ReturnType<typeof getFileFacts>, resolver: Resolver): HandleKind {
  const file = declaration.getSourceFile();
  const fromInitializer = initializer ? kindFromInitializer(initializer, (name) => facts.imports.get(name), resolver) : null;
  if (fromInitializer) return fromInitializer;
  // `const primary = drizzle(pool)` that this file hands to withReplicas(primary, …): its writes are the writes.
  const name = (declaration as { name?: ts.Node }).name;
  if (name && ts.isIdentifier(name) && file.text.includes('withReplicas')) {
    const isPrimary = facts.calls.some(({ node }) => {
      const callee = skipOuterExpressions(node.expression);
      const first = node.arguments?.[0];
      return ts.isIdentifier(callee) && callee.text === 'withReplicas' && first !== undefined && ts.isIdentifier(first) && first.text === name.text;
    });
    if (isPrimary) return 'drizzlePrimary';
  }
  return null;
}

/**
 * Looks through an initializer (bounded) for `withReplicas(…)`, `.$extends(readReplicas(…))`,
 * `sequelize.define(…)`, `getRepository(…)`, and one level into factory functions it calls
 * (`globalThis.prisma ?? createPrismaClient()`).
 */
function kindFromInitializer(initializer: ts.Node, importOf: (name: string) => ImportBinding | undefined, resolver: Resolver | undefined): HandleKind {
  const importedFrom = (name: string): string | undefined => importOf(name)?.module;
  // The imported name, through aliases (`import { withReplicas as replicated }`).
  const importedName = (name: string): string | undefined => importOf(name)?.path.at(-1);
  let found: HandleKind = null;
  let budget = 400;
  const factories: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (found || budget-- <= 0) return;
    if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && node !== initializer) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (ts.isIdentifier(callee) && importedName(name) === 'withReplicas' && importedFrom(name)?.startsWith('drizzle-orm')) {
        found = 'drizzle';
        return;
      }
      if (ts.isIdentifier(callee) && (importedName(name) === 'readReplicas' || (importedName(name) === undefined && name === 'readReplicas')) && importedFrom(name) === '@prisma/extension-read-replicas') {
        found = 'prisma';
        return;
      }
      if (name === 'define' && ts.isPropertyAccessExpression(callee) && node.getSourceFile().text.includes('sequelize')) {
        found = 'sequelizeModel';
        return;
      }
      if (TYPEORM_REPOSITORY_FACTORIES.has(name) && node.getSourceFile().text.includes('typeorm')) {
        found = 'typeormRepository';
        return;
      }
      if (ts.isIdentifier(callee) && factories.length < 3) factories.push(node);
    }
    // `new DataSource({ … })` from typeorm: queries on it go through its manager.
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && (node.expression.text === 'DataSource' || node.expression.text === 'Connection') && importedFrom(node.expression.text) === 'typeorm') {
      found = 'typeormRepository';
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(initializer);
  if (found || !resolver) return found;
  for (const call of factories) {
    for (const factory of resolver.callTargets(call)) {
      if (!factory.body) continue;
      const facts = getFileFacts(factory.getSourceFile());
      const kind = kindFromInitializer(factory.body, (name) => facts.imports.get(name), undefined);
      if (kind) return kind;
    }
  }
  return null;
}

/** Per program, what `kindFromType` said of a receiver. */
const kindsFromType = new WeakMap<ts.Program, Map<ts.Node, HandleKind>>();

function kindFromType(checker: ts.TypeChecker, expression: ts.Expression): HandleKind {
  try {
    const type = checker.getTypeAtLocation(expression);
    if (!type.getProperty('$primary')) return null;
    if (type.getProperty('$replica')) return 'prisma';
    if (type.getProperty('$replicas')) return 'drizzle';
  } catch {
    // A type the checker cannot produce is simply not a replicated client.
  }
  return null;
}

/** Whether the called method is declared in a library file whose path matches. */
function declaredIn(checker: ts.TypeChecker, call: ts.CallExpression, path: RegExp): boolean {
  try {
    const declaration = checker.getResolvedSignature(call)?.declaration;
    return declaration !== undefined && path.test(declaration.getSourceFile().fileName.replace(/\\/g, '/'));
  } catch {
    return false;
  }
}

/**
 * TypeORM sends a find or count outside a query runner to a slave; a transaction takes its runner on
 * the master (and releases it). A repository read `repo.count(o)` becomes
 * `repo.manager.transaction((primary) => primary.withRepository(repo).count(o))` (TypeORM 0.3+), an
 * entity manager read `manager.find(E, o)` becomes `manager.transaction((primary) => primary.find(E, o))`.
 * Only where the receiver is a plain name or member chain (it is written twice) and the checker
 * (or a `.manager` member) says which of the two it is.
 */
function typeormPrimaryRoute(call: ts.CallExpression, receiver: ts.Expression, method: string, checker: ts.TypeChecker | undefined): PrimaryRoute | undefined {
  if (!isNameChain(receiver)) return undefined;
  const kind = typeormReceiverKind(receiver, checker);
  if (!kind) return undefined;
  const file = call.getSourceFile();
  const receiverText = receiver.getText(file);
  const argumentsText = call.arguments.map((argument) => argument.getText(file)).join(', ');
  const used = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) used.add(node.text);
    ts.forEachChild(node, collect);
  };
  collect(call);
  const parameter = ['primary', 'primaryManager', 'masterManager'].find((name) => !used.has(name));
  if (!parameter) return undefined;
  if (kind === 'manager') {
    return { kind: 'replaceQuery', node: call, text: `${receiverText}.transaction((${parameter}) => ${parameter}.${method}(${argumentsText}))`, label: `\`${receiverText}.transaction(…)\`` };
  }
  const version = usedPackageVersion(file.fileName, 'typeorm');
  if (version === undefined || !atLeast(version, '0.3.0')) return undefined;
  return {
    kind: 'replaceQuery',
    node: call,
    text: `${receiverText}.manager.transaction((${parameter}) => ${parameter}.withRepository(${receiverText}).${method}(${argumentsText}))`,
    label: `\`${receiverText}.manager.transaction(…)\``,
  };
}

/** A repository (`target` and `manager`) or an entity manager (`transaction`), by its type; without one (untyped, typeorm's types not installed), only `x.manager`. */
function typeormReceiverKind(receiver: ts.Expression, checker: ts.TypeChecker | undefined): 'repository' | 'manager' | undefined {
  try {
    const type = checker?.getTypeAtLocation(receiver);
    if (type && !(type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) {
      if (type.getProperty('transaction') && type.getProperty('connection')) return 'manager';
      if (type.getProperty('target') && type.getProperty('manager') && type.getProperty('metadata')) return 'repository';
      return undefined;
    }
  } catch {
    // A type the checker cannot produce: read the name.
  }
  return ts.isPropertyAccessExpression(receiver) && receiver.name.text === 'manager' ? 'manager' : undefined;
}

/** `repo`, `this.enrolments`, `dataSource.manager`: a name or member chain, the same value however often it is written. */
function isNameChain(expression: ts.Expression): boolean {
  let current = expression;
  while (ts.isPropertyAccessExpression(current) && ts.isIdentifier(current.name)) current = current.expression;
  return ts.isIdentifier(current) || current.kind === SyntaxKind.ThisKeyword;
}

/** Inside `sequelize.transaction(async (t) => …)`, `$transaction(async (tx) => …)`, `manager.transaction(…)`: every query is on the primary. */
function insideTransactionCallback(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && ts.isCallExpression(current.parent)) {
      const callee = skipOuterExpressions(current.parent.expression);
      if (ts.isPropertyAccessExpression(callee) && /^\$?transaction$/.test(callee.name.text)) return true;
    }
  }
  return false;
}

/** The `createQueryBuilder(…)` call a builder chain starts at, and whether the chain turns it into a write. */
function builderOrigin(receiver: ts.Expression): { call: ts.CallExpression; writes: boolean } | undefined {
  let writes = false;
  let current = receiver;
  for (let steps = 0; steps < 40; steps++) {
    current = skipOuterExpressions(current);
    if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) {
      const name = current.expression.name.text;
      if (name === 'createQueryBuilder') return { call: current, writes };
      if (name === 'insert' || name === 'update' || name === 'delete' || name === 'softDelete' || name === 'restore') writes = true;
      current = current.expression.expression;
    } else if (ts.isPropertyAccessExpression(current)) current = current.expression;
    else return undefined;
  }
  return undefined;
}

/**
 * The client a call chain starts at, with the chain's first call: `replica.query(…)` → `replica`,
 * `this.reader.query(…)` → `this.reader`, `pools.replica.query(…)` → `pools.replica`,
 * `readDb('users').where(…)` → `readDb`.
 */
function clientRoot(callee: ts.Expression): { candidates: { name: string; node: ts.Expression }[]; call: ts.CallExpression } | undefined {
  // Walk down to the root, remembering the links from the root outwards.
  const links: (ts.PropertyAccessExpression | ts.CallExpression)[] = [];
  let current = skipOuterExpressions(callee);
  for (let steps = 0; steps < 40 && (ts.isPropertyAccessExpression(current) || ts.isCallExpression(current) || ts.isElementAccessExpression(current)); steps++) {
    // `readPools[i].query(…)`: an index picks one of the clients the name stands for.
    if (!ts.isElementAccessExpression(current)) links.unshift(current);
    current = skipOuterExpressions(current.expression);
  }
  const outer = callee.parent;
  if (!outer || !ts.isCallExpression(outer)) return undefined;
  const call = links.find((link): link is ts.CallExpression => ts.isCallExpression(link)) ?? outer;
  const candidates: { name: string; node: ts.Expression }[] = [];
  if (ts.isIdentifier(current)) candidates.push({ name: current.text, node: current });
  else if (current.kind !== SyntaxKind.ThisKeyword) return undefined;
  // A member before the chain's first call is a client when more members follow it (`this.reader.query`,
  // `pools.replica.query`, @fastify/postgres's named `fastify.pg.replica.query`), not when it is the
  // method called; the first member also when `this(…)` calls it (`this.reader(…)`).
  for (let index = 0; index + 1 < links.length && ts.isPropertyAccessExpression(links[index]); index++) {
    const member = links[index] as ts.PropertyAccessExpression;
    if (ts.isPropertyAccessExpression(links[index + 1]) || (index === 0 && current.kind === SyntaxKind.ThisKeyword)) candidates.push({ name: member.name.text, node: member });
  }
  return candidates.length > 0 ? { candidates, call } : undefined;
}

function isClientWrite(call: ts.CallExpression): boolean {
  // knex: primary('orders').insert(…), primary.insert(…).into('orders')
  for (let current: ts.Node = call; ; ) {
    if (ts.isCallExpression(current)) {
      const expression = skipOuterExpressions(current.expression);
      if (ts.isPropertyAccessExpression(expression) && KNEX_WRITES.has(expression.name.text)) return true;
      if (ts.isPropertyAccessExpression(expression) && expression.name.text === 'transaction') return true;
      const text = sqlText(current.arguments[0]);
      if (text !== undefined && WRITE_SQL.test(text)) return true;
      current = expression;
    } else if (ts.isPropertyAccessExpression(current)) current = skipOuterExpressions(current.expression);
    else break;
  }
  return false;
}

/** Source text of a receiver, kept short for messages. */
export function shortText(node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, '');
  return text.length > 40 ? `…${text.slice(-39)}` : text;
}

function templateText(tagged: ts.TaggedTemplateExpression): string {
  return ts.isNoSubstitutionTemplateLiteral(tagged.template) ? tagged.template.text : tagged.template.head.text;
}

/** `orders` for `db.insert(orders)`, `schema.orders` → `orders`. */
function tableArgument(argument: ts.Expression | undefined): string | undefined {
  if (!argument) return undefined;
  const value = skipOuterExpressions(argument);
  if (ts.isIdentifier(value)) return value.text;
  if (ts.isPropertyAccessExpression(value)) return value.name.text;
  return undefined;
}

/** The table of `db.select(…).from(orders)`: the `.from(…)` a few links up the chain. */
function fromTable(call: ts.CallExpression): string | undefined {
  let node: ts.Node = call;
  for (let steps = 0; steps < 6; steps++) {
    const access = node.parent;
    if (!access || !ts.isPropertyAccessExpression(access) || !ts.isCallExpression(access.parent)) return undefined;
    if (access.name.text === 'from') return tableArgument(access.parent.arguments[0]);
    node = access.parent;
  }
  return undefined;
}

/** The table an INSERT/UPDATE/DELETE writes. */
function writeTable(sql: string | undefined): string | undefined {
  return sql === undefined ? undefined : /^\s*(?:with\b[\s\S]*?\)\s*)?(?:insert\s+into|update|delete\s+from|upsert\s+into|replace\s+into)\s+["`]?(?:\w+\.)?["`]?(\w+)/i.exec(sql)?.[1];
}

/** The table a single-table SELECT reads (joins and sub-selects: unknown). */
function readTable(sql: string | undefined): string | undefined {
  if (sql === undefined || /\bjoin\b|\(\s*select\b/i.test(sql)) return undefined;
  return /\bfrom\s+["`]?(?:\w+\.)?["`]?(\w+)/i.exec(sql)?.[1];
}

/** `function (text, params, cb) { return client.query(text, params, cb); }`: the one call the function makes, given its first parameter first. */
function passedThroughCall(fn: FunctionNode): ts.CallExpression | undefined {
  const body = fn.body;
  if (!body) return undefined;
  let returned: ts.Expression | undefined;
  if (!ts.isBlock(body)) returned = body;
  else if (body.statements.length === 1) {
    const only = body.statements[0];
    returned = ts.isReturnStatement(only) ? only.expression : ts.isExpressionStatement(only) ? only.expression : undefined;
  }
  const call = returned && skipOuterExpressions(returned);
  const first = fn.parameters[0] as ts.ParameterDeclaration | undefined;
  const argument = call && ts.isCallExpression(call) && call.arguments[0] ? skipOuterExpressions(call.arguments[0]) : undefined;
  return first && ts.isIdentifier(first.name) && argument && ts.isIdentifier(argument) && argument.text === first.name.text ? (call as ts.CallExpression) : undefined;
}

/** The name of a wrapper next to this one (same object literal or class) that `isPrimary` accepts. */
function primarySibling(fn: FunctionNode, isPrimary: (fn: FunctionNode) => boolean): string | undefined {
  let member: ts.Node = fn;
  while (ts.isParenthesizedExpression(member.parent)) member = member.parent;
  if (ts.isPropertyAssignment(member.parent)) member = member.parent;
  const owner = member.parent;
  const siblings: readonly (ts.ObjectLiteralElementLike | ts.ClassElement)[] = ts.isObjectLiteralExpression(owner) ? owner.properties : ts.isClassLike(owner) ? owner.members : [];
  for (const sibling of siblings) {
    if (sibling === member || !sibling.name || !ts.isIdentifier(sibling.name)) continue;
    const value = ts.isPropertyAssignment(sibling) ? skipOuterExpressions(sibling.initializer) : sibling;
    if ((ts.isFunctionExpression(value) || ts.isArrowFunction(value) || ts.isMethodDeclaration(value)) && isPrimary(value)) return sibling.name.text;
  }
  return undefined;
}

/** The parameter of an enclosing function that an identifier names. */
function enclosingParameter(identifier: ts.Identifier): ts.ParameterDeclaration | undefined {
  for (let node: ts.Node | undefined = identifier.parent; node && !ts.isSourceFile(node); node = node.parent) {
    if (ts.isFunctionLike(node)) {
      const parameter = node.parameters.find((candidate) => ts.isIdentifier(candidate.name) && candidate.name.text === identifier.text);
      if (parameter) return parameter;
    }
  }
  return undefined;
}

/** `sequelize.define('Order', attributes, options)` that a model variable is declared with. */
function modelDefinition(declaration: ts.Declaration): ts.CallExpression | undefined {
  const initializer = ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  if (!initializer || !ts.isCallExpression(initializer) || !ts.isPropertyAccessExpression(initializer.expression) || initializer.expression.name.text !== 'define') return undefined;
  return initializer;
}

/** The table a defined model writes: its `tableName` option, else the model name (compared loosely with the plural by `sameTable`). */
function modelTable(definition: ts.CallExpression): string | undefined {
  const options = definition.arguments[2] && skipOuterExpressions(definition.arguments[2]);
  if (options && ts.isObjectLiteralExpression(options)) {
    for (const property of options.properties) {
      if (ts.isPropertyAssignment(property) && propertyNameText(property.name) === 'tableName' && ts.isStringLiteralLike(property.initializer)) return property.initializer.text;
    }
  }
  const name = definition.arguments[0];
  return name && ts.isStringLiteralLike(name) ? name.text : undefined;
}

/**
 * Whether two names are one table: case, underscores and a plural aside (`Order` and `orders`,
 * `OrderItem` and `order_items`, `Category` and `categories`), as ORMs name a model's table.
 */
export function sameTable(a: string, b: string): boolean {
  const plain = (name: string) => name.toLowerCase().replace(/_/g, '');
  const singular = (name: string) => (name.endsWith('ies') ? `${name.slice(0, -3)}y` : name.endsWith('ses') || name.endsWith('xes') ? name.slice(0, -2) : name.endsWith('s') ? name.slice(0, -1) : name);
  const [x, y] = [plain(a), plain(b)];
  return x === y || singular(x) === y || singular(y) === x;
}

/** `const X = new DataSource({ … })` with DataSource from typeorm. */
function isTypeormDataSource(declaration: ts.VariableDeclaration): boolean {
  const value = declaration.initializer && skipOuterExpressions(declaration.initializer);
  if (!value || !ts.isNewExpression(value) || !ts.isIdentifier(declaration.name)) return false;
  const options = value.arguments?.[0] && skipOuterExpressions(value.arguments[0]);
  if (options && ts.isObjectLiteralExpression(options) && options.properties.some((property) => property.name !== undefined && propertyNameText(property.name) === 'replication')) return false;
  const callee = skipOuterExpressions(value.expression);
  const binding = getFileFacts(declaration.getSourceFile()).imports.get(ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression.text : '');
  return binding?.module === 'typeorm' && (ts.isIdentifier(callee) ? binding.path.join('.') === 'DataSource' : binding.path.length === 0 && (callee as ts.PropertyAccessExpression).name.text === 'DataSource');
}

/** A data source's name as a client name: `ReplicaDataSource` → `replica`, `readDataSource` → `read`, `appSource` → `app`. */
function sourceClientName(name: string): string {
  const bare = name.replace(/(?:Data)?Source$|Connection$/, '') || name;
  return bare.charAt(0).toLowerCase() + bare.slice(1);
}

/** The one value a getter returns (`get orders() { return X.getRepository(Order); }`). */
function returnedValue(getter: ts.GetAccessorDeclaration): ts.Expression | undefined {
  const statements = getter.body?.statements ?? [];
  const last = statements.length === 1 ? statements[0] : undefined;
  return last && ts.isReturnStatement(last) ? last.expression : undefined;
}

/** A name the file imports or declares at its top. */
function inScope(file: ts.SourceFile, name: string): boolean {
  const facts = getFileFacts(file);
  return facts.imports.has(name) || facts.topLevel.has(name);
}
