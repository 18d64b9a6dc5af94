// Templates for framework-neutral files: types, utilities, constant tables, data access,
// domain services. Each template takes a context `c` = { r (random), app, entity?, imp(path) }
// and returns { text, hazards, lookalikes } so the manifest knows what was planted where.
import { CONSTANT_TOPICS, WORDS, capitalize } from './random.mjs';

export const result = (lines, hazards = [], lookalikes = []) => ({ text: lines.join('\n') + '\n', hazards, lookalikes });

export function typesFile(c) {
  const e = c.entity;
  const L = [`// Domain types for ${e.plural}. Shared by services, routes, clients and tests.`, '// Types only: this module has no runtime code.', ''];
  L.push(`/** Lifecycle of a ${e.name}; see ALLOWED_TRANSITIONS in the service for the legal moves. */`);
  L.push(`export type ${e.Name}Status = ${e.statuses.map((s) => `'${s}'`).join(' | ')};`, '');
  L.push(`/** A ${e.name} as stored, scoped to one tenant. */`, `export interface ${e.Name} {`, '  /** Opaque identifier (ULID). */', '  id: string;', '  /** Owning tenant; every query filters on it. */', '  tenantId: string;', `  status: ${e.Name}Status;`);
  for (const f of e.fields) L.push(`  /** ${f.doc} */`, `  ${f.name}: ${f.type};`);
  L.push('  /** ISO timestamp (UTC). */', '  createdAt: string;', '  /** ISO timestamp (UTC); also used for optimistic locking. */', '  updatedAt: string;', '}', '');
  L.push(`/** Fields a client may set when creating a ${e.name}. */`, `export type ${e.Name}Input = Omit<${e.Name}, 'id' | 'tenantId' | 'status' | 'createdAt' | 'updatedAt'>;`, '');
  L.push(`/** Partial update; \`expectedUpdatedAt\` rejects lost updates. */`, `export type ${e.Name}Patch = Partial<${e.Name}Input> & { expectedUpdatedAt?: string };`, '');
  L.push(`export type ${e.Name}SortKey = 'createdAt' | 'updatedAt'${e.fields.filter((f) => /number|string$/.test(f.type)).slice(0, 2).map((f) => ` | '${f.name}'`).join('')};`, '');
  L.push(`export interface ${e.Name}Filter {`, `  status?: ${e.Name}Status;`, '  /** Case-insensitive substring match. */', '  search?: string;', '  createdAfter?: string;', '  createdBefore?: string;', `  sort?: ${e.Name}SortKey;`, "  direction?: 'asc' | 'desc';", '  limit?: number;', '}', '');
  L.push(`export interface ${e.Name}ListResult {`, `  items: ${e.Name}[];`, '  total: number;', '  page: number;', '  pageSize: number;', '}', '');
  L.push(`/** Domain events published after a successful write. */`, `export type ${e.Name}Event =`);
  L.push(`  | { type: '${e.name}.created'; ${e.name}: ${e.Name}; actorId: string }`);
  L.push(`  | { type: '${e.name}.updated'; ${e.name}: ${e.Name}; changes: Array<keyof ${e.Name}Input> }`);
  for (const op of e.ops) L.push(`  | { type: '${e.name}.${op}'; id: string; actorId: string; at: string }`);
  L.push(`  | { type: '${e.name}.archived'; id: string };`, '');
  const extras = {
    AuditEntry: ['id: string', 'actorId: string', 'action: string', 'at: string', 'changes: Record<string, unknown>', 'reason?: string'],
    ExportRow: ['id: string', 'status: string', 'createdAt: string', ...e.fields.slice(0, 3).map((f) => `${f.name}: string`)],
    Summary: ['total: number', `byStatus: Partial<Record<${e.Name}Status, number>>`, 'newestId: string | null', 'oldestCreatedAt: string | null'],
    Permissions: ['canRead: boolean', 'canEdit: boolean', 'canArchive: boolean', ...e.ops.map((op) => `can${capitalize(op)}: boolean`)],
    Counts: [`status: ${e.Name}Status`, 'count: number'],
  };
  L.push('// Wire types of the HTTP API (what clients send and receive).', `export interface List${e.Plural}Query {`, '  page?: number;', '  pageSize?: number;', `  status?: ${e.Name}Status;`, '  q?: string;', '  from?: string;', '  to?: string;', "  direction?: 'asc' | 'desc';", '}', '');
  L.push(`export interface ${e.Name}Response extends ${e.Name} {`, '  statusLabel?: string;', '  permissions: {', '    canEdit: boolean;', '    canArchive: boolean;', ...e.ops.map((op) => `    can${capitalize(op)}?: boolean;`), '  };', '}', '');
  L.push(`export interface ${e.Name}TransitionRequest {`, '  /** Stored in the audit log; at most 500 characters. */', '  reason?: string;', '}', '');
  L.push(`export interface Import${e.Plural}Response {`, '  imported: number;', '  errors: Array<{ index: number; problems: string[] }>;', '}', '');
  for (const kind of c.r.sample(Object.keys(extras), c.r.int(2, 5))) {
    L.push(`export interface ${e.Name}${kind} {`, ...extras[kind].map((f) => `  ${f};`), '}', '');
  }
  while (L[L.length - 1] === '') L.pop();
  return result(L);
}

