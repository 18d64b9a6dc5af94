import ts = require('typescript');
import { getFileFacts, type CallLike, type FileFacts } from './file-facts';
import { resolveImportedMember } from './imports';
import { findOption, optionsObject } from './options';
import { skipOuterExpressions } from './text';

// Realtime collaboration servers that keep their documents, and the clients editing them, in this
// process: chainpad-server's netflux relay (`NetfluxSrv.create(wss)`), ShareDB on its default
// in-memory pub/sub, Hocuspocus without its Redis extension, y-websocket's `setupWSConnection`. The
// library relays an edit to the other clients of the document it holds, so two editors of one
// document connected to two instances never see each other's changes, whatever request sends them:
// the finding is the server's construction, where the backbone is chosen.

export interface CollaborationRelay {
  /** The construction (`NetfluxSrv.create(…)`, `new ShareDB(…)`, `Server.configure(…)`) or the connection setup call. */
  node: ts.Node;
  /** How the reader wrote it: `NetfluxSrv.create(…)`, `new ShareDB(…)`. */
  label: string;
  /** The package the relay comes from. */
  module: string;
  /** What would carry the edits between instances. */
  fix: string;
}

interface RelayLibrary {
  module: RegExp;
  /** The member path the construction names (`['create']` of chainpad-server); several for a class and its static factory. */
  paths: readonly (readonly string[])[];
  /** Whether the construction's options choose a shared backbone. */
  shares?: (options: ts.ObjectLiteralExpression) => boolean;
  fix: string;
}

const LIBRARIES: readonly RelayLibrary[] = [
  {
    module: /^chainpad-server$/,
    paths: [['create']],
    fix: 'chainpad-server has no shared backbone: route every client of a pad to the same instance (a balancer keyed by the channel), or run one relay.',
  },
  {
    module: /^sharedb$/,
    paths: [[], ['Backend']],
    shares: (options) => findOption(options, 'pubsub') !== undefined,
    fix: 'Give ShareDB a `pubsub` every instance shares (sharedb-redis-pubsub).',
  },
  {
    module: /^@hocuspocus\/server$/,
    paths: [['Server'], ['Server', 'configure'], ['Hocuspocus']],
    shares: mayHaveRedisExtension,
    fix: 'Add `@hocuspocus/extension-redis` to its extensions.',
  },
  {
    module: /^(y-websocket\/bin\/utils(\.c?js)?|@y\/websocket-server\/utils)$/,
    paths: [['setupWSConnection']],
    fix: 'Sync the documents through Redis (y-redis), or route each document to one instance.',
  },
];

/**
 * Packages that carry a relay's edits between instances. A file that imports one wires the relay to it
 * (ShareDB's `pubsub`, Hocuspocus' Redis extension pushed onto its extensions later, a Redis client
 * handed to a sync extension of the project's own).
 */
const SHARED_BACKBONE_MODULE = /redis|^sharedb-[\w-]*pubsub$|^@hocuspocus\/extension-redis$|^y-redis$|^@y\/redis$/i;

/** Collaboration servers created in this file that relay edits only between the clients of this process. */
export function findCollaborationRelays(sourceFile: ts.SourceFile): CollaborationRelay[] {
  const facts = getFileFacts(sourceFile);
  const modules = [...facts.imports.values()].map((binding) => binding.module);
  if (!modules.some((module) => LIBRARIES.some((library) => library.module.test(module)))) return [];
  if (modules.some((module) => SHARED_BACKBONE_MODULE.test(module))) return [];
  const found: CollaborationRelay[] = [];
  for (const { node } of facts.calls) {
    const member = resolveImportedMember(node.expression, facts.imports);
    if (!member) continue;
    const library = LIBRARIES.find((candidate) => candidate.module.test(member.module) && candidate.paths.some((path) => samePath(path, member.path)));
    if (!library || sharesBackbone(node, library, facts)) continue;
    found.push({ node, label: labelOf(node), module: member.module, fix: library.fix });
  }
  return found;
}

function samePath(expected: readonly string[], actual: readonly string[]): boolean {
  return expected.length === actual.length && expected.every((part, index) => part === actual[index]);
}

/** Options the analysis cannot read count as a backbone it cannot see: only a visible choice is reported. */
function sharesBackbone(node: CallLike, library: RelayLibrary, facts: FileFacts): boolean {
  if (!library.shares) return false;
  const options = optionsObject(node.arguments?.[0], facts);
  if (options === 'unknown') return true;
  return options !== undefined && library.shares(options);
}

/** Hocuspocus' `extensions` may hold its Redis extension: an element named for Redis, or a list (or a spread) the analysis cannot read. */
function mayHaveRedisExtension(options: ts.ObjectLiteralExpression): boolean {
  const extensions = findOption(options, 'extensions');
  if (!extensions) return false;
  if (!ts.isPropertyAssignment(extensions)) return true;
  const list = skipOuterExpressions(extensions.initializer);
  if (!ts.isArrayLiteralExpression(list)) return true;
  return list.elements.some((element) => ts.isSpreadElement(element) || /redis/i.test(element.getText()));
}

function labelOf(node: CallLike): string {
  const callee = skipOuterExpressions(node.expression).getText().replace(/\s+/g, '');
  return ts.isNewExpression(node) ? `new ${callee}(…)` : `${callee}(…)`;
}
