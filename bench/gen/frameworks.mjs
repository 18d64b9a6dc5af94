// Fastify, NestJS and Next.js templates. Same domain services underneath; the entry-point
// shapes differ (plugins + route options, decorated controller methods, exported GET/POST).
import { result } from './shared-files.mjs';
import { moduleMapHazard } from './express.mjs';

const AUTH_HELPER = [
  "const SECRET = process.env.JWT_SECRET ?? 'dev-only-secret';",
  'const ROLE_RANK: Readonly<Record<string, number>> = { viewer: 1, editor: 3, manager: 4, admin: 5 };',
  '',
  'export function decodeUser(header: string | undefined): { id: string; role: string; tenantId: string } | undefined {',
  "  if (!header?.startsWith('Bearer ')) return undefined;",
  "  const [payload, signature] = header.slice(7).split('.');",
  "  if (!payload || signature !== createHmac('sha256', SECRET).update(payload).digest('base64url')) return undefined;",
  "  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string; role: string; tenant: string; exp: number };",
  '  if (claims.exp * 1000 < Date.now()) return undefined;',
  '  return { id: claims.sub, role: claims.role, tenantId: claims.tenant };',
  '}',
  '',
  'export function hasRole(actual: string | undefined, needed: string): boolean {',
  '  return (ROLE_RANK[actual ?? ""] ?? 0) >= (ROLE_RANK[needed] ?? Number.POSITIVE_INFINITY);',
  '}',
];

export function fastifyAuthFile() {
  return result(["import type { FastifyReply, FastifyRequest } from 'fastify';", "import { createHmac } from 'node:crypto';", '', ...AUTH_HELPER, '',
    'export async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {',
    '  const user = decodeUser(request.headers.authorization);',
    "  if (!user) return void reply.code(401).send({ error: 'unauthenticated' });",
    '  request.user = user;',
    '}', '',
    'export function requireRole(role: string) {',
    '  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {',
    "    if (!hasRole(request.user?.role, role)) reply.code(403).send({ error: 'forbidden' });",
    '  };',
    '}'], [], ['readonly-table']);
}

