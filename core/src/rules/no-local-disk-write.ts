import ts = require('typescript');
import { describeRoutes, pathSteps, primaryReach } from '../analysis/context';
import { fileCallPath, findDiskUploadConfigs, fsFolderAsContent, fsRemoveOfStoredFile, fsWriteCall, isCommittedAndPushed, isFileUploadMove, isFixedDocumentDownload, isPackageFolderPath, isPrivateTempFolderFile, isRemovedTempFile, isRenameOfOwnWrite, isScratchRenameInPlace, isStagedForUpload, removesParameter, touchesParameterGivenScratch, type DiskWriteCall } from '../analysis/disk-writes';
import type { CallLike, FunctionNode } from '../analysis/file-facts';
import { callsWithin, enclosingFunction, type Reach, type RequestGraph } from '../analysis/request-graph';
import { endsServer } from '../analysis/server-lifecycle';
import { backendReaches } from '../analysis/storage-backends';
import { driveDiskCall } from '../analysis/drive-disks';
import { embeddedDatabaseOpen, findLucidSqliteConnections, isKeptInModuleBinding } from '../analysis/embedded-databases';
import { getStartupReach } from '../analysis/startup';
import { isSeededWhenMissing } from '../analysis/seeded-files';
import { compactCode } from '../analysis/text';
import type { RuleDefinition } from '../rule-definition';

