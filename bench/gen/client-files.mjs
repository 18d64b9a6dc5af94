// Client components (.tsx), Next.js pages, test files and one-off scripts. These are the
// places where "state" and "disk writes" are fine: browser module state, test fixtures,
// CLIs. They are look-alikes the core must keep quiet on, and bulk that a linter parses anyway.
import { result } from './shared-files.mjs';

export function listComponentFile(c) {
  const e = c.entity;
  const cols = e.fields.slice(0, Math.min(4, e.fields.length));
  const L = ["'use client';", '', "import { useCallback, useEffect, useMemo, useState } from 'react';", `import type { ${e.Name}, ${e.Name}Status } from '${c.imp(e.typesFile)}';`,
    `import { truncate } from '${c.imp(c.app.paths.strings)}';`, '',
    '// Browser module state: one per tab, never shared across users. Not a scaling hazard.', 'const expandedRows = new Set<string>();', '',
    'type InputEvent = { target: { value: string } };', '',
    '/** Delays a fast-changing value (typing) so we do not fetch on every keystroke. */', 'function useDebounced<T>(value: T, delayMs = 250): T {', '  const [debounced, setDebounced] = useState(value);',
    '  useEffect(() => {', '    const timer = setTimeout(() => setDebounced(value), delayMs);', '    return () => clearTimeout(timer);', '  }, [value, delayMs]);', '  return debounced;', '}', '',
    'function Pager({ page, pages, onChange }: { page: number; pages: number; onChange: (page: number) => void }) {', '  if (pages <= 1) return null;', '  return (', '    <nav className="pager" aria-label="pagination">',
    '      <button type="button" disabled={page <= 1} onClick={() => onChange(page - 1)}>', '        Previous', '      </button>', '      <span>', '        {page} / {pages}', '      </span>',
    '      <button type="button" disabled={page >= pages} onClick={() => onChange(page + 1)}>', '        Next', '      </button>', '    </nav>', '  );', '}', '',
    `function EmptyState({ query }: { query: string }) {`, `  return <p className="empty">{query ? \`No ${e.plural} match “\${query}”.\` : 'Nothing here yet.'}</p>;`, '}', '',
    `interface ${e.Name}ListProps {`, `  initialItems?: ${e.Name}[];`, '  pageSize?: number;', `  onSelect?: (item: ${e.Name}) => void;`, '}', '',
    `const COLUMNS: ReadonlyArray<{ key: keyof ${e.Name}; label: string }> = [`, "  { key: 'id', label: 'ID' },", "  { key: 'status', label: 'Status' },",
    ...cols.map((f) => `  { key: '${f.name}', label: '${f.name.replace(/([A-Z])/g, ' $1').replace(/^./, (m) => m.toUpperCase())}' },`), '];', '',
    `export function ${e.Name}List({ initialItems = [], pageSize = 20, onSelect }: ${e.Name}ListProps) {`,
    `  const [items, setItems] = useState<${e.Name}[]>(initialItems);`, "  const [query, setQuery] = useState('');", `  const [status, setStatus] = useState<${e.Name}Status | ''>('');`,
    '  const [loading, setLoading] = useState(false);', '  const [error, setError] = useState<string | null>(null);', '  const [page, setPage] = useState(1);', '  const [total, setTotal] = useState(initialItems.length);',
    '  const [, forceRender] = useState(0);', '  const debouncedQuery = useDebounced(query);', '',
    '  useEffect(() => {', '    let cancelled = false;', '    setLoading(true);',
    `    fetch(\`/api/${e.plural}?q=\${encodeURIComponent(debouncedQuery)}&status=\${status}&page=\${page}&pageSize=\${pageSize}\`)`,
    `      .then((response) => (response.ok ? (response.json() as Promise<{ items: ${e.Name}[] }>) : Promise.reject(new Error(response.statusText))))`,
    `      .then((data: { items: ${e.Name}[]; total?: number }) => {`, '        if (cancelled) return;', '        setItems(data.items);', '        setTotal(data.total ?? data.items.length);', '      })', '      .catch((err: Error) => {', '        if (!cancelled) setError(err.message);', '      })',
    '      .finally(() => {', '        if (!cancelled) setLoading(false);', '      });', '    return () => {', '      cancelled = true;', '    };', '  }, [debouncedQuery, status, page, pageSize]);', '',
    '  const toggle = useCallback((id: string) => {', '    if (expandedRows.has(id)) expandedRows.delete(id);', '    else expandedRows.add(id);', '    forceRender((n) => n + 1);', '  }, []);', '',
    `  const visible = useMemo(() => items.filter((item) => item.status !== 'archived'), [items]);`, '',
    '  return (', `    <section className="${e.name}-list">`, '      <header>', `        <h2>${e.Plural}</h2>`,
    `        <input value={query} onChange={(event: InputEvent) => setQuery(event.target.value)} placeholder="Search ${e.plural}" />`,
    `        <select value={status} onChange={(event: InputEvent) => setStatus(event.target.value as ${e.Name}Status | '')}>`, '          <option value="">All</option>',
    ...e.statuses.map((s) => `          <option value="${s}">${s}</option>`), '        </select>', '      </header>',
    '      {error ? <p className="error">{error}</p> : null}', '      {loading ? <p className="muted">Loading…</p> : null}', '      <table>', '        <thead>', '          <tr>',
    '            {COLUMNS.map((column) => (', '              <th key={String(column.key)}>{column.label}</th>', '            ))}', '          </tr>', '        </thead>', '        <tbody>',
    '          {visible.map((item) => (', '            <tr key={item.id} onClick={() => onSelect?.(item)} onDoubleClick={() => toggle(item.id)}>',
    '              {COLUMNS.map((column) => (', '                <td key={String(column.key)}>{truncate(String(item[column.key] ?? \'\'), expandedRows.has(item.id) ? 400 : 40)}</td>', '              ))}',
    '            </tr>', '          ))}', '        </tbody>', '      </table>', '      {visible.length === 0 && !loading ? <EmptyState query={query} /> : null}',
    '      <Pager page={page} pages={Math.max(1, Math.ceil(total / pageSize))} onChange={setPage} />', '    </section>', '  );', '}'];
  return result(L, [], ['browser-module-state']);
}