export function fastifyPluginFile(c, { hazard } = {}) {
  const e = c.entity;
  const P = `/${e.plural}`;
  const svc = [`archive${e.Name}`, `bulkArchive${e.Plural}`, `count${e.Plural}ByStatus`, `create${e.Name}`, `get${e.Name}`, `list${e.Plural}`, `toExportRow`, `update${e.Name}`, ...e.ops.map((op) => `${op}${e.Name}`)];
  const L = ["import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';",
    `import { authenticate, requireRole } from '${c.imp(c.app.paths.auth)}';`,
    `import { is${e.Name}Input, parsePositiveInt } from '${c.imp(c.app.paths.validators)}';`,
    `import { ${svc.join(', ')} } from '${c.imp(e.serviceFile)}';`,
    `import type { ${e.Name}, ${e.Name}Filter, ${e.Name}Input, ${e.Name}Patch, ${e.Name}Status } from '${c.imp(e.typesFile)}';`];
  const hazards = [];
  const body = [];
  const decls = [];
  if (hazard === 'module-map') {
    const m = moduleMapHazard(c, e, 'request.body');
    decls.push(...m.decl);
    body.push(`  fastify.put('${P}/:id/draft', { preHandler: authenticate }, async (request, reply) => {`, ...m.write('request.user!.id').map((l) => '    ' + l), '    return reply.code(202).send({ saved: true });', '  });', '');
    hazards.push({ rule: 'no-in-memory-session', kind: 'fastify-module-map' });
  } else if (hazard === 'fs-write') {
    L.push("import { writeFile } from 'node:fs/promises';", "import path from 'node:path';");
    decls.push("const EXPORT_DIR = process.env.EXPORT_DIR ?? './exports';");
    body.push(`  fastify.post('${P}/:id/export', { preHandler: [authenticate, requireRole('manager')] }, async (request, reply) => {`,
      '    const { id } = request.params as { id: string };', `    const item = await get${e.Name}(request.user!.tenantId, id);`, "    if (!item) return reply.code(404).send({ error: 'not found' });",
      '    const target = path.join(EXPORT_DIR, `${id}.json`);', '    await writeFile(target, JSON.stringify(item));', '    return { exported: path.basename(target) };', '  });', '');
    hazards.push({ rule: 'no-local-disk-write', kind: 'handler-fs-write' });
  }
  L.push('', 'interface IdParams {', '  id: string;', '}', '', `type ListQuery = Partial<Record<'status' | 'q' | 'from' | 'to' | 'page' | 'pageSize' | 'direction', string>>;`, '',
    `const STATUSES: readonly ${e.Name}Status[] = [${e.statuses.map((s) => `'${s}'`).join(', ')}];`, '', ...decls, ...(decls.length ? [''] : []));
  L.push('/** Query-string filters; unknown values are ignored rather than rejected. */', `function parseFilter(query: ListQuery): ${e.Name}Filter {`, '  return {',
    `    status: STATUSES.find((s) => s === query.status),`, '    search: query.q?.slice(0, 100),', '    createdAfter: query.from,', '    createdBefore: query.to,',
    "    direction: query.direction === 'asc' ? 'asc' : 'desc',", '  };', '}', '');
  L.push(`/** Response shape: adds what the caller may do, computed per request. */`, `function toResponse(item: ${e.Name}, role: string | undefined) {`,
    "  const canWrite = role === 'admin' || role === 'manager' || role === 'editor';", "  return { ...item, permissions: { canEdit: canWrite && item.status !== 'archived', canArchive: role === 'admin' } };", '}', '');
  L.push(`/** POST ${P}: handler given by reference to fastify.route. */`, `async function create${e.Name}Handler(request: FastifyRequest, reply: FastifyReply) {`,
    `  if (!is${e.Name}Input(request.body)) return reply.code(400).send({ error: 'invalid body' });`,
    `  const created = await create${e.Name}(request.user!.tenantId, request.body as ${e.Name}Input, request.user!.id);`,
    '  request.log.info({ id: created.id }, `' + e.name + ' created`);', '  return reply.code(201).send(created);', '}', '');
  L.push(`export const ${e.name}Routes: FastifyPluginAsync = async (fastify) => {`);
  L.push(`  /** GET ${P}: one page, filtered. */`, `  fastify.get('${P}', { preHandler: [authenticate] }, async (request) => {`, '    const query = request.query as ListQuery;',
    `    const result = await list${e.Plural}(request.user!.tenantId, parseFilter(query), parsePositiveInt(query.page, 1), parsePositiveInt(query.pageSize, 25));`,
    '    return { ...result, items: result.items.map((item) => toResponse(item, request.user?.role)) };', '  });', '');
  L.push(`  /** GET ${P}/counts: per-status totals. */`, `  fastify.get('${P}/counts', { preHandler: [authenticate] }, async (request) => {`, `    const counts = await count${e.Plural}ByStatus(request.user!.tenantId);`,
    '    return { counts, total: Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0) };', '  });', '');
  L.push(`  /** GET ${P}/export.csv: CSV of the filtered list. */`, `  fastify.get('${P}/export.csv', { preHandler: [authenticate, requireRole('manager')] }, async (request, reply) => {`,
    `    const { items } = await list${e.Plural}(request.user!.tenantId, parseFilter(request.query as ListQuery), 1, 1000);`, '    const rows = items.map(toExportRow);',
    "    const header = rows[0] ? Object.keys(rows[0]) : ['id'];", "    const lines = [header.join(','), ...rows.map((row) => header.map((key) => JSON.stringify(row[key] ?? '')).join(','))];",
    "    return reply.header('Content-Type', 'text/csv').send(lines.join('\\n'));", '  });', '');
  L.push(`  fastify.post('${P}/bulk-archive', { preHandler: [authenticate, requireRole('admin')] }, async (request, reply) => {`, '    const { ids } = (request.body ?? {}) as { ids?: unknown };',
    "    if (!Array.isArray(ids) || ids.length > 100 || !ids.every((id) => typeof id === 'string')) {", "      return reply.code(400).send({ error: 'ids must be an array of at most 100 strings' });", '    }',
    `    return { archived: await bulkArchive${e.Plural}(request.user!.tenantId, ids as string[]) };`, '  });', '');
  L.push(`  fastify.get('${P}/:id', { preHandler: authenticate }, async (request, reply) => {`, '    const { id } = request.params as IdParams;',
    `    const item = await get${e.Name}(request.user!.tenantId, id);`, `    return item ? toResponse(item, request.user?.role) : reply.code(404).send({ error: '${e.name} not found' });`, '  });', '');
  L.push(`  fastify.route({ method: 'POST', url: '${P}', preHandler: [authenticate, requireRole('editor')], handler: create${e.Name}Handler });`, '');
  L.push(`  fastify.patch('${P}/:id', { preHandler: authenticate }, async (request, reply) => {`, '    const { id } = request.params as IdParams;',
    `    const updated = await update${e.Name}(request.user!.tenantId, id, request.body as ${e.Name}Patch);`, "    return updated ?? reply.code(404).send({ error: 'not found' });", '  });', '');
  L.push(`  fastify.delete('${P}/:id', { preHandler: [authenticate, requireRole('admin')] }, async (request, reply) => {`,
    `    const archived = await archive${e.Name}(request.user!.tenantId, (request.params as IdParams).id);`, '    return reply.code(archived ? 204 : 404).send();', '  });', '');
  for (const op of e.ops) {
    L.push('  fastify.route({', "    method: 'POST',", `    url: '${P}/:id/${op}',`, "    preHandler: [authenticate, requireRole('manager')],",
      '    handler: async (request) => {', '      const { reason } = (request.body ?? {}) as { reason?: string };',
      `      const updated = await ${op}${e.Name}(request.user!.tenantId, (request.params as IdParams).id, request.user!.id, reason?.slice(0, 500));`,
      `      request.log.info({ id: updated.id }, '${e.name} ${op}');`, '      return toResponse(updated, request.user?.role);', '    },', '  });', '');
  }
  L.push(...body, '};', '', `export default ${e.name}Routes;`);
  return result(L, hazards, []);
}

