// Domain service templates: the code request handlers call into. The same operations are
// emitted as exported functions (Express/Fastify/Next.js) or as methods of a NestJS
// @Injectable class, so the core's call-following works on both shapes.
import { capitalize } from './random.mjs';
import { result } from './shared-files.mjs';

const sqlName = (field) => field.replace(/[A-Z]/g, (m) => '_' + m.toLowerCase());

export function transitionsTable(e) {
  const L = ['// Which status may follow which. Read-only.', `const ALLOWED_TRANSITIONS: Partial<Record<${e.Name}Status, readonly ${e.Name}Status[]>> = {`];
  e.statuses.forEach((s, i) => L.push(`  ${s}: [${e.statuses.slice(i + 1).map((t) => `'${t}'`).join(', ')}],`));
  L.push('};');
  return L;
}

/**
 * CRUD + domain operations. `method` emits class methods (calls go through `this.`);
 * `stateWrite` injects a planted hazard into the first domain operation.
 */
export function serviceOperations(c, { indent = '', method = false, stateWrite } = {}) {
  const e = c.entity;
  const self = method ? 'this.' : '';
  const cols = e.fields.map((f) => sqlName(f.name));
  const L = [];
  const fn = (doc, sig) => L.push(`${indent}/** ${doc} */`, method ? `${indent}async ${sig} {` : `export async function ${sig} {`);
  const push = (...lines) => L.push(...lines.map((l) => (l ? indent + l : l)));
  const log = (msg, fields) => (method ? `  this.logger.log(\`${msg}\`);` : `  logger.info(\`${msg}\`, ${fields});`);

  fn(`Lists ${e.plural} of a tenant, newest first, with optional filters.`, `list${e.Plural}(tenantId: string, filter: ${e.Name}Filter = {}, page = 1, pageSize = DEFAULT_PAGE_SIZE): Promise<${e.Name}ListResult>`);
  push("  const where: string[] = ['tenant_id = $1'];", '  const params: unknown[] = [tenantId];');
  push('  if (filter.status) {', '    params.push(filter.status);', '    where.push(`status = $${params.length}`);', '  }');
  push('  if (filter.search) {', '    params.push(`%${filter.search.trim()}%`);', `    where.push(\`${cols[0]}::text ILIKE $\${params.length}\`);`, '  }');
  push('  if (filter.createdAfter) {', '    params.push(filter.createdAfter);', '    where.push(`created_at >= $${params.length}`);', '  }');
  push('  if (filter.createdBefore) {', '    params.push(filter.createdBefore);', '    where.push(`created_at < $${params.length}`);', '  }');
  push("  const order = `${SORT_COLUMNS[filter.sort ?? 'createdAt']} ${filter.direction === 'asc' ? 'ASC' : 'DESC'}`;");
  push('  const size = Math.min(pageSize, MAX_PAGE_SIZE);', '  const offset = (Math.max(page, 1) - 1) * size;');
  push(`  const items = await db.query<${e.Name}>(\`SELECT * FROM ${e.plural} WHERE \${where.join(' AND ')} ORDER BY \${order} LIMIT \${size} OFFSET \${offset}\`, params);`);
  push(`  const [count] = await db.query<{ total: number }>(\`SELECT count(*)::int AS total FROM ${e.plural} WHERE \${where.join(' AND ')}\`, params);`);
  push('  return { items, total: count?.total ?? 0, page, pageSize: size };', '}', '');

  fn(`Returns one ${e.name}, or undefined when it does not exist in this tenant.`, `get${e.Name}(tenantId: string, id: string): Promise<${e.Name} | undefined>`);
  push(`  return db.one<${e.Name}>('SELECT * FROM ${e.plural} WHERE tenant_id = $1 AND id = $2', [tenantId, id]);`, '}', '');

  fn(`Creates a ${e.name} in its initial status.`, `create${e.Name}(tenantId: string, input: ${e.Name}Input, actorId: string): Promise<${e.Name}>`);
  push(`  const problems = ${self}validate${e.Name}Input(input);`, "  if (problems.length > 0) throw Object.assign(new Error(problems.join('; ')), { status: 422 });", '  const now = new Date().toISOString();');
  push(`  const rows = await db.query<${e.Name}>(`, `    'INSERT INTO ${e.plural} (tenant_id, status, ${cols.join(', ')}, created_at, updated_at) VALUES ($1, $2, ${cols.map((_, i) => `$${i + 3}`).join(', ')}, $${cols.length + 3}, $${cols.length + 3}) RETURNING *',`);
  push(`    [tenantId, '${e.statuses[0]}', ${e.fields.map((f) => `input.${f.name}`).join(', ')}, now],`, '  );');
  push(log(`${e.name} \${rows[0]?.id} created by \${actorId}`, '{ tenantId }'), '  return rows[0]!;', '}', '');

  fn(`Applies a partial update; rejects it when someone else changed the ${e.name} meanwhile.`, `update${e.Name}(tenantId: string, id: string, patch: ${e.Name}Patch): Promise<${e.Name} | undefined>`);
  push(`  const current = await ${self}get${e.Name}(tenantId, id);`, '  if (!current) return undefined;');
  push('  if (patch.expectedUpdatedAt && patch.expectedUpdatedAt !== current.updatedAt) {', `    throw Object.assign(new Error('${e.name} was modified by someone else'), { status: 409 });`, '  }');
  push('  const sets: string[] = [];', '  const params: unknown[] = [tenantId, id];');
  push(`  for (const key of Object.keys(patch) as Array<keyof ${e.Name}Patch>) {`, "    if (key === 'expectedUpdatedAt') continue;", '    params.push(patch[key]);', "    sets.push(`${key.replace(/[A-Z]/g, (m) => '_' + m.toLowerCase())} = $${params.length}`);", '  }');
  push('  if (sets.length === 0) return current;');
  push(`  return db.one<${e.Name}>(\`UPDATE ${e.plural} SET \${sets.join(', ')}, updated_at = now() WHERE tenant_id = $1 AND id = $2 RETURNING *\`, params);`, '}', '');

  fn(`Soft-deletes a ${e.name}. Returns false when nothing matched.`, `archive${e.Name}(tenantId: string, id: string): Promise<boolean>`);
  push(`  const rows = await db.query<{ id: string }>("UPDATE ${e.plural} SET status = 'archived', updated_at = now() WHERE tenant_id = $1 AND id = $2 RETURNING id", [tenantId, id]);`);
  push('  return rows.length > 0;', '}', '');

  fn(`Archives many ${e.plural} atomically.`, `bulkArchive${e.Plural}(tenantId: string, ids: readonly string[]): Promise<number>`);
  push('  if (ids.length === 0) return 0;', '  return db.transaction(async (q) => {', '    let archived = 0;', '    for (const id of ids) {',
    `      const rows = await q<{ id: string }>("UPDATE ${e.plural} SET status = 'archived' WHERE tenant_id = $1 AND id = $2 RETURNING id", [tenantId, id]);`,
    '      archived += rows.length;', '    }', '    return archived;', '  });', '}', '');

  fn(`Counts ${e.plural} per status for the dashboard.`, `count${e.Plural}ByStatus(tenantId: string): Promise<Partial<Record<${e.Name}Status, number>>>`);
  push(`  const rows = await db.query<{ status: ${e.Name}Status; count: number }>('SELECT status, count(*)::int AS count FROM ${e.plural} WHERE tenant_id = $1 GROUP BY status', [tenantId]);`);
  push(`  const counts: Partial<Record<${e.Name}Status, number>> = {};`, '  for (const row of rows) counts[row.status] = row.count;', '  return counts;', '}', '');

  for (const [i, op] of e.ops.entries()) {
    const target = e.statuses[Math.min(i + 1, e.statuses.length - 1)];
    fn(`Moves a ${e.name} to \`${target}\` (${op}) and records who did it.`, `${op}${e.Name}(tenantId: string, id: string, actorId: string, reason?: string): Promise<${e.Name}>`);
    push(`  const current = await ${self}get${e.Name}(tenantId, id);`, `  if (!current) throw Object.assign(new Error('${e.name} not found'), { status: 404 });`);
    push('  const allowed = ALLOWED_TRANSITIONS[current.status] ?? [];', `  if (!allowed.includes('${target}')) {`, `    throw Object.assign(new Error(\`cannot ${op} a ${e.name} that is \${current.status}\`), { status: 409 });`, '  }');
    if (stateWrite && stateWrite.op === op) push(...stateWrite.lines);
    push(`  const updated = await db.transaction(async (q) => {`, `    const [row] = await q<${e.Name}>(`, `      "UPDATE ${e.plural} SET status = '${target}', updated_at = now() WHERE tenant_id = $1 AND id = $2 RETURNING *",`, '      [tenantId, id],', '    );');
    push("    await q('INSERT INTO audit_log (tenant_id, entity, entity_id, action, actor_id, reason) VALUES ($1, $2, $3, $4, $5, $6)', [", `      tenantId, '${e.name}', id, '${op}', actorId, reason ?? null,`, '    ]);', '    return row;', '  });');
    push(log(`${op} ${e.name} \${id}`, '{ tenantId, actorId }'), '  return updated!;', '}', '');
  }

  fn(`${e.Plural} created in [from, to), oldest first; used by the weekly report.`, `find${e.Plural}CreatedBetween(tenantId: string, from: Date, to: Date): Promise<${e.Name}[]>`);
  push('  if (to <= from) return [];', '  const rows: ' + e.Name + '[] = [];', '  // Page through the range a week at a time to keep result sets small.',
    '  for (let start = from; start < to; start = new Date(start.getTime() + 7 * 86_400_000)) {', '    const end = new Date(Math.min(start.getTime() + 7 * 86_400_000, to.getTime()));',
    `    const page = await db.query<${e.Name}>('SELECT * FROM ${e.plural} WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3 ORDER BY created_at', [tenantId, start.toISOString(), end.toISOString()]);`,
    '    rows.push(...page);', '  }', '  return rows;', '}', '');

  fn(`Imports many ${e.plural}; invalid rows are reported, valid ones inserted in one transaction.`, `import${e.Plural}(tenantId: string, inputs: readonly ${e.Name}Input[], actorId: string): Promise<{ imported: number; errors: Array<{ index: number; problems: string[] }> }>`);
  push('  const errors: Array<{ index: number; problems: string[] }> = [];', `  const valid: ${e.Name}Input[] = [];`, '  inputs.forEach((input, index) => {',
    `    const problems = ${self}validate${e.Name}Input(input);`, '    if (problems.length > 0) errors.push({ index, problems });', '    else valid.push(input);', '  });',
    '  if (valid.length === 0) return { imported: 0, errors };', '  const imported = await db.transaction(async (q) => {', '    let count = 0;', '    for (const input of valid) {',
    `      await q('INSERT INTO ${e.plural} (tenant_id, status, ${cols.join(', ')}) VALUES ($1, $2, ${cols.map((_, i) => `$${i + 3}`).join(', ')})', [tenantId, '${e.statuses[0]}', ${e.fields.map((f) => `input.${f.name}`).join(', ')}]);`,
    '      count++;', '    }', '    return count;', '  });', log(`imported \${imported} ${e.plural}`, '{ tenantId, actorId, rejected: errors.length }'), '  return { imported, errors };', '}', '');

  L.push(`${indent}/** Field-level checks that the type guard cannot express. */`, method ? `${indent}validate${e.Name}Input(input: ${e.Name}Input): string[] {` : `export function validate${e.Name}Input(input: ${e.Name}Input): string[] {`);
  push('  const problems: string[] = [];');
  for (const f of e.fields) {
    if (f.type === 'number') push(`  if (!Number.isFinite(input.${f.name}) || input.${f.name} < 0) problems.push('${f.name} must be a non-negative number');`);
    else if (f.type === 'string') push(`  if (input.${f.name}.length > 500) problems.push('${f.name} is too long');`);
    else if (f.type === 'string[]') push(`  if (input.${f.name}.length > 20) problems.push('at most 20 ${f.name}');`);
  }
  push('  return problems;', '}', '');

  L.push(`${indent}/** Flattens a ${e.name} for CSV exports. */`, method ? `${indent}toExportRow(item: ${e.Name}): Record<string, string> {` : `export function toExportRow(item: ${e.Name}): Record<string, string> {`);
  push('  return {', '    id: item.id,', '    status: item.status,', ...e.fields.map((f) => `    ${f.name}: String(item.${f.name} ?? ''),`), '    createdAt: item.createdAt,', '  };', '}');
  return L;
}