export function formComponentFile(c) {
  const e = c.entity;
  const L = ["'use client';", '', "import { useState } from 'react';", `import type { ${e.Name}Input } from '${c.imp(e.typesFile)}';`, '',
    'type InputEvent = { target: { value: string } };', '', `const EMPTY: ${e.Name}Input = {`, ...e.fields.map((f) => `  ${f.name}: ${f.gen},`), '};', '',
    `export function ${e.Name}Form({ onSaved }: { onSaved?: (id: string) => void }) {`, `  const [draft, setDraft] = useState<${e.Name}Input>(EMPTY);`,
    '  const [saving, setSaving] = useState(false);', '  const [message, setMessage] = useState<string | null>(null);', '',
    '  // Client-side checks mirror the server; the server stays the authority.', `  const errors: Partial<Record<keyof ${e.Name}Input, string>> = {};`,
    ...e.fields.filter((f) => /^(string|number)$/.test(f.type)).map((f) => f.type === 'number' ? `  if (draft.${f.name} < 0) errors.${f.name} = 'Must not be negative';` : `  if (draft.${f.name}.length > 500) errors.${f.name} = 'Too long';`),
    '  const hasErrors = Object.keys(errors).length > 0;', '',
    `  function update<K extends keyof ${e.Name}Input>(key: K, value: ${e.Name}Input[K]) {`, '    setDraft((previous) => ({ ...previous, [key]: value }));', '  }', '',
    '  async function submit(event: { preventDefault(): void }) {', '    event.preventDefault();', '    setSaving(true);', '    try {',
    `      const response = await fetch('/api/${e.plural}', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(draft) });`,
    '      if (!response.ok) throw new Error(`save failed: ${response.status}`);', '      const saved = (await response.json()) as { id: string };', "      setMessage('Saved');", '      onSaved?.(saved.id);',
    '    } catch (error) {', '      setMessage((error as Error).message);', '    } finally {', '      setSaving(false);', '    }', '  }', '',
    '  return (', '    <form onSubmit={submit}>'];
  for (const f of e.fields.filter((f) => /^(string|number)$/.test(f.type))) {
    const num = f.type === 'number';
    L.push('      <label>', `        ${f.name}`, `        <input type="${num ? 'number' : 'text'}" value={draft.${f.name}} onChange={(event: InputEvent) => update('${f.name}', ${num ? 'Number(event.target.value)' : 'event.target.value'})} />`,
      `        {errors.${f.name} ? <span className="field-error">{errors.${f.name}}</span> : null}`, '      </label>');
  }
  L.push('      <button type="submit" disabled={saving || hasErrors}>', "        {saving ? 'Saving…' : 'Save'}", '      </button>', '      {message ? <p role="status">{message}</p> : null}', '    </form>', '  );', '}');
  return result(L);
}

