import ts = require('typescript');
import type { CallLike, FileFacts } from './file-facts';
import { resolveImportedMember } from './imports';
import { localInitializer } from './scope';
import { skipOuterExpressions } from './text';

/**
 * Converters run as child processes (no-blocking-request-work): ffmpeg, ImageMagick, pdftocairo,
 * LibreOffice and the like, started by `child_process`, execa or a service's own runner.
 */

/**
 * Command-line converters: media, images, documents, typesetting. A request that runs one waits
 * seconds for it, with the instance's CPU spent on it.
 */
const CONVERTERS = new Set([
  'ffmpeg', 'convert', 'magick', 'gm', 'vips', 'vipsthumbnail', 'pdftocairo', 'pdftoppm', 'optipng', 'pngquant', 'jpegoptim', 'gifsicle', 'cwebp',
  'rsvg-convert', 'inkscape', 'soffice', 'libreoffice', 'unoconv', 'wkhtmltopdf', 'wkhtmltoimage', 'gs', 'ghostscript', 'pandoc', 'pdflatex',
  'xelatex', 'lualatex', 'latexmk', 'tesseract', 'qpdf', 'mutool', 'sox', 'lame',
]);
/** Child-process starters: `child_process`'s, `execa`'s, `cross-spawn`'s. */
const CHILD_PROCESS_STARTERS: Record<string, (path: readonly string[]) => boolean> = {
  child_process: (path) => ['spawn', 'exec', 'execFile'].includes(path[path.length - 1] ?? ''),
  execa: (path) => path.length === 0 || ['execa', 'execaCommand', 'command', '$'].includes(path[path.length - 1] ?? ''),
  'cross-spawn': () => true,
};

/** A converter's child process: the binary, and whether the call starts it (else it hands the argv to something that does). */
export interface ConverterRun {
  binary: string;
  /** `spawn('ffmpeg', …)`, `execFile('pdftoppm', …, cb)`: started by this call, so it runs as part of the request wherever it starts. */
  startsHere: boolean;
}

/**
 * A converter run in a child process: `spawn('ffmpeg', args)` and `execFile('pdftoppm', args, cb)`
 * (started here), and, counted when waited for, `execa('convert', args)`, `execAsync(\`soffice
 * --headless --convert-to pdf \${f}\`)` (a promisified `exec`), or a service's own runner given the
 * argv (`safeExec(['optipng', path])`, the array in a local first, or a parameter the file's callers
 * fill with one). A command line names the binary and its arguments; a bare name to anything but a
 * process starter is something else (`queue.add('convert', job)`).
 */
export function converterRun(call: CallLike, facts: FileFacts): ConverterRun | undefined {
  if (!ts.isCallExpression(call) || call.arguments.length === 0) return undefined;
  let first = skipOuterExpressions(call.arguments[0]);
  if (ts.isIdentifier(first)) {
    const passed = passedConverter(first);
    if (passed) return { binary: passed, startsHere: false };
    first = skipOuterExpressions(localInitializer(first) ?? first);
  }
  if (ts.isArrayLiteralExpression(first)) {
    const binary = argvConverter(first);
    return binary ? { binary, startsHere: false } : undefined;
  }
  const text = ts.isStringLiteralLike(first) ? first.text : ts.isTemplateExpression(first) ? [first.head.text, ...first.templateSpans.map((span) => span.literal.text)].join(' ') : undefined;
  if (text === undefined) return undefined;
  const [command = '', ...rest] = text.trim().split(/\s+/);
  const binary = binaryName(command);
  if (!binary) return undefined;
  // `spawn('pandoc', ['--version'])`, `exec('ffmpeg -version')`: whether the converter is installed, answered at once.
  const argv = call.arguments[1] && skipOuterExpressions(call.arguments[1]);
  if (rest.length > 0 ? rest.every(isProbeFlag) : argv !== undefined && ts.isArrayLiteralExpression(argv) && isProbeArgv(argv.elements)) return undefined;
  const starter = startsChildProcess(call.expression, facts);
  if (starter === 'direct') return { binary, startsHere: true };
  // Handed to something else, a command line shows its options (`convert in.pdf -resize 260x out.png`); `log('convert failed')` is a sentence.
  return starter === 'promise' || rest.some((word) => word.startsWith('-')) ? { binary, startsHere: false } : undefined;
}

/** The argv of a converter, as an array literal: its binary's name. */
function argvConverter(value: ts.Expression): string | undefined {
  const array = skipOuterExpressions(value);
  if (!ts.isArrayLiteralExpression(array) || array.elements.length < 2 || isProbeArgv(array.elements.slice(1))) return undefined;
  const head = array.elements[0];
  return head && ts.isStringLiteralLike(head) ? binaryName(head.text) : undefined;
}

const passedConverters = new WeakMap<ts.SourceFile, Map<string, Map<number, string>>>();

/**
 * `async function run(source, argv) { argv = prefix.concat(argv); await safeExec(argv) }` called
 * in the same file as `run(path, ['pdftocairo', '-png', path])`: the parameter carries a
 * converter's argv, which the runner starts. The converter a caller passes for that parameter.
 */
function passedConverter(name: ts.Identifier): string | undefined {
  let fn: ts.Node | undefined = name.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn || !ts.isFunctionLike(fn)) return undefined;
  const index = fn.parameters.findIndex((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === name.text);
  if (index < 0 || localInitializer(name)) return undefined;
  const named = fn.name ?? (ts.isVariableDeclaration(fn.parent) ? fn.parent.name : undefined);
  if (!named || !ts.isIdentifier(named)) return undefined;
  return convertersPassedIn(fn.getSourceFile()).get(named.text)?.get(index);
}

