// Express templates: routers with middleware chains, auth/validation middleware, the app entry.
// Handlers are partly inline and partly by reference, as in real code, because the core's
// request-path model has to resolve both.
import { capitalize } from './random.mjs';
import { result } from './shared-files.mjs';

/** Imports + module-level declarations + handler registrations for a router/plugin hazard or look-alike. */
export function moduleMapHazard(c, e, body = 'req.body') {
  const form = c.r.int(0, 2);
  if (form === 0) {
    const name = c.r.pick(['draftEdits', 'wizardProgress', 'unsavedChanges']);
    return {
      decl: [`// Drafts survive page reloads until the user saves.`, `const ${name} = new Map<string, Partial<${e.Name}Input>>();`],
      write: (key) => [`${name}.set(${key}, ${body} as Partial<${e.Name}Input>);`],
      read: (key) => `${name}.get(${key}) ?? {}`,
    };
  }
  if (form === 1) {
    const name = c.r.pick(['lastVisits', 'visitTimes']);
    return {
      decl: [`const ${name}: Record<string, string[]> = {};`],
      write: (key) => [`const history = (${name}[${key}] ??= []);`, 'history.unshift(new Date().toISOString());', `${name}[${key}] = history.slice(0, 20);`],
      read: (key) => `${name}[${key}] ?? []`,
    };
  }
  const name = c.r.pick(['selectedItems', 'pinnedByUser']);
  return {
    decl: [`const ${name} = new Map<string, Set<string>>();`],
    write: (key) => [`const pinned = ${name}.get(${key}) ?? new Set<string>();`, `pinned.add(String((${body} as { itemId?: unknown }).itemId));`, `${name}.set(${key}, pinned);`],
    read: (key) => `[...(${name}.get(${key}) ?? [])]`,
  };
}