const STRING_HELPERS = {
  slugify: ['export function slugify(value: string): string {', '  return value', '    .normalize(\'NFKD\')', '    .replace(/[\\u0300-\\u036f]/g, \'\')', '    .toLowerCase()', '    .replace(/[^a-z0-9]+/g, \'-\')', '    .replace(/^-+|-+$/g, \'\');', '}'],
  truncate: ['export function truncate(value: string, max = 80): string {', '  if (value.length <= max) return value;', '  const cut = value.slice(0, max - 1);', '  const lastSpace = cut.lastIndexOf(\' \');', '  return (lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : cut) + \'…\';', '}'],
  formatMoney: ['export function formatMoney(amountCents: number, currency = \'EUR\', locale = \'en-GB\'): string {', '  return new Intl.NumberFormat(locale, { style: \'currency\', currency }).format(amountCents / 100);', '}'],
  escapeCsv: ['export function escapeCsv(value: unknown): string {', '  const text = value === null || value === undefined ? \'\' : String(value);', '  return /[",\\n]/.test(text) ? `"${text.replace(/"/g, \'""\')}"` : text;', '}'],
  capitalize: ['export function capitalize(value: string): string {', '  return value.length === 0 ? value : value[0].toUpperCase() + value.slice(1);', '}'],
  camelToKebab: ['export function camelToKebab(value: string): string {', '  return value.replace(/([a-z0-9])([A-Z])/g, \'$1-$2\').toLowerCase();', '}'],
  maskEmail: ['export function maskEmail(email: string): string {', '  const [local, domain] = email.split(\'@\');', '  if (!domain) return \'***\';', '  const visible = local.slice(0, Math.min(2, local.length));', '  return `${visible}${\'*\'.repeat(Math.max(1, local.length - visible.length))}@${domain}`;', '}'],
  pluralize: ['export function pluralize(count: number, singular: string, pluralForm = `${singular}s`): string {', '  return `${count} ${count === 1 ? singular : pluralForm}`;', '}'],
  escapeHtml: ['const HTML_ESCAPES: Record<string, string> = { \'&\': \'&amp;\', \'<\': \'&lt;\', \'>\': \'&gt;\', \'"\': \'&quot;\', "\'": \'&#39;\' };', '', 'export function escapeHtml(value: string): string {', '  return value.replace(/[&<>"\']/g, (ch) => HTML_ESCAPES[ch] ?? ch);', '}'],
  initials: ['export function initials(name: string): string {', '  return name', '    .split(/\\s+/)', '    .filter(Boolean)', '    .slice(0, 2)', '    .map((part) => part[0]!.toUpperCase())', '    .join(\'\');', '}'],
  normalizeWhitespace: ['export function normalizeWhitespace(value: string): string {', '  return value.replace(/\\s+/g, \' \').trim();', '}'],
  parseCsvLine: ['export function parseCsvLine(line: string): string[] {', '  const cells: string[] = [];', '  let current = \'\';', '  let quoted = false;', '  for (let i = 0; i < line.length; i++) {', '    const ch = line[i];', '    if (ch === \'"\') {', '      if (quoted && line[i + 1] === \'"\') {', '        current += \'"\';', '        i++;', '      } else {', '        quoted = !quoted;', '      }', '    } else if (ch === \',\' && !quoted) {', '      cells.push(current);', '      current = \'\';', '    } else {', '      current += ch;', '    }', '  }', '  cells.push(current);', '  return cells;', '}'],
};