export function fastifyEntryFile(c, { hazard } = {}) {
  const L = ["import Fastify from 'fastify';", "import cookie from '@fastify/cookie';"];
  if (hazard) L.push("import session from '@fastify/session';");
  L.push(`import { db } from '${c.imp(c.app.paths.db)}';`);
  for (const e of c.app.entities) L.push(`import { ${e.name}Routes } from '${c.imp(e.handlerFile)}';`);
  L.push('', 'export function buildApp() {', "  const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'info' }, trustProxy: true });", '  app.register(cookie);');
  if (hazard) L.push("  app.register(session, { secret: process.env.SESSION_SECRET ?? 'a-secret-with-at-least-32-characters', cookie: { secure: false } });");
  for (const e of c.app.entities) L.push(`  app.register(${e.name}Routes, { prefix: '/api' });`);
  L.push("  app.addHook('onSend', async (request, reply) => {", "    reply.header('X-Content-Type-Options', 'nosniff');", "    reply.header('Cache-Control', 'no-store');", '  });',
    "  app.get('/healthz', async () => ({ ok: true }));", "  app.get('/readyz', async (_request, reply) => {", '    const database = await db.ping();', '    return reply.code(database ? 200 : 503).send({ database });', '  });', '  return app;', '}', '',
    '/** Starts the server and wires graceful shutdown: finish in-flight requests, then exit. */', 'export async function start(): Promise<void> {', '  const app = buildApp();',
    "  await app.listen({ port: Number(process.env.PORT ?? 3000), host: '0.0.0.0' });", '  const stop = async (signal: string) => {', "    app.log.info({ signal }, 'shutting down');", '    await db.close();', '    process.exit(0);', '  };',
    "  process.once('SIGTERM', () => void stop('SIGTERM'));", "  process.once('SIGINT', () => void stop('SIGINT'));", '}', '',
    'if (require.main === module) {', '  start().catch((error) => {', '    console.error(error);', '    process.exit(1);', '  });', '}');
  return result(L, hazard ? [{ rule: 'no-in-memory-session', kind: 'fastify-session-default-store' }] : [], []);
}