export function expressRouterFile(c, { hazard } = {}) {
  const e = c.entity;
  const r = c.r;
  const R = `${e.name}Router`;
  const svc = [`archive${e.Name}`, `bulkArchive${e.Plural}`, `count${e.Plural}ByStatus`, `create${e.Name}`, `get${e.Name}`, `list${e.Plural}`, `update${e.Name}`, ...e.ops.map((op) => `${op}${e.Name}`)];
  const L = [
    "import { Router, type NextFunction, type Request, type Response } from 'express';",
    `import { requireAuth, requireRole } from '${c.imp(c.app.paths.auth)}';`,
    `import { validateBody } from '${c.imp(c.app.paths.validate)}';`,
    `import { is${e.Name}Input, parsePositiveInt } from '${c.imp(c.app.paths.validators)}';`,
    `import { escapeCsv, truncate } from '${c.imp(c.app.paths.strings)}';`,
    `import { ${svc.join(', ')} } from '${c.imp(e.serviceFile)}';`,
    `import type { ${e.Name}, ${e.Name}Filter, ${e.Name}Input, ${e.Name}SortKey, ${e.Name}Status } from '${c.imp(e.typesFile)}';`,
  ];
  const hazards = [];
  const lookalikes = ['per-request-locals'];
  const extraImports = [];
  const decls = [];
  const extraRoutes = [];
  const tail = `.catch(next)`;
  const wrap = (body) => ['  try {', ...body.map((l) => '    ' + l), '  } catch (error) {', '    next(error);', '  }'];

  if (hazard === 'module-map') {
    const m = moduleMapHazard(c, e);
    decls.push(...m.decl);
    const key = 'req.user!.id';
    extraRoutes.push(`${R}.put('/:id/draft', requireAuth, (req: Request, res: Response) => {`, ...m.write(key).map((l) => '  ' + l), "  res.status(202).json({ saved: true });", '});', '');
    extraRoutes.push(`${R}.get('/:id/draft', requireAuth, (req: Request, res: Response) => {`, `  res.json(${m.read(key)});`, '});', '');
    hazards.push({ rule: 'no-in-memory-session', kind: 'router-module-map' });
  } else if (hazard === 'fs-write') {
    const sync = r.chance(0.4);
    extraImports.push(sync ? "import fs from 'node:fs';" : "import { mkdir, writeFile } from 'node:fs/promises';", "import path from 'node:path';");
    decls.push("const SNAPSHOT_DIR = path.resolve(process.env.SNAPSHOT_DIR ?? 'snapshots');");
    extraRoutes.push(`${R}.post('/:id/snapshot', requireAuth, requireRole('manager'), async (req: Request, res: Response, next: NextFunction) => {`,
      ...wrap([`const item = await get${e.Name}(req.user!.tenantId, req.params.id);`, 'if (!item) {', "  res.status(404).json({ error: 'not found' });", '  return;', '}',
        'const file = path.join(SNAPSHOT_DIR, `${item.id}-${Date.now()}.json`);',
        ...(sync ? ['fs.mkdirSync(SNAPSHOT_DIR, { recursive: true });', 'fs.writeFileSync(file, JSON.stringify(item, null, 2));'] : ['await mkdir(SNAPSHOT_DIR, { recursive: true });', 'await writeFile(file, JSON.stringify(item, null, 2));']),
        'res.status(201).json({ snapshot: path.basename(file) });']), '});', '');
    hazards.push({ rule: 'no-local-disk-write', kind: 'handler-fs-write' });
  } else if (hazard === 'multer-dest') {
    extraImports.push("import multer from 'multer';");
    decls.push(`const upload = multer({ dest: '${r.pick(['uploads/', 'tmp/uploads', './public/files'])}' });`);
    extraRoutes.push(`${R}.post('/:id/attachments', requireAuth, upload.single('file'), (req: Request, res: Response) => {`, '  if (!req.file) {', "    res.status(400).json({ error: 'file is required' });", '    return;', '  }', '  res.status(201).json({ name: req.file.originalname, size: req.file.size, path: req.file.path });', '});', '');
    hazards.push({ rule: 'no-local-disk-write', kind: 'multer-dest' });
  }
  // Look-alikes that must stay quiet.
  if (!hazard && r.chance(0.3)) {
    extraImports.push("import multer from 'multer';");
    decls.push('// Uploads stay in memory and are streamed to object storage by the service.', 'const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 10 * 1024 * 1024 } });');
    extraRoutes.push(`${R}.post('/:id/attachments', requireAuth, upload.single('file'), (req: Request, res: Response) => {`, '  const size = req.file?.buffer.length ?? 0;', '  res.status(size > 0 ? 201 : 400).json({ size });', '});', '');
    lookalikes.push('multer-memory');
  }
  if (r.chance(0.3)) {
    extraImports.push("import { readFileSync } from 'node:fs';", ...(hazard === 'fs-write' ? [] : ["import path from 'node:path';"]));
    decls.push('// Read once at start-up.', `const PREVIEW_TEMPLATE = readFileSync(path.join(__dirname, '../templates/${e.name}-preview.html'), 'utf8');`);
    extraRoutes.push(`${R}.get('/:id/preview', requireAuth, async (req: Request, res: Response, next: NextFunction) => {`,
      ...wrap([`const item = await get${e.Name}(req.user!.tenantId, req.params.id);`, "res.setHeader('Content-Type', 'text/html');", "res.send(PREVIEW_TEMPLATE.replace('{{id}}', item?.id ?? '').replace('{{status}}', item?.status ?? 'missing'));"]), '});', '');
    lookalikes.push('startup-readfilesync');
  }
  L.push(...extraImports, '', `export const ${R} = Router();`, '');
  L.push(`const STATUS_LABELS: Record<${e.Name}Status, string> = {`, ...e.statuses.map((s) => `  ${s}: '${capitalize(s)}',`), '};', '');
  L.push(`const STATUS_VALUES = Object.keys(STATUS_LABELS) as ${e.Name}Status[];`, `const SORT_KEYS: ReadonlySet<string> = new Set(['createdAt', 'updatedAt']);`, '');
  if (decls.length) L.push(...decls, '');
  L.push('/** Reads list filters from the query string; unknown values are ignored rather than rejected. */', `function parseFilter(req: Request): ${e.Name}Filter {`,
    '  const { status, sort } = req.query;', '  return {', `    status: status && (STATUS_VALUES as readonly string[]).includes(status) ? (status as ${e.Name}Status) : undefined,`,
    '    search: req.query.q?.slice(0, 100),', '    createdAfter: req.query.from,', '    createdBefore: req.query.to,', `    sort: sort && SORT_KEYS.has(sort) ? (sort as ${e.Name}SortKey) : undefined,`,
    "    direction: req.query.direction === 'asc' ? 'asc' : 'desc',", '  };', '}', '');
  L.push(`/** What the API returns for a ${e.name}: adds a label and what the caller may do with it. */`, `function toResponse(item: ${e.Name}, role: string) {`, '  return {', '    ...item,',
    '    statusLabel: STATUS_LABELS[item.status],', '    permissions: {', "      canEdit: role !== 'viewer' && item.status !== 'archived',", "      canArchive: role === 'admin' || role === 'manager',",
    ...e.ops.map((op) => `      can${capitalize(op)}: role !== 'viewer',`), '    },', '  };', '}', '');

  const doc = (text) => `/** ${text} */`;
  const handlers = {
    list: () => [doc(`GET /${e.plural}: one page of ${e.plural}, filtered and sorted.`), `${R}.get('/', requireAuth, async (req: Request, res: Response, next: NextFunction) => {`,
      ...wrap(['const page = parsePositiveInt(req.query.page, 1);', 'const pageSize = parsePositiveInt(req.query.pageSize, 25, 200);',
        `const result = await list${e.Plural}(req.user!.tenantId, parseFilter(req), page, pageSize);`,
        'res.json({ ...result, items: result.items.map((item) => toResponse(item, req.user!.role)) });']), '});', ''],
    counts: () => [doc('GET /counts: totals per status for the dashboard tiles.'), `${R}.get('/counts', requireAuth, async (req: Request, res: Response, next: NextFunction) => {`,
      ...wrap([`const counts = await count${e.Plural}ByStatus(req.user!.tenantId);`, 'const total = Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);',
        'res.json({ total, counts, labels: STATUS_LABELS });']), '});', ''],
    bulkArchive: () => [doc('POST /bulk-archive: archive up to 100 records in one transaction.'), `${R}.post('/bulk-archive', requireAuth, requireRole('admin'), async (req: Request, res: Response, next: NextFunction) => {`,
      ...wrap(["const ids: unknown = req.body?.ids;", "if (!Array.isArray(ids) || ids.length > 100 || !ids.every((id) => typeof id === 'string')) {",
        "  res.status(400).json({ error: 'ids must be an array of at most 100 strings' });", '  return;', '}',
        `const archived = await bulkArchive${e.Plural}(req.user!.tenantId, ids as string[]);`, 'res.json({ requested: ids.length, archived });']), '});', ''],
    search: () => [doc('GET /search: quick lookup for the command palette.'), `${R}.get('/search', requireAuth, async (req: Request, res: Response, next: NextFunction) => {`,
      ...wrap(["const term = (req.query.q ?? '').trim();", 'if (term.length < 2) {', '  res.json({ results: [] });', '  return;', '}',
        `const { items } = await list${e.Plural}(req.user!.tenantId, { search: term }, 1, 10);`,
        `res.json({ results: items.map((item) => ({ id: item.id, label: truncate(String(item.${e.fields[0].name} ?? item.id), 60), status: STATUS_LABELS[item.status] })) });`]), '});', ''],
    permissions: () => [doc('GET /:id/permissions: what the current user may do with this record.'),
      `${R}.get('/:id/permissions', requireAuth, load${e.Name}, (req: Request, res: Response) => {`, `  res.json(toResponse(res.locals.${e.name} as ${e.Name}, req.user!.role).permissions);`, '});', ''],
    get: () => [`async function load${e.Name}(req: Request, res: Response, next: NextFunction): Promise<void> {`,
      ...wrap([`const item = await get${e.Name}(req.user!.tenantId, req.params.id);`, 'if (!item) {', `  res.status(404).json({ error: '${e.name} not found' });`, '  return;', '}', `res.locals.${e.name} = item;`, 'next();']), '}', '',
      doc(`GET /${e.plural}/:id`), `${R}.get('/:id', requireAuth, load${e.Name}, (req: Request, res: Response) => {`, `  res.json(toResponse(res.locals.${e.name} as ${e.Name}, req.user!.role));`, '});', ''],
    create: () => [doc(`POST /${e.plural}: validates the body, then creates.`), `${R}.post('/', requireAuth, requireRole('editor'), validateBody(is${e.Name}Input), create${e.Name}Handler);`, '',
      `async function create${e.Name}Handler(req: Request, res: Response, next: NextFunction): Promise<void> {`,
      ...wrap([`const created = await create${e.Name}(req.user!.tenantId, req.body as ${e.Name}Input, req.user!.id);`, `res.status(201).json(created);`]), '}', ''],
    update: () => [doc('PATCH and DELETE on one record share the route.'), `${R}`, "  .route('/:id')", '  .patch(requireAuth, async (req: Request, res: Response, next: NextFunction) => {',
      `    const updated = await update${e.Name}(req.user!.tenantId, req.params.id, req.body)${tail};`, '    if (updated) res.json(updated);', '    else if (!res.headersSent) res.sendStatus(404);', '  })',
      "  .delete(requireAuth, requireRole('admin'), async (req: Request, res: Response, next: NextFunction) => {",
      `    const archived = await archive${e.Name}(req.user!.tenantId, req.params.id)${tail};`, '    res.sendStatus(archived ? 204 : 404);', '  });', ''],
    ops: () => e.ops.flatMap((op) => [doc(`POST /${e.plural}/:id/${op}`), `${R}.post('/:id/${op}', requireAuth, requireRole('${r.pick(['manager', 'admin', 'editor'])}'), async (req: Request, res: Response, next: NextFunction) => {`,
      ...wrap(["const reason = typeof req.body?.reason === 'string' ? req.body.reason.slice(0, 500) : undefined;",
        `const updated = await ${op}${e.Name}(req.user!.tenantId, req.params.id, req.user!.id, reason);`, 'res.json(toResponse(updated, req.user!.role));']), '});', '']),
    bulk: () => [doc('POST /bulk: import many records; reports which ones were rejected.'), `${R}.post('/bulk', requireAuth, requireRole('admin'), async (req: Request, res: Response, next: NextFunction) => {`,
      ...wrap(['const items: unknown[] = Array.isArray(req.body?.items) ? req.body.items : [];', '// Per-request bookkeeping: lives and dies with this request.',
        'const seen = new Set<string>();', 'const rejected: Array<{ index: number; reason: string }> = [];', 'let created = 0;',
        'for (const [index, item] of items.entries()) {', `  if (!is${e.Name}Input(item)) {`, "    rejected.push({ index, reason: 'invalid' });", '    continue;', '  }',
        '  const key = JSON.stringify(item);', '  if (seen.has(key)) {', "    rejected.push({ index, reason: 'duplicate' });", '    continue;', '  }', '  seen.add(key);',
        `  await create${e.Name}(req.user!.tenantId, item, req.user!.id);`, '  created++;', '}', 'res.status(rejected.length ? 207 : 201).json({ created, rejected });']), '});', ''],
    csv: () => [doc('GET /export.csv: streams the filtered list as CSV (first 1000 rows).'), `${R}.get('/export.csv', requireAuth, async (req: Request, res: Response, next: NextFunction) => {`,
      ...wrap([`const { items } = await list${e.Plural}(req.user!.tenantId, parseFilter(req), 1, 1000);`,
        `const header = ['id', 'status', ${e.fields.slice(0, 3).map((f) => `'${f.name}'`).join(', ')}];`,
        `const rows = items.map((item) => [item.id, STATUS_LABELS[item.status], ${e.fields.slice(0, 3).map((f) => `item.${f.name}`).join(', ')}].map(escapeCsv).join(','));`,
        "res.setHeader('Content-Type', 'text/csv; charset=utf-8');", "res.send([header.join(','), ...rows].join('\\n'));"]), '});', ''],
    stats: () => [doc('GET /stats: small aggregate computed per request.'), `${R}.get('/stats', requireAuth, async (req: Request, res: Response, next: NextFunction) => {`,
      ...wrap([`const { items, total } = await list${e.Plural}(req.user!.tenantId, {}, 1, 500);`, 'const byStatus: Record<string, number> = {};',
        'for (const item of items) byStatus[item.status] = (byStatus[item.status] ?? 0) + 1;',
        "const newest = items[0] ? truncate(String(items[0].id), 12) : null;", 'res.json({ total, byStatus, newest });']), '});', ''],
  };
  // 'ops' always: a hazard planted in a service's first operation must be reachable from a route.
  const order = ['list', 'get', 'create', 'update', 'ops', ...r.sample(['bulk', 'csv', 'stats', 'counts', 'bulkArchive', 'search', 'permissions'], r.int(2, 7))];
  for (const h of order) L.push(...handlers[h]());
  L.push(...extraRoutes);
  while (L[L.length - 1] === '') L.pop();
  return result(L, hazards, lookalikes);
}