Object.assign(STRING_HELPERS, {
  toTitleCase: ['export function toTitleCase(value: string): string {', '  return value', '    .toLowerCase()', '    .split(\' \')', '    .map((word) => (word.length > 3 ? word[0]!.toUpperCase() + word.slice(1) : word))', '    .join(\' \');', '}'],
  stripTags: ['export function stripTags(html: string): string {', '  return html.replace(/<[^>]*>/g, \'\').replace(/&nbsp;/g, \' \');', '}'],
  wordCount: ['export function wordCount(value: string): number {', '  const trimmed = value.trim();', '  return trimmed === \'\' ? 0 : trimmed.split(/\\s+/).length;', '}'],
  splitName: ['export function splitName(fullName: string): { first: string; last: string } {', '  const parts = fullName.trim().split(/\\s+/);', '  if (parts.length === 1) return { first: parts[0] ?? \'\', last: \'\' };', '  return { first: parts.slice(0, -1).join(\' \'), last: parts[parts.length - 1]! };', '}'],
  padId: ['export function padId(prefix: string, value: number, width = 6): string {', '  return `${prefix}-${String(value).padStart(width, \'0\')}`;', '}'],
  compareNatural: ['const collator = new Intl.Collator(\'en\', { numeric: true, sensitivity: \'base\' });', '', 'export function compareNatural(a: string, b: string): number {', '  return collator.compare(a, b);', '}'],
});

const DATE_HELPERS = {
  toIsoDate: ['export function toIsoDate(date: Date): string {', '  return date.toISOString().slice(0, 10);', '}'],
  addDays: ['export function addDays(date: Date, days: number): Date {', '  const copy = new Date(date.getTime());', '  copy.setUTCDate(copy.getUTCDate() + days);', '  return copy;', '}'],
  startOfDay: ['export function startOfDay(date: Date): Date {', '  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));', '}'],
  diffInDays: ['export function diffInDays(a: Date, b: Date): number {', '  return Math.round((startOfDay(a).getTime() - startOfDay(b).getTime()) / 86_400_000);', '}'],
  isWeekend: ['export function isWeekend(date: Date): boolean {', '  const day = date.getUTCDay();', '  return day === 0 || day === 6;', '}'],
  businessDaysBetween: ['export function businessDaysBetween(from: Date, to: Date): number {', '  let count = 0;', '  for (let d = startOfDay(from); d < to; d = addDays(d, 1)) {', '    if (!isWeekend(d)) count++;', '  }', '  return count;', '}'],
  formatRelative: ['export function formatRelative(date: Date, now = new Date()): string {', '  const days = diffInDays(now, date);', '  if (days === 0) return \'today\';', '  if (days === 1) return \'yesterday\';', '  if (days < 7) return `${days} days ago`;', '  if (days < 31) return `${Math.floor(days / 7)} weeks ago`;', '  return toIsoDate(date);', '}'],
  parseIsoDate: ['export function parseIsoDate(value: string | undefined): Date | undefined {', '  if (!value || !/^\\d{4}-\\d{2}-\\d{2}/.test(value)) return undefined;', '  const parsed = new Date(value);', '  return Number.isNaN(parsed.getTime()) ? undefined : parsed;', '}'],
  addMonths: ['export function addMonths(date: Date, months: number): Date {', '  const copy = new Date(date.getTime());', '  const day = copy.getUTCDate();', '  copy.setUTCDate(1);', '  copy.setUTCMonth(copy.getUTCMonth() + months);', '  const lastDay = new Date(Date.UTC(copy.getUTCFullYear(), copy.getUTCMonth() + 1, 0)).getUTCDate();', '  copy.setUTCDate(Math.min(day, lastDay));', '  return copy;', '}'],
  formatDuration: ['export function formatDuration(ms: number): string {', '  const seconds = Math.round(ms / 1000);', '  if (seconds < 60) return `${seconds}s`;', '  const minutes = Math.floor(seconds / 60);', '  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;', '  const hours = Math.floor(minutes / 60);', '  return `${hours}h ${minutes % 60}m`;', '}'],
  isSameDay: ['export function isSameDay(a: Date, b: Date): boolean {', '  return toIsoDate(a) === toIsoDate(b);', '}'],
  quarterOf: ['export function quarterOf(date: Date): 1 | 2 | 3 | 4 {', '  return (Math.floor(date.getUTCMonth() / 3) + 1) as 1 | 2 | 3 | 4;', '}'],
  clampDate: ['export function clampDate(date: Date, min: Date, max: Date): Date {', '  if (date < min) return min;', '  if (date > max) return max;', '  return date;', '}'],
  endOfMonth: ['export function endOfMonth(date: Date): Date {', '  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0, 23, 59, 59, 999));', '}'],
};
// Helpers other templates import; always present so imports resolve.
const REQUIRED_STRING = ['slugify', 'truncate', 'formatMoney', 'escapeCsv'];
const REQUIRED_DATE = ['toIsoDate', 'addDays', 'startOfDay', 'diffInDays', 'isWeekend', 'parseIsoDate'];