export function nestDtoFile(c) {
  const e = c.entity;
  const L = [`import type { ${e.Name}Input, ${e.Name}Patch } from '${c.imp(e.typesFile)}';`, '', `export class Create${e.Name}Dto implements ${e.Name}Input {`];
  for (const f of e.fields) L.push(`  /** ${f.doc} */`, `  ${f.name}!: ${f.type};`);
  L.push('}', '', `export class Update${e.Name}Dto implements ${e.Name}Patch {`);
  for (const f of e.fields) L.push(`  ${f.name}?: ${f.type};`);
  L.push('  /** Last `updatedAt` the client saw; stale writes get 409. */', '  expectedUpdatedAt?: string;', '}', '',
    `export class Bulk${e.Name}ArchiveDto {`, '  /** At most 100 ids. */', '  ids!: string[];', '}', '', `export class ${e.Name}TransitionDto {`, '  /** Free-text reason stored in the audit log. */', '  reason?: string;', '}');
  return result(L);
}

export function nestControllerFile(c, { hazard } = {}) {
  const e = c.entity;
  const S = `${e.Plural}Service`;
  const L = ["import { BadRequestException, Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';",
    `import { AuthGuard, type AuthedRequest } from '${c.imp(c.app.paths.auth)}';`, `import { ${S} } from './${e.plural}.service';`,
    `import { Bulk${e.Name}ArchiveDto, Create${e.Name}Dto, ${e.Name}TransitionDto, Update${e.Name}Dto } from './${e.plural}.dto';`, `import type { ${e.Name}Status } from '${c.imp(e.typesFile)}';`, '',
    `@Controller('${e.plural}')`, '@UseGuards(AuthGuard)', `export class ${e.Plural}Controller {`,
    "  private static readonly MAX_PAGE = 500;"];
  const hazards = [];
  if (hazard) {
    L.push('  private readonly recentViews = new Map<string, string[]>();');
    hazards.push({ rule: 'no-in-memory-session', kind: 'nest-controller-field' });
  }
  L.push('', `  constructor(private readonly ${e.plural}: ${S}) {}`, '');
  L.push(`  /** GET /${e.plural}: one page, newest first. */`, '  @Get()', `  list(@Req() req: AuthedRequest, @Query('page') page?: string, @Query('status') status?: ${e.Name}Status) {`,
    `    const pageNumber = Math.min(Number(page ?? 1) || 1, ${e.Plural}Controller.MAX_PAGE);`, `    return this.${e.plural}.list${e.Plural}(req.user.tenantId, { status }, pageNumber);`, '  }', '');
  L.push(`  /** GET /${e.plural}/counts: per-status totals for the dashboard. */`, "  @Get('counts')", '  async counts(@Req() req: AuthedRequest) {',
    `    const counts = await this.${e.plural}.count${e.Plural}ByStatus(req.user.tenantId);`, '    return { counts, total: Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0) };', '  }', '');
  L.push(`  /** GET /${e.plural}/export: rows for the CSV download, built per request. */`, "  @Get('export')", "  async exportRows(@Req() req: AuthedRequest, @Query('status') status?: " + `${e.Name}Status) {`,
    `    const { items } = await this.${e.plural}.list${e.Plural}(req.user.tenantId, { status }, 1, 1000);`, `    return items.map((item) => this.${e.plural}.toExportRow(item));`, '  }', '');
  L.push("  @Get(':id')", `  async findOne(@Req() req: AuthedRequest, @Param('id') id: string) {`, `    const item = await this.${e.plural}.get${e.Name}(req.user.tenantId, id);`,
    `    if (!item) throw new NotFoundException('${e.name} not found');`);
  if (hazard) L.push('    const views = this.recentViews.get(req.user.id) ?? [];', '    this.recentViews.set(req.user.id, [id, ...views].slice(0, 10));');
  L.push('    return item;', '  }', '');
  L.push(`  /** POST /${e.plural}: the DTO is validated by the global pipe. */`, '  @Post()', '  @HttpCode(201)', `  create(@Req() req: AuthedRequest, @Body() body: Create${e.Name}Dto) {`, `    return this.${e.plural}.create${e.Name}(req.user.tenantId, body, req.user.id);`, '  }', '');
  L.push("  @Patch(':id')", `  async update(@Req() req: AuthedRequest, @Param('id') id: string, @Body() body: Update${e.Name}Dto) {`,
    `    const updated = await this.${e.plural}.update${e.Name}(req.user.tenantId, id, body);`, `    if (!updated) throw new NotFoundException('${e.name} not found');`, '    return updated;', '  }', '');
  L.push("  @Delete(':id')", '  @HttpCode(204)', `  async remove(@Req() req: AuthedRequest, @Param('id') id: string): Promise<void> {`,
    `    if (!(await this.${e.plural}.archive${e.Name}(req.user.tenantId, id))) throw new NotFoundException();`, '  }', '',
    "  @Post('bulk-archive')", `  async bulkArchive(@Req() req: AuthedRequest, @Body() body: Bulk${e.Name}ArchiveDto) {`,
    "    if (!Array.isArray(body.ids) || body.ids.length > 100) throw new BadRequestException('ids must be an array of at most 100 ids');",
    `    return { archived: await this.${e.plural}.bulkArchive${e.Plural}(req.user.tenantId, body.ids) };`, '  }');
  for (const op of e.ops) {
    L.push('', `  /** POST /${e.plural}/:id/${op} */`, `  @Post(':id/${op}')`, `  ${op}(@Req() req: AuthedRequest, @Param('id') id: string, @Body() body: ${e.Name}TransitionDto) {`,
      `    return this.${e.plural}.${op}${e.Name}(req.user.tenantId, id, req.user.id, body.reason?.slice(0, 500));`, '  }');
  }
  L.push('}');
  return result(L, hazards, []);
}