export function authMiddlewareFile() {
  return result([
    "import type { NextFunction, Request, Response } from 'express';",
    "import { createHmac, timingSafeEqual } from 'node:crypto';",
    '',
    "const SECRET = process.env.JWT_SECRET ?? 'dev-only-secret';",
    'const ROLE_RANK: Readonly<Record<string, number>> = { viewer: 1, support: 2, editor: 3, finance: 3, manager: 4, auditor: 4, admin: 5 };',
    '',
    'interface TokenClaims {',
    '  sub: string;',
    '  role: string;',
    '  tenant: string;',
    '  exp: number;',
    '}',
    '',
    'export function verifyToken(token: string): TokenClaims | undefined {',
    "  const [payload, signature] = token.split('.');",
    '  if (!payload || !signature) return undefined;',
    "  const expected = createHmac('sha256', SECRET).update(payload).digest('base64url');",
    '  const a = Buffer.from(signature);',
    '  const b = Buffer.from(expected);',
    '  if (a.length !== b.length || !timingSafeEqual(a, b)) return undefined;',
    "  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;",
    '  return claims.exp * 1000 > Date.now() ? claims : undefined;',
    '}',
    '',
    'export function requireAuth(req: Request, res: Response, next: NextFunction): void {',
    "  const header = req.headers.authorization ?? '';",
    "  const claims = header.startsWith('Bearer ') ? verifyToken(header.slice(7)) : undefined;",
    '  if (!claims) {',
    "    res.status(401).json({ error: 'unauthenticated' });",
    '    return;',
    '  }',
    '  req.user = { id: claims.sub, role: claims.role, tenantId: claims.tenant };',
    '  next();',
    '}',
    '',
    'export function requireRole(role: string) {',
    '  const needed = ROLE_RANK[role] ?? Number.POSITIVE_INFINITY;',
    '  return (req: Request, res: Response, next: NextFunction): void => {',
    '    const rank = req.user ? ROLE_RANK[req.user.role] ?? 0 : 0;',
    '    if (rank < needed) {',
    "      res.status(403).json({ error: 'forbidden', needed: role });",
    '      return;',
    '    }',
    '    next();',
    '  };',
    '}',
    '',
    '/** Like requireAuth, but anonymous requests pass through without `req.user`. */',
    'export function optionalAuth(req: Request, _res: Response, next: NextFunction): void {',
    "  const header = req.headers.authorization ?? '';",
    "  const claims = header.startsWith('Bearer ') ? verifyToken(header.slice(7)) : undefined;",
    '  if (claims) req.user = { id: claims.sub, role: claims.role, tenantId: claims.tenant };',
    '  next();',
    '}',
    '',
    '/** Rejects requests whose tenant header disagrees with the token (defence in depth). */',
    'export function requireMatchingTenant(req: Request, res: Response, next: NextFunction): void {',
    "  const headerTenant = req.headers['x-tenant-id'];",
    '  if (headerTenant && req.user && headerTenant !== req.user.tenantId) {',
    "    res.status(403).json({ error: 'tenant mismatch' });",
    '    return;',
    '  }',
    '  next();',
    '}',
    '',
    '/** Signs claims; used by the login route and by tests. */',
    'export function signToken(claims: Omit<TokenClaims, \'exp\'>, ttlSeconds = 3600): string {',
    "  const payload = Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) + ttlSeconds })).toString('base64url');",
    "  return `${payload}.${createHmac('sha256', SECRET).update(payload).digest('base64url')}`;",
    '}',
  ], [], ['readonly-table']);
}

