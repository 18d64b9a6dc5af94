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
 * every get, as catbox-redis does, so what the methods return reads back the same; a Buffer, which
 * catbox-memory keeps as it is, is refused where the method's type says it returns one. Refused too
 * when the server is not created in exactly one place the fix can read, or is given caches there.
 */
export function hapiServerCachePlan(sourceFile: ts.SourceFile, finding: Finding, context: FixContext, graph: RequestGraph): PlanResult {
  // catbox-memory keeps a Buffer as it is (everything else as JSON text): from Redis it would come back as JSON of its bytes.
  const buffer = bufferReturned(sourceFile, finding.start, context.program.getTypeChecker());
  if (buffer) return { refused: `\`${finding.data.name}\` returns a Buffer (${context.where(buffer)}), which catbox-memory keeps as it is and a Redis provider would give back as JSON: return plain data (a string, the bytes in base64) and then give the server a Redis provider where it is created (\`cache: [{ provider: { constructor: require('@hapi/catbox-redis').Engine, options: { url: process.env.REDIS_URL } } }]\`)` };
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

/** The method of the `server.method(name, fn, …)` call at `start`, when its type says it returns (or resolves to) a Buffer. */
function bufferReturned(sourceFile: ts.SourceFile, start: number, checker: ts.TypeChecker): ts.Node | undefined {
  let call: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (call || node.getEnd() < start || node.getStart(sourceFile) > start) return;
    if (ts.isCallExpression(node) && node.getStart(sourceFile) === start) call = node;
    else ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  const method = call?.arguments[1];
  if (!method) return undefined;
  for (const signature of checker.getTypeAtLocation(method).getCallSignatures()) {
    const returned = signature.getReturnType();
    const resolved = checker.getAwaitedType(returned) ?? returned;
    const parts = resolved.isUnion() ? resolved.types : [resolved];
    if (parts.some((part) => ['Buffer', 'Uint8Array'].includes((part.aliasSymbol ?? part.getSymbol())?.getName() ?? ''))) return method;
  }
  return undefined;
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