const describe = (name) => name.replace(/([A-Z])/g, ' $1').toLowerCase();

function helperModule(c, pool, required, header) {
  const optional = Object.keys(pool).filter((k) => !required.includes(k));
  const names = [...required, ...c.r.sample(optional, c.r.int(optional.length - 4, optional.length))];
  const L = [header, ''];
  for (const name of Object.keys(pool)) {
    if (!names.includes(name)) continue;
    const body = pool[name];
    const at = body.findIndex((l) => l.startsWith('export function'));
    L.push(...body.slice(0, at), `/** ${capitalize(describe(name))}. Pure; safe to use on the client. */`, ...body.slice(at), '');
  }
  while (L[L.length - 1] === '') L.pop();
  return result(L);
}
export const stringsFile = (c) => helperModule(c, STRING_HELPERS, REQUIRED_STRING, '// String helpers used by handlers, exports and the client.');
export const datesFile = (c) => helperModule(c, DATE_HELPERS, REQUIRED_DATE, '// UTC date helpers. Everything is UTC on the server; clients format locally.');

export function validatorsFile(c) {
  const L = ['// Runtime guards for request bodies (no schema library in this service).'];
  for (const e of c.app.entities) L.push(`import type { ${e.Name}Input } from '${c.imp(e.typesFile)}';`);
  L.push('', 'export function isNonEmptyString(value: unknown): value is string {', "  return typeof value === 'string' && value.trim().length > 0;", '}', '');
  L.push('export function parsePositiveInt(value: unknown, fallback: number, max = 500): number {', '  const parsed = typeof value === \'string\' ? Number.parseInt(value, 10) : Number(value);', '  if (!Number.isFinite(parsed) || parsed < 1) return fallback;', '  return Math.min(parsed, max);', '}', '');
  for (const e of c.app.entities) {
    L.push(`export function is${e.Name}Input(value: unknown): value is ${e.Name}Input {`, "  if (typeof value !== 'object' || value === null) return false;", '  const candidate = value as Record<string, unknown>;', '  return (');
    const checks = e.fields.map((f) => {
      const t = f.type.includes("'") ? 'string' : f.type.replace(/ \|.*$/, '');
      if (t === 'string[]') return `Array.isArray(candidate.${f.name})`;
      if (f.type.includes('|') && !f.type.includes("'")) return `(candidate.${f.name} === undefined || candidate.${f.name} === null || typeof candidate.${f.name} === '${t}')`;
      return `typeof candidate.${f.name} === '${t}'`;
    });
    checks.forEach((chk, i) => L.push(`    ${chk}${i < checks.length - 1 ? ' &&' : ''}`));
    L.push('  );', '}', '');
    L.push(`/** Returns the problems of a PATCH body for ${e.plural}; empty when it is acceptable. */`, `export function ${e.name}PatchProblems(value: unknown): string[] {`,
      "  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['body must be an object'];", `  const known = new Set([${e.fields.map((f) => `'${f.name}'`).join(', ')}, 'expectedUpdatedAt']);`,
      '  return Object.keys(value).filter((key) => !known.has(key)).map((key) => `unknown field ${key}`);', '}', '');
  }
  while (L[L.length - 1] === '') L.pop();
  return result(L);
}