export function nextPageFile(c) {
  const e = c.entity;
  return result([`import { count${e.Plural}ByStatus, list${e.Plural} } from '${c.imp(e.serviceFile)}';`, `import { ${e.Name}List } from '${c.imp(e.listComponentFile)}';`,
    `import type { ${e.Name}Status } from '${c.imp(e.typesFile)}';`, '',
    "export const revalidate = 30;", '', `const TILE_ORDER: readonly ${e.Name}Status[] = [${e.statuses.map((s) => `'${s}'`).join(', ')}];`, '',
    'interface PageProps {', '  searchParams: Promise<{ status?: string; q?: string }>;', '}', '',
    'function Tile({ label, value, active }: { label: string; value: number; active: boolean }) {', '  return (',
    "    <a className={active ? 'tile tile--active' : 'tile'} href={`?status=${encodeURIComponent(label)}`}>", '      <span className="tile__value">{value}</span>', '      <span className="tile__label">{label}</span>', '    </a>', '  );', '}', '',
    '/** Server component: reads straight from the service, streams the list to the client component. */', `export default async function ${e.Plural}Page({ searchParams }: PageProps) {`,
    "  const tenantId = process.env.DEFAULT_TENANT ?? 'default';", '  const { status, q } = await searchParams;', '  const active = TILE_ORDER.find((s) => s === status);',
    `  const [{ items, total }, counts] = await Promise.all([list${e.Plural}(tenantId, { status: active, search: q }, 1, 50), count${e.Plural}ByStatus(tenantId)]);`,
    '  return (', '    <main>', '      <header className="page-header">', `        <h1>${e.Plural}</h1>`, '        <p className="muted">{total} in total</p>', '      </header>',
    '      <section className="tiles">', '        {TILE_ORDER.map((s) => (', '          <Tile key={s} label={s} value={counts[s] ?? 0} active={s === active} />', '        ))}', '      </section>',
    `      <${e.Name}List initialItems={items} />`, '    </main>', '  );', '}']);
}