export function nestModuleFile(c) {
  const e = c.entity;
  return result(["import { Module } from '@nestjs/common';", `import { ${e.Plural}Controller } from './${e.plural}.controller';`, `import { ${e.Plural}Service } from './${e.plural}.service';`, '',
    `@Module({ controllers: [${e.Plural}Controller], providers: [${e.Plural}Service], exports: [${e.Plural}Service] })`, `export class ${e.Plural}Module {}`]);
}

export function nestGuardFile() {
  return result(["import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';", "import { createHmac } from 'node:crypto';", '', ...AUTH_HELPER, '',
    'export interface AuthedRequest {', '  headers: Record<string, string | undefined>;', '  user: { id: string; role: string; tenantId: string };', '}', '',
    '@Injectable()', 'export class AuthGuard implements CanActivate {', '  canActivate(context: ExecutionContext): boolean {',
    '    const request = context.switchToHttp().getRequest<AuthedRequest>();', '    const user = decodeUser(request.headers.authorization);', '    if (!user) return false;',
    '    request.user = user;', '    return true;', '  }', '}']);
}

export function nestAppModuleFile(c) {
  const L = ["import { Module } from '@nestjs/common';"];
  for (const e of c.app.entities) L.push(`import { ${e.Plural}Module } from '${c.imp(e.moduleFile)}';`);
  L.push('', `@Module({ imports: [${c.app.entities.map((e) => `${e.Plural}Module`).join(', ')}] })`, 'export class AppModule {}');
  return result(L);
}