export function constantsFile(c, topic = c.r.pick(CONSTANT_TOPICS)) {
  // Sized to stay under ~400 lines either way.
  const multiLine = c.r.chance(0.5);
  const rows = multiLine ? c.r.int(12, Math.floor(380 / (topic.fields.length + 2))) : c.r.int(40, 360);
  const T = topic.type;
  const key = topic.fields[0];
  const L = [`// Static ${topic.file.replace('-', ' ')} table. Read-only after module load; edited by hand, reviewed in PRs.`, ''];
  L.push(`export interface ${T} {`);
  const fieldType = (f) => (/rate|Status|Units|Bytes/i.test(f) ? 'number' : /retryable|Enabled|compressible/.test(f) ? 'boolean' : f === 'roles' ? 'readonly string[]' : 'string');
  for (const f of topic.fields) L.push(`  readonly ${f}: ${fieldType(f)};`);
  L.push('}', '', `export const ${topic.file.toUpperCase().replace('-', '_')}: readonly ${T}[] = [`);
  for (let i = 0; i < rows; i++) {
    const value = (f) => {
      const t = fieldType(f);
      if (t === 'number') return String(f === 'vatRate' ? (c.r.int(0, 27) / 100).toFixed(2) : c.r.int(0, 600));
      if (t === 'boolean') return String(c.r.chance(0.5));
      if (t === 'readonly string[]') return `['${c.r.pick(['admin', 'manager', 'viewer'])}', '${c.r.pick(['support', 'finance', 'editor'])}']`;
      if (f === key) return `'${c.r.pick(WORDS).slice(0, 3).toUpperCase()}${i.toString().padStart(3, '0')}'`;
      return `'${capitalize(c.r.pick(WORDS))} ${c.r.pick(WORDS)} ${f}'`;
    };
    if (multiLine) {
      L.push('  {');
      for (const f of topic.fields) L.push(`    ${f}: ${value(f)},`);
      L.push('  },');
    } else {
      L.push(`  { ${topic.fields.map((f) => `${f}: ${value(f)}`).join(', ')} },`);
    }
  }
  const table = topic.file.toUpperCase().replace('-', '_');
  const byKey = `${table}_BY_${key.toUpperCase()}`;
  L.push('];', '', `// Built once at load time; never written afterwards.`);
  L.push(`export const ${byKey}: ReadonlyMap<string, ${T}> = new Map(${table}.map((row) => [String(row.${key}), row]));`, '');
  L.push(`export function find${T}(value: string): ${T} | undefined {`, `  return ${byKey}.get(value) ?? ${byKey}.get(value.toUpperCase());`, '}');
  return result(L, [], ['readonly-table']);
}