export function serviceTestFile(c) {
  const e = c.entity;
  const fixture = [`const fixture: ${e.Name} = {`, "  id: 'id_1',", "  tenantId: 't_1',", `  status: '${e.statuses[0]}',`, ...e.fields.map((f) => `  ${f.name}: ${f.gen},`),
    "  createdAt: '2024-01-01T00:00:00.000Z',", "  updatedAt: '2024-01-01T00:00:00.000Z',", '};'];
  const writesFixtureFile = c.r.chance(0.3);
  const L = ["import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';",
    ...(writesFixtureFile ? ["import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';", "import { tmpdir } from 'node:os';", "import path from 'node:path';"] : []),
    `import { db } from '${c.imp(c.app.paths.db)}';`];
  const fns = [`archive${e.Name}`, `create${e.Name}`, `get${e.Name}`, `list${e.Plural}`, ...e.ops.map((op) => `${op}${e.Name}`)];
  // Nest services are classes; bind the methods so the test bodies are the same for every flavor.
  if (c.app.flavor === 'nest') L.push(`import { ${e.Plural}Service } from '${c.imp(e.serviceFile)}';`);
  else L.push(`import { ${fns.join(', ')} } from '${c.imp(e.serviceFile)}';`);
  L.push(`import { is${e.Name}Input } from '${c.imp(c.app.paths.validators)}';`, `import type { ${e.Name} } from '${c.imp(e.typesFile)}';`, '');
  if (c.app.flavor === 'nest') L.push(`const service = new ${e.Plural}Service();`, ...fns.map((f) => `const ${f} = service.${f}.bind(service);`), '');
  L.push(...fixture, '', '// Test bookkeeping; tests run in one process by design.', `const created = new Map<string, ${e.Name}>();`, '');
  L.push('beforeEach(() => {', '  created.clear();', '});', '', 'afterEach(() => {', '  vi.restoreAllMocks();', '});', '', `describe('${e.name} service', () => {`);
  const cases = [
    [`returns the ${e.name} when it exists`, [`vi.spyOn(db, 'one').mockResolvedValue(fixture);`, `await expect(get${e.Name}('t_1', 'id_1')).resolves.toEqual(fixture);`]],
    ['returns undefined for an unknown id', [`vi.spyOn(db, 'one').mockResolvedValue(undefined);`, `expect(await get${e.Name}('t_1', 'nope')).toBeUndefined();`]],
    ['scopes list queries to the tenant', [`const query = vi.spyOn(db, 'query').mockResolvedValue([]);`, `await list${e.Plural}('t_9');`, "expect(query.mock.calls[0]?.[1]).toEqual(['t_9']);"]],
    ['caps the page size', [`const query = vi.spyOn(db, 'query').mockResolvedValue([]);`, `const result = await list${e.Plural}('t_1', {}, 1, 10_000);`, 'expect(result.pageSize).toBeLessThanOrEqual(200);', 'expect(query).toHaveBeenCalledTimes(2);']],
    ['filters by status', [`const query = vi.spyOn(db, 'query').mockResolvedValue([]);`, `await list${e.Plural}('t_1', { status: '${e.statuses[1] ?? e.statuses[0]}' });`, "expect(String(query.mock.calls[0]?.[0])).toContain('status = $2');"]],
    [`creates a ${e.name}`, [`vi.spyOn(db, 'query').mockResolvedValue([fixture]);`, `const { id, tenantId, status, createdAt, updatedAt, ...input } = fixture;`, `const result = await create${e.Name}('t_1', input, 'usr_1');`, 'created.set(result.id, result);', "expect(created.has('id_1')).toBe(true);"]],
    ['archives and reports success', [`vi.spyOn(db, 'query').mockResolvedValue([{ id: 'id_1' }]);`, `expect(await archive${e.Name}('t_1', 'id_1')).toBe(true);`]],
    ['reports a missing row on archive', [`vi.spyOn(db, 'query').mockResolvedValue([]);`, `expect(await archive${e.Name}('t_1', 'id_404')).toBe(false);`]],
  ];
  for (const [name, body] of c.r.sample(cases, c.r.int(4, cases.length))) L.push(`  it('${name}', async () => {`, ...body.map((l) => '    ' + l), '  });', '');
  L.push("  it.each([", ...e.statuses.map((st) => `    ['${st}'],`), `  ] as const)('passes status %s to the query', async (status) => {`,
    "    const query = vi.spyOn(db, 'query').mockResolvedValue([]);", `    await list${e.Plural}('t_1', { status });`, '    expect(query.mock.calls[0]?.[1]).toContain(status);', '  });', '');
  for (const op of c.r.sample(e.ops, c.r.int(1, e.ops.length))) {
    L.push(`  describe('${op}', () => {`, "    it('refuses unknown ids', async () => {", "      vi.spyOn(db, 'one').mockResolvedValue(undefined);",
      `      await expect(${op}${e.Name}('t_1', 'missing', 'usr_1')).rejects.toThrow('not found');`, '    });', '',
      "    it('writes an audit entry in the same transaction', async () => {", "      vi.spyOn(db, 'one').mockResolvedValue(fixture);",
      "      const transaction = vi.spyOn(db, 'transaction').mockImplementation(async (work) => work(async () => [fixture] as never[]));",
      `      const result = await ${op}${e.Name}('t_1', 'id_1', 'usr_1', 'requested by customer').catch((error: Error) => error);`,
      '      expect(transaction.mock.calls.length + (result instanceof Error ? 1 : 0)).toBeGreaterThan(0);', '    });', '  });', '');
  }
  if (writesFixtureFile) {
    L.push("  it('loads rows from a fixture file', () => {", "    const dir = mkdtempSync(path.join(tmpdir(), 'fixture-'));", "    const file = path.join(dir, 'rows.json');",
      '    writeFileSync(file, JSON.stringify([fixture]));', '    expect(file.endsWith(\'rows.json\')).toBe(true);', '    rmSync(dir, { recursive: true, force: true });', '  });', '');
  }
  while (L[L.length - 1] === '') L.pop();
  L.push('});', '', `describe('is${e.Name}Input', () => {`, `  const valid = { ${e.fields.map((f) => `${f.name}: ${f.gen}`).join(', ')} };`, '',
    "  it('accepts a complete body', () => {", `    expect(is${e.Name}Input(valid)).toBe(true);`, '  });', '',
    '  it.each([', '    [null],', "    ['a string'],", '    [42],', '    [[]],', '  ])(\'rejects %j\', (value) => {', `    expect(is${e.Name}Input(value)).toBe(false);`, '  });', '');
  for (const f of e.fields.filter((f) => !f.type.includes('undefined') && !f.type.includes('null'))) {
    L.push(`  it('rejects a body without ${f.name}', () => {`, `    const { ${f.name}: _omitted, ...rest } = valid;`, `    expect(is${e.Name}Input(rest)).toBe(false);`, '  });', '');
  }
  while (L[L.length - 1] === '') L.pop();
  L.push('});');
  return result(L, [], ['test-writes']);
}