/** In one pass over a file: the converters' argv arrays its calls pass, by callee name and argument position. */
function convertersPassedIn(file: ts.SourceFile): Map<string, Map<number, string>> {
  let found = passedConverters.get(file);
  if (found) return found;
  const byCallee = new Map<string, Map<number, string>>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const calleeName = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      node.arguments.forEach((argument, i) => {
        const binary = calleeName ? argvConverter(argument) : undefined;
        if (!binary || !calleeName) return;
        const byIndex = byCallee.get(calleeName) ?? new Map<number, string>();
        if (!byIndex.has(i)) byIndex.set(i, binary);
        byCallee.set(calleeName, byIndex);
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  found = byCallee;
  passedConverters.set(file, found);
  return found;
}

/** `--version`, `-version`, `-v`, `--help`: a flag that makes a converter print what it is and exit. */
const PROBE_FLAG = /^--?(?:version|v|V|help|h)$/;

function isProbeFlag(word: string): boolean {
  return PROBE_FLAG.test(word);
}

/** Arguments that are only such flags, written as string literals. */
function isProbeArgv(elements: readonly ts.Expression[]): boolean {
  return elements.length > 0 && elements.every((element) => ts.isStringLiteralLike(element) && isProbeFlag(element.text));
}

/** `ffmpeg`, `/usr/bin/convert`, `C:\\tools\\magick.exe`: the converter's name, or undefined. */
function binaryName(command: string): string | undefined {
  const name = command.split(/[\\/]/).pop()?.replace(/\.exe$/i, '') ?? '';
  return CONVERTERS.has(name) ? name : undefined;
}

/**
 * `spawn(…)`, `childProcess.execFile(…)`: a starter called directly ('direct'); `execa(…)`, or a
 * binding made by `promisify(exec)` ('promise'); anything else undefined.
 */
function startsChildProcess(callee: ts.Expression, facts: FileFacts): 'direct' | 'promise' | undefined {
  const member = resolveImportedMember(callee, facts.imports);
  if (member) {
    const starts = CHILD_PROCESS_STARTERS[member.module];
    if (starts?.(member.path)) return member.module === 'child_process' ? 'direct' : 'promise';
    return undefined;
  }
  const target = skipOuterExpressions(callee);
  if (!ts.isIdentifier(target)) return undefined;
  const declaration = facts.topLevel.get(target.text);
  const made = localInitializer(target) ?? (declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined);
  const value = made ? skipOuterExpressions(made) : undefined;
  if (!value || !ts.isCallExpression(value) || !/(?:^|\.)promisify$/.test(value.expression.getText()) || value.arguments.length !== 1) return undefined;
  const wrapped = resolveImportedMember(value.arguments[0], facts.imports);
  return wrapped?.module === 'child_process' && CHILD_PROCESS_STARTERS.child_process(wrapped.path) ? 'promise' : undefined;
}

/** A response a handler streams into: `res`, `response`, `reply.raw`, Koa's `ctx.res`. */
const RESPONSE_TARGET = /^(?:res|resp|response|reply(?:\.raw)?|ctx\.res|ctx\.response)$/;
/** fluent-ffmpeg's methods that send its output to a stream: `.pipe(res)`, `.stream(res)`, `.writeToStream(res)`, `.output(res)`. */
const STREAM_METHODS = new Set(['pipe', 'stream', 'writeToStream', 'output']);

/**
 * `pump(ffmpeg(file.createReadStream()).format('webm'), res)`, `ffmpeg(input).format('mp3').pipe(res)`:
 * a transcode whose output is the response itself. The child process works while the client
 * reads, and the request is as long as the media it plays: bytes flow all along, and there is
 * no answer to give early and no job to hand it to. Held in a local, every use of it counts.
 */
export function isStreamedToResponse(call: ts.CallExpression | ts.NewExpression): boolean {
  // The chain built on the command: ffmpeg(input).videoCodec(…).format(…).
  let chain: ts.Expression = call;
  while (ts.isPropertyAccessExpression(chain.parent) && chain.parent.expression === chain && ts.isCallExpression(chain.parent.parent) && chain.parent.parent.expression === chain.parent) {
    if (sendsToResponse(chain.parent.parent)) return true;
    chain = chain.parent.parent;
  }
  if (handsToResponse(chain)) return true;
  const declaration = chain.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== chain || !ts.isIdentifier(declaration.name)) return false;
  const name = declaration.name.text;
  const scope = ts.findAncestor(declaration, (node) => ts.isFunctionLike(node) || ts.isSourceFile(node));
  let streamed = false;
  const visit = (node: ts.Node): void => {
    if (streamed) return;
    if (ts.isIdentifier(node) && node.text === name && node !== declaration.name) {
      const member = node.parent;
      streamed = handsToResponse(node) || (ts.isPropertyAccessExpression(member) && member.expression === node && ts.isCallExpression(member.parent) && sendsToResponse(member.parent));
    }
    ts.forEachChild(node, visit);
  };
  if (scope) ts.forEachChild(scope, visit);
  return streamed;
}

/** `.pipe(res)`, `.output(res)` in the command's chain. */
function sendsToResponse(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) && STREAM_METHODS.has(callee.name.text) && call.arguments.length > 0 && isResponse(call.arguments[0]);
}

/** `pump(command, res)`, `pipeline(command, res, cb)`, `stream.pipeline(command, res)`: handed on to the response. */
function handsToResponse(source: ts.Expression): boolean {
  const call = source.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== source) return false;
  const callee = skipOuterExpressions(call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  return (name === 'pump' || name === 'pipeline') && call.arguments.slice(1).some(isResponse);
}

function isResponse(node: ts.Expression): boolean {
  return RESPONSE_TARGET.test(skipOuterExpressions(node).getText().replace(/\s+/g, ''));
}