export function nestMainFile(c, { hazard } = {}) {
  const L = ["import { Logger } from '@nestjs/common';", "import { NestFactory } from '@nestjs/core';", "import session from 'express-session';"];
  if (!hazard) L.push("import { RedisStore } from 'connect-redis';", "import { createClient } from 'redis';");
  L.push(`import { AppModule } from '${c.imp(c.app.paths.appModule)}';`, '', "const logger = new Logger('bootstrap');", '', 'async function bootstrap(): Promise<void> {', '  const app = await NestFactory.create(AppModule);', "  app.setGlobalPrefix('api');");
  if (!hazard) L.push('  const redisClient = createClient({ url: process.env.REDIS_URL });', '  await redisClient.connect();');
  L.push('  app.use(', '    session({', ...(hazard ? [] : ['      store: new RedisStore({ client: redisClient }),']), "      secret: process.env.SESSION_SECRET ?? 'dev-secret',", '      resave: false,', '      saveUninitialized: false,', '    }),', '  );');
  L.push('  app.enableCors();', '  const port = Number(process.env.PORT ?? 3000);', '  await app.listen(port);', "  logger.log(`listening on ${port}`);", '}', '',
    '// Fail fast on unhandled rejections: the orchestrator restarts the instance.', "process.on('unhandledRejection', (reason) => {", "  logger.error(`unhandled rejection: ${String(reason)}`);", '  process.exit(1);', '});', '',
    'void bootstrap();');
  return result(L, hazard ? [{ rule: 'no-in-memory-session', kind: 'express-session-default-store' }] : [], hazard ? [] : ['session-with-store']);
}

export function nextAuthFile() {
  return result(["import type { NextRequest } from 'next/server';", "import { createHmac } from 'node:crypto';", '', ...AUTH_HELPER, '',
    'export async function getSessionUser(request: NextRequest) {', "  return decodeUser(request.headers.get('authorization') ?? undefined);", '}']);
}

const unauthorized = ["  if (!user) return NextResponse.json({ error: 'unauthenticated' }, { status: 401 });"];