export function validateMiddlewareFile(c) {
  return result([
    "import type { NextFunction, Request, Response } from 'express';",
    "import { randomUUID } from 'node:crypto';",
    `import { logger } from '${c.imp(c.app.paths.logger)}';`,
    '',
    'export function validateBody<T>(guard: (value: unknown) => value is T, label = \'body\') {',
    '  return (req: Request, res: Response, next: NextFunction): void => {',
    '    if (!guard(req.body)) {',
    '      res.status(400).json({ error: `invalid ${label}` });',
    '      return;',
    '    }',
    '    next();',
    '  };',
    '}',
    '',
    'export function errorHandler(error: unknown, req: Request, res: Response, _next: NextFunction): void {',
    '  const status = typeof (error as { status?: unknown }).status === \'number\' ? (error as { status: number }).status : 500;',
    "  logger.error('request failed', { path: req.ip, status, message: error instanceof Error ? error.message : String(error) });",
    "  res.status(status).json({ error: status === 500 ? 'internal error' : (error as Error).message });",
    '}',
    '',
    '/** Adds a request id (from the load balancer when present) to the response and to res.locals. */',
    'export function requestId(req: Request, res: Response, next: NextFunction): void {',
    "  const id = req.headers['x-request-id'] ?? randomUUID();",
    "  res.setHeader('X-Request-Id', id);",
    '  res.locals.requestId = id;',
    '  next();',
    '}',
    '',
    '/** Logs one line per request with its duration. */',
    'export function accessLog(req: Request, res: Response, next: NextFunction): void {',
    '  const started = process.hrtime.bigint();',
    '  next();',
    '  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;',
    "  logger.info('request', { requestId: res.locals.requestId, user: req.user?.id, elapsedMs: Math.round(elapsedMs) });",
    '}',
    '',
    "const SECURITY_HEADERS: ReadonlyArray<[string, string]> = [",
    "  ['X-Content-Type-Options', 'nosniff'],",
    "  ['X-Frame-Options', 'DENY'],",
    "  ['Referrer-Policy', 'no-referrer'],",
    "  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],",
    '];',
    '',
    'export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {',
    '  for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);',
    '  next();',
    '}',
    '',
    'export function notFound(_req: Request, res: Response): void {',
    "  res.status(404).json({ error: 'no such route' });",
    '}',
  ]);
}

