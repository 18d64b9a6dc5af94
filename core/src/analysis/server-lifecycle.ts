import ts = require('typescript');
import { getFileFacts, type CallLike, type FunctionNode } from './file-facts';
import { enclosingFunction } from './request-graph';
import { localInitializer } from './scope';
import { skipOuterExpressions } from './text';

/**
 * Handlers that end this server's life: an admin action that restarts the server
 * (`hooks.aCallAll('restartServer')`, `pm2.restart('app')`), and a one-shot set-up server that
 * closes itself once the set-up request is answered (`tempServer.close(…)`). What runs on the way
 * is start-up work of the server that comes next, not work of the traffic this one serves.
 */

/** `restartServer()`, `restartApp()`, `hooks.aCallAll('restartServer')`: a call that restarts the server or the process. */
const RESTART = /^(?:restart|reboot)(?:Server|App|Application|Process|Instance)$/i;
/** `restart()`, `reboot()` of the program's own (or os-reboot), `pm2.restart(name)`, `forever.restart(script)`. */
const BARE_RESTART = /^(?:restart|reboot)$/i;
const PROCESS_MANAGERS = /^(?:pm2|forever)$/;
/** Registrations name the event they listen for (`socket.on('restartServer', …)`): they do not restart. */
const LISTENERS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);
/** `server`, `tempServer`, `httpServer`, `setupServer`: what `app.listen()` or `http.createServer()` returned. */
const SERVER_NAME = /(?:^|[a-z])[sS]erver$/;

const restarting = new WeakMap<FunctionNode, boolean>();
const closing = new WeakMap<FunctionNode, boolean>();

/** Whether a function restarts the server itself, by a call written directly in it (not in a callback). */
export function restartsServer(fn: FunctionNode): boolean {
  let known = restarting.get(fn);
  if (known === undefined) {
    known = directCalls(fn).some(isRestart);
    restarting.set(fn, known);
  }
  return known;
}

/** Whether a function closes the HTTP server it runs on (`tempServer.close(…)`), by a call written directly in it. */
export function closesServer(fn: FunctionNode): boolean {
  let known = closing.get(fn);
  if (known === undefined) {
    known = directCalls(fn).some(isServerClose);
    closing.set(fn, known);
  }
  return known;
}

/**
 * Whether a call chain, or the call at its end, runs in a function that closes its server or, with
 * `restarts`, one that restarts it. A restart runs start-up again, so what it blocks on stalls no
 * request the restart does not stop anyway; a file it writes is still written for the next process
 * (an installed-plugins record), so writes ask only about servers that close for good.
 */
export function endsServer(calls: readonly CallLike[], last: CallLike, restarts: boolean): boolean {
  return [...calls, last].some((call) => {
    // Also a call in a callback written in such a function (`server.destroy(() => boot())`): it runs as the server ends.
    for (let fn = enclosingFunction(call); fn; fn = fn.parent ? enclosingFunction(fn.parent) : undefined) {
      if (closesServer(fn) || (restarts && restartsServer(fn))) return true;
    }
    return false;
  });
}

/** Starting the real application: a child process (`spawn('node', ['loader.js'])`, `fork('app')`) or a module loaded on the spot. */
const HAND_OVER = /^(?:spawn|spawnSync|fork|exec|execSync|execFile|execFileSync|require)$/;

/**
 * A one-shot set-up server's last step: a function that closes the HTTP server it runs on and starts
 * the application that replaces it (NodeBB's web installer spawns `loader.js`). A graceful-shutdown
 * route only closes: it hands over to nothing.
 */
export function handsOverServer(fn: FunctionNode): boolean {
  return closesServer(fn) && directCalls(fn).some((call) => {
    const { name } = calleeName(call);
    return name !== undefined && HAND_OVER.test(name);
  });
}

function directCalls(fn: FunctionNode): readonly CallLike[] {
  return getFileFacts(fn.getSourceFile()).functions.get(fn)?.calls ?? [];
}

function calleeName(call: CallLike): { name: string | undefined; receiver: ts.Expression | undefined } {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return { name: callee.text, receiver: undefined };
  if (ts.isPropertyAccessExpression(callee)) return { name: callee.name.text, receiver: skipOuterExpressions(callee.expression) };
  return { name: undefined, receiver: undefined };
}

function isRestart(call: CallLike): boolean {
  const { name, receiver } = calleeName(call);
  if (name === undefined) return false;
  if (RESTART.test(name)) return true;
  if (BARE_RESTART.test(name) && (receiver === undefined || PROCESS_MANAGERS.test(receiver.getText()))) return true;
  if (LISTENERS.has(name)) return false;
  return (call.arguments ?? []).some((argument) => ts.isStringLiteralLike(argument) && RESTART.test(argument.text));
}

/**
 * `tempServer.close(…)` on a name for a server (or one initialised by `listen`/`createServer`), not
 * `db.close()` or `io.close()`; also a server kept on a namespace (`WIKI.server.close()`), and
 * `destroy`, which server-destroy (or a hand-written twin) adds to close the server and its open sockets.
 */
function isServerClose(call: CallLike): boolean {
  const { name, receiver } = calleeName(call);
  if ((name !== 'close' && name !== 'destroy') || !receiver) return false;
  if (ts.isPropertyAccessExpression(receiver)) return SERVER_NAME.test(receiver.name.text);
  if (!ts.isIdentifier(receiver)) return false;
  if (SERVER_NAME.test(receiver.text)) return true;
  const initializer = localInitializer(receiver);
  return initializer !== undefined && /\.listen\s*\(|\bcreateServer\s*\(/.test(initializer.getText());
}