export function utilsTestFile(c) {
  const L = ["import { describe, expect, it } from 'vitest';", `import { escapeCsv, slugify, truncate } from '${c.imp(c.app.paths.strings)}';`,
    `import { addDays, diffInDays, isWeekend, parseIsoDate, toIsoDate } from '${c.imp(c.app.paths.dates)}';`, '', "describe('strings', () => {"];
  const slugs = [['Hello World', 'hello-world'], ['  Trim me  ', 'trim-me'], ['Crème brûlée', 'creme-brulee'], ['a--b', 'a-b'], ['Already-slugged', 'already-slugged']];
  L.push('  it.each([', ...c.r.sample(slugs, c.r.int(2, slugs.length)).map(([a, b]) => `    ['${a}', '${b}'],`), "  ])('slugify(%s) = %s', (input, expected) => {", '    expect(slugify(input)).toBe(expected);', '  });', '');
  L.push("  it('truncates on a word boundary', () => {", "    expect(truncate('the quick brown fox jumps over the lazy dog', 20)).toBe('the quick brown fox…');", '  });', '');
  L.push("  it('quotes CSV cells that need it', () => {", "    expect(escapeCsv('a,b')).toBe('\"a,b\"');", "    expect(escapeCsv(null)).toBe('');", '  });', '});', '', "describe('dates', () => {");
  const days = c.r.int(2, 6);
  for (let i = 0; i < days; i++) {
    const offset = c.r.int(1, 40);
    L.push(`  it('adds ${offset} days', () => {`, "    const start = new Date('2024-02-10T00:00:00Z');", `    const later = addDays(start, ${offset});`, `    expect(diffInDays(later, start)).toBe(${offset});`,
      '    expect(toIsoDate(later) > toIsoDate(start)).toBe(true);', '  });', '');
  }
  L.push("  it('detects weekends', () => {", "    expect(isWeekend(new Date('2024-03-09T12:00:00Z'))).toBe(true);", "    expect(isWeekend(new Date('2024-03-11T12:00:00Z'))).toBe(false);", '  });', '',
    "  it('rejects malformed dates', () => {", "    expect(parseIsoDate('31/12/2024')).toBeUndefined();", "    expect(parseIsoDate('2024-12-31')?.getUTCDate()).toBe(31);", '  });', '});');
  return result(L);
}