export const noLocalDiskWrite: RuleDefinition<'no-local-disk-write'> = {
  id: 'no-local-disk-write',
  description: 'Disallow writes to the local disk on request paths',
  whatBreaks:
    'Each instance writes to its own disk: a file saved by one instance is missing on the others, and it is lost when the instance is replaced.',
  configs: ['recommended', 'strict', 'all'],
  messages: {
    diskWrite:
      '`{{callee}}` writes to this instance\'s local disk on {{route}}. Other instances will not find the file, and it is lost when this instance is replaced.',
    diskRemove:
      '`{{callee}}` deletes a stored file from this instance\'s local disk on {{route}}. The other instances keep their copy, or never had it: the files belong in shared storage.',
    uploadToDisk:
      '{{library}} stores uploads on this instance\'s local disk ({{detail}}). Other instances will not find them; keep uploads in memory and put them in an object store (S3).',
    embeddedDatabase:
      '`{{callee}}` keeps the app\'s data in a {{library}} file on this instance\'s local disk. Each instance opens its own copy: what one saves the others never see, and it is lost when this instance is replaced. Keep the data in a database server every instance shares.',
    diskMoveToObjectStore: 'Keep the files in the object store (S3) instead ({{adapter}})',
  },
  optionsSchema: {
    type: 'object',
    properties: {
      allowTempFiles: {
        type: 'boolean',
        description: 'Allow writes under `os.tmpdir()` when the same handler removes the file again, and writes into a folder `mkdtemp` made for the call whose paths never leave it.',
      },
      checkEmbeddedDatabases: {
        type: 'boolean',
        description:
          'Report a database the web process keeps in a file of its own disk: SQLite (sqlite3, better-sqlite3, node:sqlite, bun:sqlite, sqlite, libsql, libSQL on a `file:` URL), lowdb, node-json-db, NeDB with a `filename`, LevelDB. Not in memory, read only, or under the temp folder.',
      },
      checkUploadMiddleware: {
        type: 'boolean',
        description:
          'Report upload middleware configured to store files on local disk (multer `dest` / `diskStorage`, formidable `uploadDir` (also under koa-body), express-fileupload `useTempFiles`, multiparty and jquery-file-upload-middleware `uploadDir`, a tus `FileStore`).',
      },
    },
    additionalProperties: false,
  },
  defaultOptions: { allowTempFiles: true, checkEmbeddedDatabases: true, checkUploadMiddleware: true },
  hasSuggestions: false,
  check(context, options) {
    if (context.isIgnoredFile) return;
    const { facts, graph } = context;
    if (options.checkUploadMiddleware) {
      for (const upload of findDiskUploadConfigs(facts)) {
        context.report({ ruleId: 'no-local-disk-write', messageId: 'uploadToDisk', data: { library: upload.library, detail: upload.detail }, node: upload.node });
      }
    }
    if (options.checkEmbeddedDatabases) {
      // Opened by the web process at start-up, or on a request and kept for the next ones (`db ??= new Database(file)`):
      // the app's data lives on this instance's disk. A file a request opens for itself (a backup it takes, an
      // uploaded database it imports) is that request's work.
      const startup = getStartupReach(graph, context.program, context.config.requestPath.maxDepth);
      for (const { node } of facts.calls) {
        const open = embeddedDatabaseOpen(node, facts);
        if (!open || !(startup.calledAtStartUp(node) || (isKeptInModuleBinding(node, facts) && graph.reachesOf(node).length > 0))) continue;
        context.report({ ruleId: 'no-local-disk-write', messageId: 'embeddedDatabase', data: { callee: compactCode(node.expression.getText()), library: open.library }, node: node.expression });
      }
      // An AdonisJS Lucid configuration: the framework opens its default connection at boot.
      for (const connection of findLucidSqliteConnections(facts)) {
        context.report({ ruleId: 'no-local-disk-write', messageId: 'embeddedDatabase', data: { callee: connection.name, library: connection.library }, node: connection.node });
      }
    }
    const writes: { write: DiskWriteCall; reaches: readonly Reach[]; removes: boolean }[] = [];
    const removesArgument = (call: CallLike, index: number): boolean => graph.callTargets(call).some((target) => removesParameter(target, index));
    for (const { node, function: fn } of facts.calls) {
      // A flydrive Disk with the fs driver in some configuration stores into this instance's folder.
      const drive = driveDiskCall(node, graph.resolver, context.program);
      const write = fsWriteCall(node, facts) ?? (isFileUploadMove(node, facts.imports) ? { call: node as DiskWriteCall['call'], callee: node.expression } : undefined) ?? fsFolderAsContent(node, fn, facts) ?? (drive && !drive.removes ? drive.write : undefined);
      const removal = write ? undefined : (fsRemoveOfStoredFile(node, fn, facts) ?? (drive?.removes ? drive.write : undefined));
      if ((!write && !removal) || !fn) continue;
      const reached = graph.reachesOf(node);
      // A local storage backend's writes run on the requests that call the backend through its interface.
      const reaches = reached.length > 0 ? reached : backendReaches(node, graph, context.program);
      if (reaches.length === 0) continue;
      // A one-shot set-up server (it closes itself once the set-up is answered) serves no traffic to scale out.
      if (reaches.every((reach) => endsServer(reach.calls, node, false))) continue;
      if (write && options.allowTempFiles && (isRemovedTempFile(write.call, fn, facts, removesArgument) || isPrivateTempFolderFile(write.call, fn, facts))) continue;
      if (write && isRenameOfOwnWrite(write.call, fn, facts)) continue;
      if (write && isScratchRenameInPlace(write.call, facts)) continue;
      if (write && isFixedDocumentDownload(write.call, facts)) continue;
      if (write && isStagedForUpload(write.call, fn, facts)) continue;
      if (write && isCommittedAndPushed(write.call, fn, facts)) continue;
      // A file of the service's own seeded with fixed content when missing holds nothing a user sent.
      if (write && ts.isCallExpression(write.call) && isSeededWhenMissing(write.call)) continue;
      // Linking a plugin's package into node_modules installs code, not data a user stores.
      const call = (write ?? removal)!.call;
      if (isPackageFolderPath(fileCallPath(call, facts))) continue;
      // A helper's path parameter is the caller's file: the paths that hand it scratch files drop out.
      const stored = reaches.filter((reach) => !touchesParameterGivenScratch(call, fn, callersOf(fn, reach, graph), facts));
      if (stored.length === 0) continue;
      writes.push({ write: (write ?? removal)!, reaches: stored, removes: !write });
    }
    for (const { write, reaches, removes } of writes) {
      const callee = write.label ?? compactCode(write.callee.getText());
      context.report({
        ruleId: 'no-local-disk-write',
        messageId: removes ? 'diskRemove' : 'diskWrite',
        data: { callee, route: describeRoutes(reaches, context.graph) },
        node: write.at ?? write.callee,
        path: pathSteps(primaryReach(reaches)!, write.call, removes ? `deletes a stored file with ${callee}()` : `writes to local disk with ${callee}()`),
      });
    }
  },
};

/**
 * The calls that hand a function its arguments on one request path: the last call of the chain and
 * the other calls of the same callee in the function that makes it (`rm(srcFile); rm(destFile)`);
 * `undefined` when the chain does not end by calling the function itself.
 */
function callersOf(fn: FunctionNode, reach: Reach, graph: RequestGraph): (CallLike | undefined)[] {
  const last = reach.calls.at(-1);
  if (!last || !graph.callTargets(last).includes(fn)) return [undefined];
  const caller = enclosingFunction(last);
  if (!caller) return [last];
  const callee = last.expression.getText();
  return callsWithin(caller).filter((call) => call.expression.getText() === callee && graph.callTargets(call).includes(fn));
}