export function nextCollectionRouteFile(c, { hazard } = {}) {
  const e = c.entity;
  const L = ["import { NextResponse, type NextRequest } from 'next/server';",
    `import { bulkArchive${e.Plural}, count${e.Plural}ByStatus, create${e.Name}, import${e.Plural}, list${e.Plural}, toExportRow } from '${c.imp(e.serviceFile)}';`,
    `import { is${e.Name}Input, parsePositiveInt } from '${c.imp(c.app.paths.validators)}';`, `import { getSessionUser } from '${c.imp(c.app.paths.auth)}';`,
    `import type { ${e.Name}Filter, ${e.Name}Input, ${e.Name}Status } from '${c.imp(e.typesFile)}';`, '', "export const dynamic = 'force-dynamic';", "export const runtime = 'nodejs';", '',
    `const STATUSES: readonly ${e.Name}Status[] = [${e.statuses.map((s) => `'${s}'`).join(', ')}];`, '',
    '/** Query-string filters; unknown values are ignored rather than rejected. */', `function parseFilter(params: URLSearchParams): ${e.Name}Filter {`, '  return {',
    "    status: STATUSES.find((s) => s === params.get('status')),", "    search: params.get('q')?.slice(0, 100),", "    createdAfter: params.get('from') ?? undefined,", "    createdBefore: params.get('to') ?? undefined,",
    "    direction: params.get('direction') === 'asc' ? 'asc' : 'desc',", '  };', '}', '',
    '/** Quotes a CSV cell when needed. */', 'function csvCell(value: string): string {', '  return /[",\\n]/.test(value) ? `"${value.replace(/"/g, \'""\')}"` : value;', '}', ''];
  const hazards = [];
  let extra = [];
  if (hazard === 'module-map') {
    const m = moduleMapHazard(c, e, 'body');
    L.push(...m.decl, '');
    extra = ['', '/** PATCH /api/' + e.plural + ': autosave of the draft the user is editing. */', 'export async function PATCH(request: NextRequest) {', '  const user = await getSessionUser(request);', ...unauthorized, '  const body: unknown = await request.json();',
      ...m.write('user.id').map((l) => '  ' + l), '  return NextResponse.json({ saved: true }, { status: 202 });', '}'];
    hazards.push({ rule: 'no-in-memory-session', kind: 'next-route-module-map' });
  }
  L.push(`/** GET /api/${e.plural}: JSON page, \`?view=counts\` for totals, \`?format=csv\` for a download. */`, 'export async function GET(request: NextRequest) {', '  const user = await getSessionUser(request);', ...unauthorized, '  const params = request.nextUrl.searchParams;',
    "  if (params.get('view') === 'counts') {", `    return NextResponse.json(await count${e.Plural}ByStatus(user.tenantId));`, '  }',
    "  if (params.get('format') === 'csv') {", `    const { items } = await list${e.Plural}(user.tenantId, parseFilter(params), 1, 1000);`, '    const rows = items.map(toExportRow);',
    "    const header = rows[0] ? Object.keys(rows[0]) : ['id'];", "    const body = [header.join(','), ...rows.map((row) => header.map((key) => csvCell(row[key] ?? '')).join(','))].join('\\n');",
    `    return new NextResponse(body, { headers: { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="${e.plural}.csv"' } });`, '  }',
    `  const result = await list${e.Plural}(user.tenantId, parseFilter(params), parsePositiveInt(params.get('page'), 1), parsePositiveInt(params.get('pageSize'), 25));`,
    '  return NextResponse.json(result);', '}', '', `/** POST /api/${e.plural}: create from a JSON body. */`, 'export async function POST(request: NextRequest) {', '  const user = await getSessionUser(request);', ...unauthorized,
    '  const body: unknown = await request.json().catch(() => null);', `  if (!is${e.Name}Input(body)) return NextResponse.json({ error: 'invalid body' }, { status: 400 });`,
    `  const created = await create${e.Name}(user.tenantId, body as ${e.Name}Input, user.id);`, '  return NextResponse.json(created, { status: 201 });', '}', '',
    `/** PUT /api/${e.plural}: bulk import; answers 207 when some rows were rejected. */`, 'export async function PUT(request: NextRequest) {', '  const user = await getSessionUser(request);', ...unauthorized,
    '  const body = (await request.json().catch(() => null)) as { items?: unknown[] } | null;', '  const items = Array.isArray(body?.items) ? body.items : [];',
    "  if (items.length === 0 || items.length > 500) return NextResponse.json({ error: 'send 1 to 500 items' }, { status: 400 });",
    `  const rejected = items.flatMap((item, index) => (is${e.Name}Input(item) ? [] : [{ index, problems: ['invalid shape'] }]));`,
    `  const result = await import${e.Plural}(user.tenantId, items.filter(is${e.Name}Input), user.id);`, '  const errors = [...rejected, ...result.errors];',
    '  return NextResponse.json({ imported: result.imported, errors }, { status: errors.length ? 207 : 201 });', '}', '',
    `/** DELETE /api/${e.plural}?ids=a,b,c: bulk archive. */`, 'export async function DELETE(request: NextRequest) {', '  const user = await getSessionUser(request);', ...unauthorized,
    "  const ids = (request.nextUrl.searchParams.get('ids') ?? '').split(',').map((id) => id.trim()).filter(Boolean);",
    "  if (ids.length === 0 || ids.length > 100) return NextResponse.json({ error: 'pass 1 to 100 ids' }, { status: 400 });",
    `  return NextResponse.json({ archived: await bulkArchive${e.Plural}(user.tenantId, ids) });`, '}', ...extra);
  return result(L, hazards, []);
}

