// Seeded randomness and vocabulary for the corpus generator.
// Everything random in the corpus comes from one PRNG instance so that the same
// (seed, file count, generator source) always yields byte-identical files.

/** mulberry32: tiny, fast, good enough for picking templates; never Math.random. */
export function createRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  const pick = (items) => items[Math.floor(next() * items.length)];
  const chance = (p) => next() < p;
  const shuffle = (items) => {
    const copy = items.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  };
  const sample = (items, count) => shuffle(items).slice(0, Math.max(0, Math.min(count, items.length)));
  return { next, int, pick, chance, shuffle, sample };
}

export const capitalize = (s) => s.charAt(0).toUpperCase() + s.slice(1);
export const camel = (...parts) => parts[0] + parts.slice(1).map(capitalize).join('');
export function plural(word) {
  if (/[^aeiou]y$/.test(word)) return word.slice(0, -1) + 'ies';
  if (/(s|x|ch|sh)$/.test(word)) return word + 'es';
  return word + 's';
}
export const kebab = (s) => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** App archetypes: a product area, the entities it owns, and a name suffix pool. */
export const ARCHETYPES = [
  { area: 'billing', entities: ['invoice', 'payment', 'refund', 'subscription', 'plan', 'coupon'] },
  { area: 'catalog', entities: ['product', 'category', 'supplier', 'listing', 'review'] },
  { area: 'fleet', entities: ['vehicle', 'driver', 'shipment', 'route', 'booking'] },
  { area: 'crm', entities: ['customer', 'lead', 'campaign', 'contract', 'quote'] },
  { area: 'support', entities: ['ticket', 'comment', 'agent', 'macro', 'survey'] },
  { area: 'learning', entities: ['course', 'lesson', 'enrollment', 'quiz', 'certificate'] },
  { area: 'clinic', entities: ['patient', 'appointment', 'prescription', 'practitioner'] },
  { area: 'insurance', entities: ['policy', 'claim', 'premium', 'broker'] },
  { area: 'warehouse', entities: ['inventory', 'pallet', 'picklist', 'warehouse', 'transfer'] },
  { area: 'content', entities: ['article', 'author', 'tag', 'revision', 'asset'] },
  { area: 'projects', entities: ['project', 'task', 'milestone', 'team', 'timesheet'] },
  { area: 'marketplace', entities: ['auction', 'bid', 'seller', 'payout', 'dispute'] },
];
export const APP_SUFFIXES = ['api', 'service', 'gateway', 'backend', 'portal', 'hub', 'core', 'edge'];

/** Field pool for generated entity types; `gen` is an expression used in fixtures and tests. */
export const FIELD_POOL = [
  { name: 'title', type: 'string', gen: "'Quarterly review'", doc: 'Short human-readable title shown in lists.' },
  { name: 'description', type: 'string', gen: "'Imported from the legacy system'", doc: 'Free-form description; may contain line breaks.' },
  { name: 'amountCents', type: 'number', gen: '12_500', doc: 'Amount in minor units (cents) to avoid floating point rounding.' },
  { name: 'currency', type: "'EUR' | 'USD' | 'GBP'", gen: "'EUR'", doc: 'ISO 4217 currency code.' },
  { name: 'customerId', type: 'string', gen: "'cus_1042'", doc: 'Customer this record belongs to.' },
  { name: 'ownerId', type: 'string', gen: "'usr_77'", doc: 'User responsible for the record.' },
  { name: 'dueDate', type: 'string', gen: "'2024-06-30'", doc: 'Calendar date (YYYY-MM-DD) in the tenant time zone.' },
  { name: 'quantity', type: 'number', gen: '3', doc: 'Number of units; never negative.' },
  { name: 'sku', type: 'string', gen: "'SKU-00913'", doc: 'Stock keeping unit as printed on labels.' },
  { name: 'email', type: 'string', gen: "'ops@example.com'", doc: 'Contact e-mail address, lower-cased on write.' },
  { name: 'tags', type: 'string[]', gen: "['priority', 'emea']", doc: 'Labels used for filtering in the dashboard.' },
  { name: 'notes', type: 'string | null', gen: 'null', doc: 'Internal notes, never shown to customers.' },
  { name: 'priority', type: "'low' | 'normal' | 'high'", gen: "'normal'", doc: 'Triage priority.' },
  { name: 'region', type: 'string', gen: "'eu-central'", doc: 'Data-residency region the record is stored in.' },
  { name: 'archived', type: 'boolean', gen: 'false', doc: 'Soft-delete flag; archived rows are hidden by default.' },
  { name: 'version', type: 'number', gen: '1', doc: 'Optimistic-locking version, incremented on every update.' },
  { name: 'externalRef', type: 'string | undefined', gen: 'undefined', doc: 'Identifier in the upstream system, if imported.' },
  { name: 'score', type: 'number', gen: '0.82', doc: 'Model score between 0 and 1.' },
  { name: 'locale', type: 'string', gen: "'de-DE'", doc: 'BCP 47 locale used for messages.' },
  { name: 'startsAt', type: 'string', gen: "'2024-05-01T09:00:00Z'", doc: 'ISO timestamp (UTC) when the record becomes effective.' },
];

export const STATUS_POOL = [
  'draft', 'pending', 'active', 'paused', 'archived', 'cancelled', 'completed',
  'failed', 'approved', 'rejected', 'open', 'closed', 'scheduled', 'expired',
];

/** Domain operations a service offers besides CRUD; verbs become e.g. `approveInvoice`. */
export const OPERATION_VERBS = ['approve', 'cancel', 'duplicate', 'summarize', 'reassign', 'publish', 'restore', 'reconcile'];

export const CONSTANT_TOPICS = [
  { file: 'regions', type: 'RegionInfo', fields: ['code', 'name', 'timezone', 'currency', 'vatRate'] },
  { file: 'error-codes', type: 'ErrorCodeInfo', fields: ['code', 'httpStatus', 'message', 'retryable'] },
  { file: 'feature-flags', type: 'FeatureFlag', fields: ['key', 'description', 'defaultEnabled', 'owner'] },
  { file: 'currencies', type: 'CurrencyInfo', fields: ['code', 'symbol', 'minorUnits', 'name'] },
  { file: 'mime-types', type: 'MimeInfo', fields: ['extension', 'mime', 'compressible', 'maxBytes'] },
  { file: 'permissions', type: 'PermissionInfo', fields: ['key', 'description', 'roles', 'auditLevel'] },
];

export const WORDS = [
  'amber', 'harbor', 'northern', 'silver', 'granite', 'meadow', 'cobalt', 'summit', 'willow', 'ember',
  'atlas', 'delta', 'orchid', 'quartz', 'river', 'falcon', 'cedar', 'lumen', 'pioneer', 'beacon',
];
export const ROLES = ['admin', 'manager', 'editor', 'viewer', 'support', 'finance', 'auditor'];