function serviceHeader(c) {
  const e = c.entity;
  const sortable = ['createdAt', 'updatedAt', ...e.fields.filter((f) => /number|string$/.test(f.type)).slice(0, 2).map((f) => f.name)];
  return ['const DEFAULT_PAGE_SIZE = 25;', 'const MAX_PAGE_SIZE = 200;', '', ...transitionsTable(e), '',
    `const SORT_COLUMNS: Readonly<Record<${e.Name}SortKey, string>> = {`, ...sortable.map((k) => `  ${k}: '${sqlName(k)}',`), '};'];
}

const typeImports = (c) => {
  const e = c.entity;
  return `import type { ${e.Name}, ${e.Name}Filter, ${e.Name}Input, ${e.Name}ListResult, ${e.Name}Patch, ${e.Name}SortKey, ${e.Name}Status } from '${c.imp(e.typesFile)}';`;
};

/** Function-style domain service (Express, Fastify and Next.js apps). */
export function serviceFile(c, { hazard } = {}) {
  const e = c.entity;
  const L = [`import { db } from '${c.imp(c.app.paths.db)}';`, `import { logger } from '${c.imp(c.app.paths.logger)}';`, typeImports(c), '', ...serviceHeader(c), ''];
  const hazards = [];
  const lookalikes = ['readonly-table'];
  let stateWrite;
  if (hazard) {
    // Avoid cache/lock-like names (pending…, …Cache): core leaves those to other rules on purpose.
    const name = c.r.pick(['reviewRequests', 'recentEditors', 'draftOwners', 'lastActorById']);
    L.push('// Who asked for the last status change, shown in the admin UI.', `const ${name} = new Map<string, { actorId: string; at: number }>();`, '');
    L.push(`export function last${capitalize(e.ops[0])}Request(id: string): { actorId: string; at: number } | undefined {`, `  return ${name}.get(id);`, '}', '');
    stateWrite = { op: e.ops[0], lines: [`  ${name}.set(id, { actorId, at: Date.now() });`] };
    hazards.push({ rule: 'no-in-memory-session', kind: 'service-module-map', needsTypes: true });
  }
  if (c.r.chance(0.35)) {
    L.push('// Compiled once at start-up; only read on requests.', 'const SEARCH_PATTERNS = new Map<string, RegExp>();');
    L.push("for (const [name, source] of Object.entries({ code: '^[A-Z]{3}\\\\d+$', email: '^[^@]+@[^@]+$' })) {", "  SEARCH_PATTERNS.set(name, new RegExp(source, 'i'));", '}', '');
    L.push('export function classifySearch(term: string): string | undefined {', '  for (const [name, pattern] of SEARCH_PATTERNS) if (pattern.test(term)) return name;', '  return undefined;', '}', '');
    lookalikes.push('startup-map-write');
  }
  L.push(...serviceOperations(c, { stateWrite }));
  return result(L, hazards, lookalikes);
}

/** NestJS provider: a singleton, so its fields are shared by every request. */
export function nestServiceFile(c, { hazard } = {}) {
  const e = c.entity;
  const L = ["import { Injectable, Logger } from '@nestjs/common';", `import { db } from '${c.imp(c.app.paths.db)}';`, typeImports(c), '', ...serviceHeader(c), '',
    '@Injectable()', `export class ${e.Plural}Service {`, `  private readonly logger = new Logger(${e.Plural}Service.name);`];
  let stateWrite;
  const hazards = [];
  if (hazard) {
    L.push('  // Shown on the dashboard: who requested the last change.', '  private readonly lastRequestedBy = new Map<string, string>();');
    stateWrite = { op: e.ops[0], lines: ['  this.lastRequestedBy.set(id, actorId);'] };
    hazards.push({ rule: 'no-in-memory-session', kind: 'nest-service-field', needsTypes: true });
  }
  L.push('', ...serviceOperations(c, { indent: '  ', method: true, stateWrite }), '}');
  return result(L, hazards, ['readonly-table']);
}