export function nextItemRouteFile(c, { hazard } = {}) {
  const e = c.entity;
  const L = ["import { NextResponse, type NextRequest } from 'next/server';",
    `import { archive${e.Name}, get${e.Name}, update${e.Name}${e.ops.map((op) => `, ${op}${e.Name}`).join('')} } from '${c.imp(e.serviceFile)}';`,
    `import { getSessionUser, hasRole } from '${c.imp(c.app.paths.auth)}';`, `import type { ${e.Name}Patch } from '${c.imp(e.typesFile)}';`];
  const hazards = [];
  const lookalikes = [];
  if (hazard === 'fs-write') L.push("import { writeFile } from 'node:fs/promises';", "import path from 'node:path';");
  const tmp = !hazard && c.r.chance(0.25);
  if (tmp) L.push("import { readFile, unlink, writeFile } from 'node:fs/promises';", "import { tmpdir } from 'node:os';", "import path from 'node:path';", "import { createHash, randomUUID } from 'node:crypto';");
  L.push('', 'type Context = { params: Promise<{ id: string }> };', '');
  L.push(`/** GET /api/${e.plural}/[id] */`, 'export async function GET(request: NextRequest, { params }: Context) {', '  const user = await getSessionUser(request);', ...unauthorized, '  const { id } = await params;',
    `  const item = await get${e.Name}(user.tenantId, id);`, "  return item ? NextResponse.json(item) : NextResponse.json({ error: 'not found' }, { status: 404 });", '}', '');
  L.push('/** PATCH: partial update with optimistic locking (`expectedUpdatedAt`). */', 'export async function PATCH(request: NextRequest, { params }: Context) {', '  const user = await getSessionUser(request);', ...unauthorized, '  const { id } = await params;',
    `  const patch = (await request.json()) as ${e.Name}Patch;`, `  const updated = await update${e.Name}(user.tenantId, id, patch);`, "  return updated ? NextResponse.json(updated) : NextResponse.json({ error: 'not found' }, { status: 404 });", '}', '');
  L.push('/** DELETE: soft delete; admins only. */', 'export async function DELETE(request: NextRequest, { params }: Context) {', '  const user = await getSessionUser(request);',
    "  if (!user || !hasRole(user.role, 'admin')) return NextResponse.json({ error: 'forbidden' }, { status: 403 });", `  const archived = await archive${e.Name}(user.tenantId, (await params).id);`,
    '  return new NextResponse(null, { status: archived ? 204 : 404 });', '}', '');
  L.push('/** POST ?action=…: state transitions (and uploads), one switch per route file as Next.js wants. */', 'export async function POST(request: NextRequest, { params }: Context) {', '  const user = await getSessionUser(request);', ...unauthorized, '  const { id } = await params;',
    "  switch (request.nextUrl.searchParams.get('action')) {");
  L.push("    case 'permissions':", '      return NextResponse.json({', "        canEdit: hasRole(user.role, 'editor'),", "        canArchive: hasRole(user.role, 'admin'),",
    ...e.ops.map((op) => `        can${op[0].toUpperCase() + op.slice(1)}: hasRole(user.role, 'manager'),`), '      });');
  for (const op of e.ops) {
    L.push(`    case '${op}': {`, "      if (!hasRole(user.role, 'manager')) return NextResponse.json({ error: 'forbidden' }, { status: 403 });",
      '      const { reason } = ((await request.json().catch(() => ({}))) ?? {}) as { reason?: string };',
      `      return NextResponse.json(await ${op}${e.Name}(user.tenantId, id, user.id, reason?.slice(0, 500)));`, '    }');
  }
  if (hazard === 'fs-write') {
    L.push("    case 'attach': {", '      const form = await request.formData();', "      const file = form.get('file');", "      if (!(file instanceof Blob)) return NextResponse.json({ error: 'file missing' }, { status: 400 });",
      "      const target = path.join(process.cwd(), 'public', 'uploads', `${id}-${Date.now()}`);", '      await writeFile(target, Buffer.from(await file.arrayBuffer()));', '      return NextResponse.json({ url: `/uploads/${path.basename(target)}` }, { status: 201 });', '    }');
    hazards.push({ rule: 'no-local-disk-write', kind: 'next-route-fs-write' });
  }
  if (tmp) {
    L.push("    case 'checksum': {", '      // Scratch file in the OS temp dir, removed before the response.', '      const scratch = path.join(tmpdir(), `${randomUUID()}.bin`);',
      '      await writeFile(scratch, Buffer.from(await request.arrayBuffer()));', '      try {', "        return NextResponse.json({ sha256: createHash('sha256').update(await readFile(scratch)).digest('hex') });",
      '      } finally {', '        await unlink(scratch);', '      }', '    }');
    lookalikes.push('tmp-file-removed');
  }
  L.push('    default:', "      return NextResponse.json({ error: 'unknown action' }, { status: 400 });", '  }', '}');
  return result(L, hazards, lookalikes);
}