export function loggerFile() {
  return result([
    '// Structured JSON logger. One line per event so the log shipper can parse it.',
    "type Level = 'debug' | 'info' | 'warn' | 'error';",
    'export type LogFields = Record<string, unknown>;',
    '',
    'const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };',
    "const REDACTED_KEYS: ReadonlySet<string> = new Set(['password', 'token', 'authorization', 'cookie', 'secret', 'apiKey']);",
    '// Set once at start-up from the environment.',
    "const minLevel: Level = (process.env.LOG_LEVEL as Level | undefined) ?? 'info';",
    "const service = process.env.SERVICE_NAME ?? 'unknown-service';",
    '',
    '/** Replaces secrets with a marker, recursively, without mutating the input. */',
    'export function redact(value: unknown, depth = 0): unknown {',
    "  if (depth > 4 || value === null || typeof value !== 'object') return value;",
    '  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));',
    '  const out: Record<string, unknown> = {};',
    '  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {',
    "    out[key] = REDACTED_KEYS.has(key) ? '[redacted]' : redact(inner, depth + 1);",
    '  }',
    '  return out;',
    '}',
    '',
    'function write(level: Level, message: string, fields: LogFields = {}): void {',
    '  if (ORDER[level] < ORDER[minLevel]) return;',
    '  const line = JSON.stringify({ level, time: new Date().toISOString(), service, message, ...(redact(fields) as LogFields) });',
    "  if (level === 'error') console.error(line);",
    '  else console.log(line);',
    '}',
    '',
    'export interface Logger {',
    '  debug(message: string, fields?: LogFields): void;',
    '  info(message: string, fields?: LogFields): void;',
    '  warn(message: string, fields?: LogFields): void;',
    '  error(message: string, fields?: LogFields): void;',
    '  child(bindings: LogFields): Logger;',
    '}',
    '',
    '/** A logger that adds `bindings` to every line (request id, tenant, job id…). */',
    'export function createLogger(bindings: LogFields = {}): Logger {',
    '  return {',
    "    debug: (message, fields) => write('debug', message, { ...bindings, ...fields }),",
    "    info: (message, fields) => write('info', message, { ...bindings, ...fields }),",
    "    warn: (message, fields) => write('warn', message, { ...bindings, ...fields }),",
    "    error: (message, fields) => write('error', message, { ...bindings, ...fields }),",
    '    child: (more) => createLogger({ ...bindings, ...more }),',
    '  };',
    '}',
    '',
    'export const logger = createLogger();',
    '',
    '/** Measures an async operation and logs its duration at debug level (warn when slow). */',
    'export async function timed<T>(label: string, work: () => Promise<T>, slowMs = 500): Promise<T> {',
    '  const started = performance.now();',
    '  try {',
    '    return await work();',
    '  } finally {',
    '    const elapsed = Math.round(performance.now() - started);',
    "    (elapsed > slowMs ? logger.warn : logger.debug)(`${label} took ${elapsed} ms`, { label, elapsed });",
    '  }',
    '}',
  ]);
}

export function dbFile(c) {
  return result([
    "import { Pool } from 'pg';",
    `import { logger } from '${c.imp(c.app.paths.logger)}';`,
    '',
    '// One pool per process; the size is per instance, so keep it small and scale instances instead.',
    'const SLOW_QUERY_MS = Number(process.env.SLOW_QUERY_MS ?? 250);',
    'const RETRYABLE_CODES: ReadonlySet<string> = new Set([\'40001\', \'40P01\', \'57P01\']);',
    'const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10), idleTimeoutMillis: 30_000 });',
    '',
    'export type QueryFn = <T>(sql: string, params?: unknown[]) => Promise<T[]>;',
    '',
    'async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {',
    '  const started = Date.now();',
    '  const result = await pool.query<T>(sql, params);',
    '  const elapsed = Date.now() - started;',
    "  if (elapsed > SLOW_QUERY_MS) logger.warn('slow query', { sql: sql.slice(0, 120), elapsed });",
    '  return result.rows;',
    '}',
    '',
    'async function one<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {',
    '  const rows = await query<T>(sql, params);',
    '  return rows[0];',
    '}',
    '',
    '/** Runs `work` in a transaction, retrying serialization failures a few times. */',
    'async function transaction<T>(work: (q: QueryFn) => Promise<T>, attempts = 3): Promise<T> {',
    '  for (let attempt = 1; ; attempt++) {',
    "    await pool.query('BEGIN');",
    '    try {',
    '      const value = await work(query);',
    "      await pool.query('COMMIT');",
    '      return value;',
    '    } catch (error) {',
    "      await pool.query('ROLLBACK');",
    '      const code = (error as { code?: string }).code;',
    '      if (attempt >= attempts || !code || !RETRYABLE_CODES.has(code)) throw error;',
    "      logger.warn('retrying transaction', { attempt, code });",
    '      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));',
    '    }',
    '  }',
    '}',
    '',
    '/** Builds `LIMIT/OFFSET` for 1-based pages, clamping the page size. */',
    'export function paginate(page: number, pageSize: number, max = 200): { limit: number; offset: number } {',
    '  const limit = Math.max(1, Math.min(pageSize, max));',
    '  return { limit, offset: (Math.max(1, page) - 1) * limit };',
    '}',
    '',
    'async function ping(): Promise<boolean> {',
    '  try {',
    "    await pool.query('SELECT 1');",
    '    return true;',
    '  } catch {',
    '    return false;',
    '  }',
    '}',
    '',
    'export const db = { query, one, transaction, ping, close: () => pool.end() };',
  ]);
}
