import ts = require('typescript');
import { getFileFacts } from '../analysis/file-facts';
import { resolveImportedMember } from '../analysis/imports';
import { isNonServerPath } from '../analysis/paths';
import type { RequestGraph } from '../analysis/request-graph';
import { propertyNameText, skipOuterExpressions } from '../analysis/text';
import type { Finding, TextEdit } from '../types';
import type { FixContext } from './context';
import { endOfImports, usesRequire } from './module-edits';
import type { PlanResult } from './state-fixes';

const HAPI_MODULES = new Set(['@hapi/hapi', 'hapi']);
/** The provider's release for hapi 21's catbox 12 (its `Engine` export). */
const CATBOX_REDIS = { name: '@hapi/catbox-redis', version: '7.0.2' };
const PROVIDER_NAME = 'CatboxRedis';

/**
 * A hapi server method cached in the server's default cache (`server.method('getMachine', fn, {
 * cache: { expiresIn } })`): the default cache is catbox-memory, one per process, so a result
 * dropped with `server.methods.getMachine.cache.drop(id)` on one instance stays cached on the
 * others. The server is given a Redis provider as its default cache where it is created,
 * `Hapi.server({ cache: [{ provider: { constructor: CatboxRedis, options: { url, partition } } }], … })`
 * (@hapi/catbox-redis's `Engine`): every method cached in the default cache, and every `drop`, then
 * reaches one cache. catbox-memory already stores each value as JSON text and parses it back on
 * every get, as catbox-redis does, so what the methods return reads back the same. Refused when the
 * server is not created in exactly one place the fix can read, or is already given caches there.
 */
export function hapiServerCachePlan(finding: Finding, context: FixContext, graph: RequestGraph): PlanResult {
  // Tests and scripts make servers of their own; the one that serves is made by the app's code.
  const creations = graph.files.filter((file) => !file.isDeclarationFile && !context.program.isSourceFileFromExternalLibrary(file) && !isNonServerPath(context.displayPath(file.fileName))).flatMap(hapiServersIn);
  if (creations.length === 0) return { refused: `no \`Hapi.server(…)\` in the project creates the server whose default cache keeps \`${finding.data.name}\`'s results: give that server a Redis provider (\`cache: [{ provider: { constructor: require('@hapi/catbox-redis').Engine, options: { url: process.env.REDIS_URL } } }]\`) where it is created` };
  if (creations.length > 1) return { refused: `hapi servers are created in ${creations.length} places (${creations.map((call) => context.where(call)).join(', ')}): give the one that serves the requests a Redis provider as its default cache (\`cache: [{ provider: { constructor: require('@hapi/catbox-redis').Engine, options: { url: process.env.REDIS_URL } } }]\`)` };
  const [creation] = creations;
  const file = creation.getSourceFile();
  const where = context.where(creation);
  const [options] = creation.arguments ?? [];
  const settings = options && skipOuterExpressions(options);
  if (settings && !ts.isObjectLiteralExpression(settings)) return { refused: `the server's options (${where}) are not written where it is created, so the fix cannot add a Redis provider to them: add \`cache: [{ provider: { constructor: require('@hapi/catbox-redis').Engine, options: { url: process.env.REDIS_URL } } }]\` there` };
  const caches = settings?.properties.find((property) => property.name && propertyNameText(property.name) === 'cache');
  if (caches) return { refused: `the server is given caches where it is created (${context.where(caches)}): make the one \`${finding.data.name}\` uses (the one with no name, the default) a Redis provider, \`{ provider: { constructor: require('@hapi/catbox-redis').Engine, options: { url: process.env.REDIS_URL } } }\`` };
  if (new RegExp(`\\b${PROVIDER_NAME}\\b`).test(file.text)) return { refused: `\`${PROVIDER_NAME}\` is already a name in ${context.displayPath(file.fileName)}, where the fix would import the Redis provider under that name` };
  const provider = `cache: [{ provider: { constructor: ${PROVIDER_NAME}, options: { url: process.env.REDIS_URL || 'redis://127.0.0.1:6379', partition: 'hapi-cache' } } }]`;
  const edits: TextEdit[] = [];
  if (!settings) {
    const close = creation.arguments ? creation.getEnd() - 1 : creation.getEnd();
    edits.push({ fileName: file.fileName, start: close, end: close, newText: creation.arguments ? `{ ${provider} }` : `({ ${provider} })` });
  } else if (settings.properties.length === 0) {
    edits.push({ fileName: file.fileName, start: settings.getStart(file), end: settings.getEnd(), newText: `{ ${provider} }` });
  } else {
    // Before the first option, on a line of its own when the options are written one a line.
    const first = settings.properties[0];
    const start = first.getStart(file);
    const lineStart = file.text.lastIndexOf('\n', start - 1) + 1;
    const indent = file.text.slice(lineStart, start);
    edits.push({ fileName: file.fileName, start, end: start, newText: /^\s*$/.test(indent) && lineStart > settings.getStart(file) ? `${provider},\n${indent}` : `${provider}, ` });
  }
  const line = usesRequire(file) ? `const { Engine: ${PROVIDER_NAME} } = require('${CATBOX_REDIS.name}');` : `import { Engine as ${PROVIDER_NAME} } from '${CATBOX_REDIS.name}';`;
  const at = endOfImports(file);
  const newline = file.text.includes('\r\n') ? '\r\n' : '\n';
  edits.push({ fileName: file.fileName, start: at, end: at, newText: at === 0 ? `${line}${newline}` : `${newline}${line}` });
  return { plan: { messageId: 'hapiCacheToRedis', data: { name: finding.data.name ?? '', where }, edits, createFiles: [], dependencies: [CATBOX_REDIS] } };
}

/** `Hapi.server(…)`, `new Hapi.Server(…)`, `server(…)` of @hapi/hapi in one file. */
function hapiServersIn(file: ts.SourceFile): (ts.CallExpression | ts.NewExpression)[] {
  if (!/hapi/.test(file.text)) return [];
  const facts = getFileFacts(file);
  const found: (ts.CallExpression | ts.NewExpression)[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const member = resolveImportedMember(node.expression, facts.imports);
      if (member && HAPI_MODULES.has(member.module) && ['server', 'Server'].includes(member.path[member.path.length - 1] ?? '')) found.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}