export function expressEntryFile(c, { hazard } = {}) {
  const app = c.app;
  const L = ["import express from 'express';", "import path from 'node:path';", "import { readFileSync } from 'node:fs';"];
  const hazards = [];
  const lookalikes = ['startup-readfilesync'];
  const variant = hazard ? 'default-store' : c.r.pick(['redis', 'redis', 'cookie', 'none']);
  if (variant === 'default-store' || variant === 'redis') L.push("import session from 'express-session';");
  if (variant === 'redis') L.push("import { RedisStore } from 'connect-redis';", "import { createClient } from 'redis';");
  if (variant === 'cookie') L.push("import cookieSession from 'cookie-session';");
  L.push(`import { accessLog, errorHandler, notFound, requestId, securityHeaders } from '${c.imp(app.paths.validate)}';`, `import { db } from '${c.imp(app.paths.db)}';`, `import { logger } from '${c.imp(app.paths.logger)}';`);
  for (const e of app.entities) L.push(`import { ${e.name}Router } from '${c.imp(e.handlerFile)}';`);
  L.push('', "const { version } = JSON.parse(readFileSync(path.join(__dirname, '../package.json'), 'utf8')) as { version: string };", '');
  L.push('export const app = express();', "app.set('trust proxy', 1);", 'app.use(requestId);', 'app.use(securityHeaders);', 'app.use(accessLog);', "app.use(express.json({ limit: '1mb' }));", 'app.use(express.urlencoded({ extended: false }));');
  const cookie = "  cookie: { secure: process.env.NODE_ENV === 'production', httpOnly: true, sameSite: 'lax', maxAge: 8 * 60 * 60 * 1000 },";
  if (variant === 'default-store') {
    L.push('app.use(', '  session({', "    secret: process.env.SESSION_SECRET ?? 'change-me',", '    resave: false,', '    saveUninitialized: false,', '  ' + cookie, '  }),', ');');
    hazards.push({ rule: 'no-in-memory-session', kind: 'express-session-default-store' });
  } else if (variant === 'redis') {
    L.push('', 'const redisClient = createClient({ url: process.env.REDIS_URL });', "redisClient.connect().catch((error) => logger.error('redis connect failed', { error: String(error) }));");
    L.push('app.use(', '  session({', `    store: new RedisStore({ client: redisClient, prefix: '${app.name}:sess:' }),`, "    secret: process.env.SESSION_SECRET ?? 'change-me',", '    resave: false,', '    saveUninitialized: false,', '  ' + cookie, '  }),', ');');
    lookalikes.push('session-with-store');
  } else if (variant === 'cookie') {
    L.push("app.use(cookieSession({ name: 'sid', keys: [process.env.COOKIE_KEY ?? 'dev-key'], maxAge: 24 * 60 * 60 * 1000 }));");
    lookalikes.push('cookie-session');
  }
  L.push('');
  for (const e of app.entities) L.push(`app.use('/api/${e.plural}', ${e.name}Router);`);
  L.push('', '// Liveness: the process is up. Readiness: it can reach its dependencies.', "app.get('/healthz', (_req, res) => {", '  res.json({ ok: true, version });', '});',
    "app.get('/readyz', async (_req, res) => {", '  const database = await db.ping();', '  res.status(database ? 200 : 503).json({ database });', '});', '', 'app.use(notFound);', 'app.use(errorHandler);', '');
  L.push('export function start(port = Number(process.env.PORT ?? 3000)) {', `  const server = app.listen(port, () => logger.info('${app.name} listening', { port, version }));`,
    '  // Stop accepting connections, let in-flight requests finish, then exit.', '  const shutdown = (signal: string) => {', "    logger.info('shutting down', { signal });", '    server.close();',
    '    db.close().finally(() => process.exit(0));', '  };', "  process.once('SIGTERM', () => shutdown('SIGTERM'));", "  process.once('SIGINT', () => shutdown('SIGINT'));", '  return server;', '}', '');
  L.push('if (require.main === module) start();');
  return result(L, hazards, lookalikes);
}