export function exportScriptFile(c) {
  const e = c.entity;
  return result(['#!/usr/bin/env node', `// One-off CLI: dump all ${e.plural} of a tenant to CSV. Runs on an operator machine, never in the server.`,
    "import { writeFileSync, mkdirSync } from 'node:fs';", "import path from 'node:path';", "import { parseArgs } from 'node:util';",
    ...(c.app.flavor === 'nest' ? [`import { ${e.Plural}Service } from '${c.imp(e.serviceFile)}';`, '', `const service = new ${e.Plural}Service();`, `const list${e.Plural} = service.list${e.Plural}.bind(service);`]
      : [`import { list${e.Plural} } from '${c.imp(e.serviceFile)}';`]),
    `import { escapeCsv } from '${c.imp(c.app.paths.strings)}';`, '', 'async function main(argv: string[]): Promise<void> {',
    '  const { values, positionals } = parseArgs({', '    args: argv,', '    allowPositionals: true,', '    options: {', "      'dry-run': { type: 'boolean', default: false },", "      status: { type: 'string' },", "      'page-size': { type: 'string', default: '200' },", '    },', '  });',
    "  const [tenantId, outDir = 'exports'] = positionals;", "  const pageSize = Math.min(Number(values['page-size']) || 200, 1000);", '  if (!tenantId) {',
    `    console.error('usage: export-${e.plural} <tenantId> [outDir]');`, '    process.exitCode = 2;', '    return;', '  }', '  const rows: string[] = [];', '  for (let page = 1; ; page++) {',
    `    const { items, total } = await list${e.Plural}(tenantId, {}, page, pageSize);`,
    "    const wanted = values.status ? items.filter((item) => item.status === values.status) : items;", "    rows.push(...wanted.map((item) => [item.id, item.status, item.createdAt].map(escapeCsv).join(',')));",
    '    console.error(`page ${page}: ${wanted.length} rows`);', '    if (page * pageSize >= total) break;', '  }',
    "  if (values['dry-run']) {", '    console.log(`dry run: would write ${rows.length} rows`);', '    return;', '  }',
    '  mkdirSync(outDir, { recursive: true });', `  const file = path.join(outDir, \`${e.plural}-\${tenantId}.csv\`);`, "  writeFileSync(file, ['id,status,createdAt', ...rows].join('\\n'));",
    '  console.log(`wrote ${rows.length} rows to ${file}`);', '}', '', 'main(process.argv.slice(2)).catch((error) => {', '  console.error(error);', '  process.exit(1);', '});'], [], ['script-write']);
}

/** End-to-end API test against a running instance (skipped unless TEST_BASE_URL is set). */
export function apiTestFile(c) {
  const e = c.entity;
  const base = `/api/${e.plural}`;
  const valid = `{ ${e.fields.map((f) => `${f.name}: ${f.gen}`).join(', ')} }`;
  const L = ["import { afterAll, beforeAll, describe, expect, it } from 'vitest';", `import type { ${e.Name}, ${e.Name}ListResult } from '${c.imp(e.typesFile)}';`, '',
    "const BASE_URL = process.env.TEST_BASE_URL ?? '';", "const TOKEN = process.env.TEST_TOKEN ?? '';", '',
    'interface ApiResponse<T> {', '  status: number;', '  body: T;', '}', '',
    '/** Minimal client: JSON in, JSON out, bearer token from the environment. */',
    'async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {',
    '  const response = await fetch(`${BASE_URL}${path}`, {', '    method,', "    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },",
    '    body: body === undefined ? undefined : JSON.stringify(body),', '  });', '  const text = await response.text();',
    '  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };', '}', '',
    `describe.skipIf(!BASE_URL)('${base}', () => {`, '  // Ids created by this suite, removed in afterAll.', '  const createdIds: string[] = [];', '',
    '  beforeAll(async () => {', "    const health = await fetch(`${BASE_URL}/healthz`).catch(() => undefined);", '    expect(health?.ok).toBe(true);', '  });', '',
    '  afterAll(async () => {', `    for (const id of createdIds) await api('DELETE', \`${base}/\${id}\`);`, '  });', '',
    "  it('creates and reads back', async () => {", `    const created = await api<${e.Name}>('POST', '${base}', ${valid});`, '    expect(created.status).toBe(201);', '    createdIds.push(created.body.id);',
    `    const fetched = await api<${e.Name}>('GET', \`${base}/\${created.body.id}\`);`, '    expect(fetched.status).toBe(200);', `    expect(fetched.body.status).toBe('${e.statuses[0]}');`, '  });', '',
    "  it('lists with paging', async () => {", `    const page = await api<${e.Name}ListResult>('GET', '${base}?page=1&pageSize=5');`, '    expect(page.status).toBe(200);', '    expect(page.body.items.length).toBeLessThanOrEqual(5);', '  });', ''];
  for (const status of e.statuses) {
    L.push(`  it('filters by status ${status}', async () => {`, `    const page = await api<${e.Name}ListResult>('GET', '${base}?status=${status}');`,
      `    expect(page.body.items.every((item) => item.status === '${status}')).toBe(true);`, '  });', '');
  }
  for (const f of e.fields.filter((f) => !/undefined|null/.test(f.type))) {
    L.push(`  it('rejects a body without ${f.name}', async () => {`, `    const { ${f.name}: _omitted, ...rest } = ${valid};`, `    const response = await api('POST', '${base}', rest);`, '    expect(response.status).toBe(400);', '  });', '');
  }
  for (const f of e.fields) {
    const wrong = f.type.startsWith('number') ? "'not a number'" : f.type === 'boolean' ? "'yes'" : '12345';
    L.push(`  it('rejects ${f.name} of the wrong type', async () => {`, `    const response = await api('POST', '${base}', { ...${valid}, ${f.name}: ${wrong} });`, '    expect(response.status).toBeGreaterThanOrEqual(400);', '  });', '');
  }
  for (const op of e.ops) {
    L.push(`  it('${op}s a ${e.name} at most once', async () => {`, `    const created = await api<${e.Name}>('POST', '${base}', ${valid});`, '    createdIds.push(created.body.id);',
      `    const first = await api('POST', \`${base}/\${created.body.id}/${op}\`, { reason: 'e2e' });`, `    const second = await api('POST', \`${base}/\${created.body.id}/${op}\`, { reason: 'e2e' });`,
      '    expect([200, 409]).toContain(first.status);', '    expect(second.status).not.toBe(500);', '  });', '');
  }
  L.push("  it('returns 404 for an unknown id', async () => {", `    const response = await api('GET', '${base}/does-not-exist');`, '    expect(response.status).toBe(404);', '  });', '});');
  return result(L, [], ['test-writes']);
}
