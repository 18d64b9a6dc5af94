import ts = require('typescript');
import { getFileFacts, type CallLike, type FileFacts, type FunctionNode } from './file-facts';
import { normalizeModule, resolveImportedMember, type ImportBinding } from './imports';
import { converterRun, isStreamedToResponse } from './converter-processes';
import { libraryInstanceCall, type LibraryInstanceCall } from './library-instances';
import { isShadowed, localInitializer } from './scope';
import { isMadeWhenMissing, isSeededWhenMissing } from './seeded-files';
import { awaitedValue, compactCode, propertyNameText, skipOuterExpressions } from './text';
import { enclosingClass } from './untyped-resolve';
import { returnedExpressions } from './factory-results';
import type { Resolver } from './resolve';

/** A call that blocks the event loop, or slow work a request waits for. */
export interface BlockingCall {
  call: CallLike;
  /** Where to report: the callee (`fs.readFileSync`) or the whole `new PDFDocument(…)`. */
  node: ts.Node;
  callee: string;
  kind: 'sync' | 'slow';
  /** For slow work: what it is (`image processing with sharp`). */
  what: string;
}

export interface SlowCallOption {
  module: string;
  name: string;
}

/**
 * Existence probes, one stat each, and the resolution of a path's links (`realpathSync`, a stat per
 * segment): as cheap as the check before an async call.
 */
const PROBES = new Set(['existsSync', 'accessSync', 'pathExistsSync', 'realpathSync']);

/** Synchronous APIs by module; existence probes are left alone. */
const SYNC_APIS: Record<string, (name: string) => boolean> = {
  fs: (name) => name.endsWith('Sync') && !PROBES.has(name),
  'fs-extra': (name) => name.endsWith('Sync') && !PROBES.has(name),
  child_process: (name) => ['execSync', 'execFileSync', 'spawnSync'].includes(name),
  // Password hashing and key or prime generation are slow by design; HKDF (`hkdfSync`) is a few HMACs, as cheap as `createHmac`.
  crypto: (name) => ['pbkdf2Sync', 'scryptSync', 'generateKeyPairSync', 'generateKeySync', 'generatePrimeSync', 'checkPrimeSync'].includes(name),
  zlib: (name) => name.endsWith('Sync'),
  // Hashing and comparing run the cost factor's rounds; `genSaltSync` only draws 16 random bytes and encodes them.
  bcrypt: (name) => ['hashSync', 'compareSync'].includes(name),
  bcryptjs: (name) => ['hashSync', 'compareSync'].includes(name),
  // Evaluating a script runs it to the end before the call returns (a sandbox's timeout bounds it, nothing else).
  vm: (name) => SCRIPT_RUNS.has(name),
  // fs-jetpack: its methods without the `Async` suffix are synchronous (`exists` is a probe).
  'fs-jetpack': (name) => JETPACK_SYNC.has(name),
  rimraf: (name) => ['sync', 'rimrafSync', 'nativeSync', 'manualSync'].includes(name),
  // A synchronous glob walks the folder tree, one directory read after another.
  glob: (name) => name === 'sync' || name === 'globSync',
  'fast-glob': (name) => name === 'sync' || name === 'globSync',
  globby: (name) => name === 'sync' || name === 'globbySync',
  // shelljs runs every command to the end before it returns (`exec` too, unless given a callback or `{ async: true }`).
  shelljs: (name) => SHELLJS_COMMANDS.has(name),
};

/** shelljs commands that read, write or run something; `test`, `which`, `pwd`, `echo` and `cd` are probes or process state. */
const SHELLJS_COMMANDS = new Set(['exec', 'cat', 'cp', 'rm', 'mv', 'mkdir', 'ls', 'find', 'grep', 'sed', 'head', 'tail', 'sort', 'uniq', 'touch', 'ln', 'chmod']);

const JETPACK_SYNC = new Set(['read', 'write', 'append', 'copy', 'move', 'rename', 'remove', 'file', 'dir', 'find', 'list', 'inspect', 'inspectTree']);

const SCRIPT_RUNS = new Set(['runInNewContext', 'runInContext', 'runInThisContext']);
/**
 * Packages whose instances work synchronously: sandboxes that run scripts (`new VM(options).run(code)`,
 * `new vm.Script(code).runInNewContext(sandbox)`), and adm-zip, which reads the files it adds, compresses,
 * writes and extracts the archive before the call returns (`toBuffer` with callbacks, `writeZipPromise` and
 * `extractAllToAsync` do not block that way).
 */
const SYNC_INSTANCES: Record<string, { classes: readonly string[]; methods: ReadonlySet<string> }> = {
  vm2: { classes: ['VM', 'NodeVM'], methods: new Set(['run', 'runFile']) },
  vm: { classes: ['Script'], methods: SCRIPT_RUNS },
  'adm-zip': { classes: [''], methods: new Set(['addLocalFile', 'addLocalFolder', 'writeZip', 'extractAllTo', 'extractEntryTo', 'toBuffer']) },
};
/** Every method name above: a call by any other name is asked nothing about its receiver. */
const SYNC_INSTANCE_METHODS: ReadonlySet<string> = new Set(Object.values(SYNC_INSTANCES).flatMap(({ methods }) => [...methods]));

/** Parsers whose instance does the work a method asks for: pdf-parse 2's `new PDFParse({ data }).getText()`. */
const SLOW_INSTANCES: Record<string, { classes: readonly string[]; methods: ReadonlySet<string>; what: string }> = {
  'pdf-parse': { classes: ['PDFParse'], methods: new Set(['getText', 'getTable', 'getImage', 'getScreenshot']), what: 'PDF parsing with pdf-parse' },
};
const SLOW_INSTANCE_METHODS: ReadonlySet<string> = new Set(Object.values(SLOW_INSTANCES).flatMap(({ methods }) => [...methods]));

const HEADLESS_BROWSERS = ['puppeteer', 'puppeteer-core', 'puppeteer-extra', 'playwright', 'playwright-core', 'playwright-chromium', 'playwright-firefox', 'playwright-webkit'];

/** `puppeteer.launch()`, `chromium.launch()`, `firefox.launchPersistentContext(dir)`; not `connect` to a browser that runs elsewhere. */
function isBrowserLaunch(path: readonly string[]): boolean {
  const name = path.join('.');
  return /^(?:(?:chromium|firefox|webkit)\.)?launch(?:PersistentContext)?$/.test(name);
}

/** A browser launched to print or capture in the same function: that `page.pdf()` or `page.screenshot()` is the one finding of the flow. */
function rendersInSameFunction(call: CallLike): boolean {
  let owner: ts.Node | undefined = call.parent;
  while (owner && !ts.isFunctionLike(owner) && !ts.isSourceFile(owner)) owner = owner.parent;
  if (!owner) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^(?:pdf|screenshot)$/.test(node.expression.name.text)) found = true;
    ts.forEachChild(node, visit);
  };
  visit(owner);
  return found;
}

/**
 * Slow work a handler should not wait for, by module: the member path that starts it and what it
 * is. Stream and event APIs (ffmpeg, pdfkit) run as part of the request wherever they start;
 * promise APIs count when the request waits for them.
 */
const SLOW_APIS: { module: string; matches: (path: readonly string[]) => boolean; what: string; eventBased?: boolean; reusable?: boolean }[] = [
  { module: 'sharp', matches: (path) => path.length === 0, what: 'image processing with sharp' },
  { module: 'jimp', matches: (path) => ['read', 'Jimp.read'].includes(path.join('.')), what: 'image processing with jimp' },
  { module: 'fluent-ffmpeg', matches: (path) => path.length === 0, what: 'video transcoding with ffmpeg', eventBased: true },
  { module: 'pdfkit', matches: (path) => path.length === 0, what: 'PDF rendering with pdfkit', eventBased: true },
  { module: 'pdf-lib', matches: (path) => path.join('.') === 'PDFDocument.create', what: 'PDF rendering with pdf-lib' },
  { module: 'html-pdf', matches: (path) => path.join('.') === 'create', what: 'PDF rendering with html-pdf', eventBased: true },
  // Document parsers: the whole file decoded and its text laid out on the event loop, pages by pages
  // (pdf-parse renders every page's text even for the page count), while the request waits.
  { module: 'pdf-parse', matches: (path) => path.length === 0, what: 'PDF parsing with pdf-parse' },
  { module: 'officeparser', matches: (path) => ['parseOfficeAsync', 'parseOffice'].includes(path[path.length - 1] ?? ''), what: 'document parsing with officeparser' },
  { module: 'mammoth', matches: (path) => ['extractRawText', 'convertToHtml', 'convertToMarkdown'].includes(path[path.length - 1] ?? ''), what: 'DOCX parsing with mammoth' },
  // A browser started for the request (a scrape, a render): seconds of start-up and a few hundred MB
  // per request. One launched at start-up or once on first use (`browser ??= await chromium.launch()`) is shared.
  ...HEADLESS_BROWSERS.map((module) => ({ module, matches: isBrowserLaunch, what: 'launching a headless browser', reusable: true })),
];
const SES_V3 = ['@aws-sdk/client-ses', '@aws-sdk/client-sesv2'];
const SLOW_METHODS: { modules: readonly string[]; method: string; what: string; receiver?: RegExp; madeByModule?: true }[] = [
  { modules: ['puppeteer', 'puppeteer-core', 'playwright', 'playwright-core', '@playwright/test'], method: 'pdf', what: 'PDF rendering in a headless browser' },
  { modules: ['puppeteer', 'puppeteer-core', 'playwright', 'playwright-core'], method: 'screenshot', what: 'a headless-browser screenshot' },
  // @nestjs-modules/mailer's MailerService wraps a nodemailer transport: the same SMTP round trips.
  { modules: ['nodemailer', '@nestjs-modules/mailer'], method: 'sendMail', what: 'sending e-mail' },
  { modules: ['@sendgrid/mail'], method: 'send', what: 'sending e-mail' },
  // Hosted e-mail APIs' SDK clients: an HTTPS call to the provider per message.
  { modules: ['postmark'], method: 'sendEmail', what: 'sending e-mail' },
  { modules: ['postmark'], method: 'sendEmailWithTemplate', what: 'sending e-mail' },
  { modules: ['resend'], method: 'send', what: 'sending e-mail' },
  // Where the method name is common (`create`, `send`, `request`), the member path the SDK sends through names it:
  // `mg.messages.create(domain, data)`, `mailjet.post('send', …).request(data)`, `mailerSend.email.send(params)` (`mailerSend.send` before its v2); a client's
  // `messages` (not the app's own `db.messages.create`).
  { modules: ['mailgun.js'], method: 'create', receiver: /(?:mail|mg|client)\w*\.messages$/i, what: 'sending e-mail' },
  { modules: ['node-mailjet'], method: 'request', receiver: /\.post\(['"`]send['"`]/, what: 'sending e-mail' },
  { modules: ['mailersend'], method: 'send', receiver: /(?:\.email|mail\w*)$/i, what: 'sending e-mail' },
  { modules: ['@mailchimp/mailchimp_transactional', 'mandrill-api'], method: 'send', receiver: /(?:mail|mandrill|transporter|client)\w*\.messages$/i, what: 'sending e-mail' },
  { modules: ['@plunk/node'], method: 'send', receiver: /\.emails$/, what: 'sending e-mail' },
  { modules: ['@infobip-api/sdk'], method: 'send', receiver: /\.channels\.email$/, what: 'sending e-mail' },
  // Amazon SES: the v2 SDK's client methods, and the v3 client's `send` of a Send…EmailCommand (`sendsEmailCommand`).
  ...['sendEmail', 'sendRawEmail', 'sendTemplatedEmail', 'sendBulkTemplatedEmail'].map((method) => ({ modules: ['aws-sdk', 'aws-sdk/clients/ses', 'aws-sdk/clients/sesv2'], method, what: 'sending e-mail' })),
  // The v3 packages' aggregated `SES` client has the same methods (`new SES({ region }).sendRawEmail(params)`; their `SESClient` has only `send`): on a client one of them made.
  ...['sendEmail', 'sendRawEmail', 'sendTemplatedEmail', 'sendBulkTemplatedEmail'].map((method) => ({ modules: [...SES_V3], method, what: 'sending e-mail', madeByModule: true as const })),
  { modules: SES_V3, method: 'send', what: 'sending e-mail' },
];

/**
 * Sync calls that make a folder (Node's `mkdirSync`, and fs-extra's `mkdirsSync`, `mkdirpSync` and
 * `ensureDirSync`, which make the parents too): behind `if (!existsSync(dir))`, made once per process
 * (`isMadeWhenMissing`).
 */
const FOLDER_MAKERS = new Set(['mkdirSync', 'mkdirsSync', 'mkdirpSync', 'ensureDirSync']);

/** Sync writes that seed a file the service keeps with fixed content, or copy a default it ships, when it is missing (`isSeededWhenMissing`). */
const SEEDING_WRITES = new Set(['writeFileSync', 'writeJsonSync', 'writeJSONSync', 'outputFileSync', 'outputJsonSync', 'outputJSONSync', 'copyFileSync', 'copySync']);

/** Sync calls and slow work in a file, found by import binding (so an alias is found, and a user's own `readFileSync` method is not). */
export function findBlockingCall(call: CallLike, facts: FileFacts, slowCalls: readonly SlowCallOption[], checker?: ts.TypeChecker, resolver?: Resolver): BlockingCall | undefined {
  const member = resolveImportedMember(call.expression, facts.imports);
  // The checker is asked only about calls that may be a re-exported sync API: imported from the
  // project's own modules, or named `…Sync` without an import binding.
  const mayBeReexported = member ? member.module.startsWith('.') : /Sync$/.test(skipOuterExpressions(call.expression).getText());
  const declared = mayBeReexported ? (declaredMember(call.expression, checker) ?? heldModuleMember(call.expression, resolver)) : undefined;
  const syncMember = declared ?? member;
  if (syncMember && ts.isCallExpression(call)) {
    const name = syncName(syncMember);
    if (name !== undefined) return isLazyLoad(call) || isTypeProbe(call, name) || isProbeInTry(call, name) || (FOLDER_MAKERS.has(name) && isMadeWhenMissing(call)) || (SEEDING_WRITES.has(name) && isSeededWhenMissing(call)) || (syncMember.module === 'shelljs' && isAsyncShellExec(call, name)) ? undefined : { call, node: call.expression, callee: call.expression.getText().replace(/\s+/g, ''), kind: 'sync', what: '' };
  }
  if (syncInstanceRun(call, facts)) return { call, node: call.expression, callee: compactCode(call.expression.getText()), kind: 'sync', what: '' };
  const parse = libraryInstanceCall(call, facts, SLOW_INSTANCE_METHODS);
  const parser = parse && SLOW_INSTANCES[parse.module];
  if (parse && parser && parser.classes.includes(parse.className) && parser.methods.has(parse.method) && isWaitedFor(call)) return { call, node: call.expression, callee: calleeText(call), kind: 'slow', what: parser.what };
  // A converter's child process started here holds the request wherever it starts; one given to a runner, when the runner is waited for.
  const converter = converterRun(call, facts);
  if (converter && (converter.startsHere || isWaitedFor(call))) return { call, node: call.expression, callee: calleeText(call), kind: 'slow', what: `a child process of ${converter.binary}` };
  if (member) {
    const slow = SLOW_APIS.find((api) => api.module === member.module && api.matches(member.path) && !(api.module === 'sharp' && readsOnlyMetadata(call)));
    // A chain such as sharp(input).resize(…).toBuffer() is reported once, where the work starts.
    // A transcode piped into the response is the response itself (`pump(ffmpeg(input).format('webm'), res)`), played as it comes.
    const streamed = member.module === 'fluent-ffmpeg' && isStreamedToResponse(call);
    if (slow && !streamed && (slow.eventBased || isWaitedFor(call)) && !(slow.reusable && (isLazyLoad(call) || rendersInSameFunction(call)))) return { call, node: ts.isNewExpression(call) ? call : call.expression, callee: calleeText(call), kind: 'slow', what: slow.what };
    const configured = slowCalls.find((option) => option.module === member.module && option.name === (member.path.join('.') || 'default'));
    if (configured && isWaitedFor(call)) return { call, node: call.expression, callee: calleeText(call), kind: 'slow', what: configured.name === 'default' ? configured.module : `${configured.module}'s ${configured.name}` };
  }
  const callee = skipOuterExpressions(call.expression);
  if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(callee) && isWaitedFor(call) && !isOwnMember(callee)) {
    const method = callee.name.text;
    const importedModules = new Set([...facts.imports.values()].map((binding) => binding.module));
    // Lazily: the package of a client the project made in another module or handed back from its own factory.
    let madeBy: string | null | undefined;
    const madeByPackage = (modules: readonly string[]): boolean => {
      madeBy ??= clientPackageOf(callee.expression, resolver) ?? null;
      return madeBy !== null && modules.includes(madeBy);
    };
    const slow = SLOW_METHODS.find(
      (candidate) =>
        candidate.method === method &&
        (candidate.madeByModule ? madeByPackage(candidate.modules) : candidate.modules.some((module) => importedModules.has(module)) || typeFromPackage(callee.expression, candidate.modules, checker) || madeByPackage(candidate.modules)) &&
        (candidate.receiver === undefined || candidate.receiver.test(receiverText(callee.expression))),
    );
    // `send` is a common name: the receiver is named for mail, is the mail package itself (`sendgrid.send`), or is given an SES command to send.
    const receiverModule = slow?.method === 'send' ? resolveImportedMember(callee.expression, facts.imports)?.module : undefined;
    const sends = slow?.receiver !== undefined || method !== 'send' || /mail/i.test(callee.expression.getText()) || (receiverModule !== undefined && slow?.modules.includes(receiverModule)) || sendsEmailCommand(call, facts);
    if (slow && sends && (slow.modules !== SES_V3 || sendsEmailCommand(call, facts))) return { call, node: callee, callee: callee.getText().replace(/\s+/g, ''), kind: 'slow', what: slow.what };
    if (method === 'sendMail' && isHandedTransport(callee.expression)) return { call, node: callee, callee: callee.getText().replace(/\s+/g, ''), kind: 'slow', what: 'sending e-mail' };
  }
  return undefined;
}

/**
 * `sharp(input).metadata()`: sharp reads the image's header for its format and size, nothing is
 * decoded or resized. A chain that goes on (`.resize(…)`, `.stats()`, `.toBuffer()`) is the work.
 */
function readsOnlyMetadata(call: CallLike): boolean {
  const access = call.parent;
  return ts.isPropertyAccessExpression(access) && access.expression === call && access.name.text === 'metadata' && ts.isCallExpression(access.parent) && access.parent.expression === access;
}

/**
 * The package that made the client a receiver names: a binding of this module or one another module
 * exports (`export const ses = new SES({ region })`, imported here), or a local made by the package or
 * given what one of the service's own functions returns (`const transport = await createTransport()`
 * whose returns are `nodemailer.createTransport(…)`). Undefined for anything else, and without a resolver.
 */
function clientPackageOf(receiver: ts.Expression, resolver: Resolver | undefined): string | undefined {
  const value = skipOuterExpressions(receiver);
  if (!resolver || !ts.isIdentifier(value)) return undefined;
  const local = localInitializer(value);
  if (local) {
    const made = awaitedValue(local);
    const direct = packageMaking(made);
    if (direct || !ts.isCallExpression(made)) return direct;
    let targets: readonly FunctionNode[] = [];
    try {
      targets = resolver.callTargets(made);
    } catch {
      targets = [];
    }
    for (const target of targets) {
      for (const returned of returnedExpressions(target)) {
        const module = packageMaking(awaitedValue(returned));
        if (module) return module;
      }
    }
    return undefined;
  }
  let declarations: readonly ts.Declaration[] = [];
  try {
    declarations = resolver.declarationsOf(value);
  } catch {
    declarations = [];
  }
  for (const declaration of declarations) {
    if (!ts.isVariableDeclaration(declaration) || !declaration.initializer) continue;
    const module = packageMaking(awaitedValue(declaration.initializer));
    if (module) return module;
  }
  return undefined;
}

/** The package a call or `new` of an imported member is made by in its file (`nodemailer.createTransport(…)`, `new SES(…)`), not a project module. */
function packageMaking(value: ts.Expression): string | undefined {
  if (!ts.isCallExpression(value) && !ts.isNewExpression(value)) return undefined;
  const member = resolveImportedMember(value.expression, getFileFacts(value.getSourceFile()).imports);
  return member && !member.module.startsWith('.') ? member.module : undefined;
}

/** Fields a mail transport goes by. */
const TRANSPORT_FIELD = /^_?(?:mailer|transporter|transport|mailTransport(?:er)?|smtpTransport|smtp)$/i;

/**
 * `await this.mailer.sendMail(message)` in a class whose constructor keeps the transport it is handed
 * (`constructor(mailer) { this.mailer = mailer }`): nodemailer's send, whoever created the transport.
 */
function isHandedTransport(receiver: ts.Expression): boolean {
  const value = skipOuterExpressions(receiver);
  if (!ts.isPropertyAccessExpression(value) || skipOuterExpressions(value.expression).kind !== ts.SyntaxKind.ThisKeyword || !TRANSPORT_FIELD.test(value.name.text)) return false;
  const owner = enclosingClass(value);
  const constructor = owner?.declaration.members.find(ts.isConstructorDeclaration);
  if (!constructor?.body) return false;
  const parameters = new Set(constructor.parameters.map((parameter) => parameter.name.getText()));
  return constructor.body.statements.some((statement) => {
    const expression = ts.isExpressionStatement(statement) ? skipOuterExpressions(statement.expression) : undefined;
    if (!expression || !ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
    const target = skipOuterExpressions(expression.left);
    const source = skipOuterExpressions(expression.right);
    return ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword && target.name.text === value.name.text && ts.isIdentifier(source) && parameters.has(source.text);
  });
}

/** The receiver's text without spaces, a local read through its initializer (`const send = client.post('send'); send.request(…)`). */
function receiverText(receiver: ts.Expression): string {
  const value = skipOuterExpressions(receiver);
  const local = ts.isIdentifier(value) ? localInitializer(value) : undefined;
  return (local ?? value).getText().replace(/\s+/g, '');
}

/**
 * `ses.send(new SendEmailCommand(params))`, or the command made in a local first (`const command =
 * new SendEmailCommand(params); await ses.send(command)`, as AWS's examples write it): a command of
 * the SES v3 clients that sends mail (not `GetSendQuotaCommand`, not S3's `PutObjectCommand`).
 */
function sendsEmailCommand(call: ts.CallExpression, facts: FileFacts): boolean {
  const argument = call.arguments.length === 1 ? skipOuterExpressions(call.arguments[0]) : undefined;
  const local = argument && ts.isIdentifier(argument) ? localInitializer(argument) : undefined;
  const command = local ? skipOuterExpressions(local) : argument;
  if (!command || !ts.isNewExpression(command)) return false;
  const made = resolveImportedMember(command.expression, facts.imports);
  return made !== undefined && SES_V3.includes(made.module) && /^Send\w*EmailCommand$/.test(made.path[made.path.length - 1] ?? '');
}

/**
 * `this.sendMail(to, subject, text)` in a class that declares its own `sendMail` (a mail service
 * wrapping nodemailer): the class's method, not the package's, whose own call is the one reported.
 */
function isOwnMember(callee: ts.PropertyAccessExpression): boolean {
  if (skipOuterExpressions(callee.expression).kind !== ts.SyntaxKind.ThisKeyword) return false;
  const owner = enclosingClass(callee);
  // A method, or a field holding a function written here; a field bound to the package's method (`sendMail = transport.sendMail.bind(transport)`) is the package's.
  const isOwnFunction = (member: ts.ClassElement): boolean =>
    (ts.isMethodDeclaration(member) && member.body !== undefined) || (ts.isPropertyDeclaration(member) && member.initializer !== undefined && (ts.isArrowFunction(member.initializer) || ts.isFunctionExpression(member.initializer)));
  return owner !== undefined && owner.declaration.members.some((member) => propertyNameText(member.name) === callee.name.text && isOwnFunction(member));
}

/**
 * `vm.run(code)` on a `new VM(…)` of vm2, `script.runInNewContext()` on a `new vm.Script(…)`, `zip.writeZip(file)`
 * on a `new AdmZip()`. A zip built and written in steps is one piece of work: only its first blocking call in
 * the function is the finding (`zip.addLocalFolder(dir); zip.writeZip(file)`).
 */
function syncInstanceRun(call: CallLike, facts: FileFacts): boolean {
  const run = blockingInstanceRun(call, facts);
  return run !== undefined && (run.module !== 'adm-zip' || !followsSyncRunOnSameInstance(call, run.receiver.getText(), facts));
}

/** A blocking method of an instance SYNC_INSTANCES names (adm-zip's `toBuffer` only without callbacks). */
function blockingInstanceRun(call: CallLike, facts: FileFacts): LibraryInstanceCall | undefined {
  const run = libraryInstanceCall(call, facts, SYNC_INSTANCE_METHODS);
  const kind = run && SYNC_INSTANCES[run.module];
  if (!run || !kind || !kind.classes.includes(run.className) || !kind.methods.has(run.method)) return undefined;
  return run.method === 'toBuffer' && (call.arguments?.length ?? 0) > 0 ? undefined : run;
}

/** An earlier blocking call of the same package's instance, on the same receiver, in the same function. */
function followsSyncRunOnSameInstance(call: CallLike, receiver: string, facts: FileFacts): boolean {
  let owner: ts.Node | undefined = call.parent;
  while (owner && !ts.isFunctionLike(owner) && !ts.isSourceFile(owner)) owner = owner.parent;
  if (!owner) return false;
  let earlier = false;
  const visit = (node: ts.Node): void => {
    if (earlier || node.pos >= call.pos) return;
    if (node !== owner && ts.isFunctionLike(node)) return;
    if (ts.isCallExpression(node) && node !== call && blockingInstanceRun(node, facts)?.receiver.getText() === receiver) earlier = true;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(owner, visit);
  return earlier;
}

/**
 * With a type checker: the receiver's type is declared by one of the packages, e.g. a nodemailer
 * `Transporter` handed around as `fastify.mailer` in a file that does not import nodemailer.
 */
function typeFromPackage(receiver: ts.Expression, modules: readonly string[], checker: ts.TypeChecker | undefined): boolean {
  if (!checker) return false;
  try {
    const type = checker.getTypeAtLocation(receiver);
    const symbol = type.aliasSymbol ?? type.getSymbol();
    return (symbol?.declarations ?? []).some((declaration) => {
      const packageName = /\/node_modules\/(?:@types\/)?((?:@[^/]+\/)?[^/]+)\//.exec(declaration.getSourceFile().fileName)?.[1];
      return packageName !== undefined && modules.includes(packageName);
    });
  } catch {
    return false;
  }
}

/**
 * `template ??= fs.readFileSync(p)`, `if (!cache.has(k)) cache.set(k, fs.readFileSync(p))`,
 * `if (!config) config = JSON.parse(fs.readFileSync(p, 'utf8'))`: loaded once on first use, then
 * served from memory; the first request pays, the rest do not block.
 */
export function isLazyLoad(call: CallLike): boolean {
  let target: string | undefined;
  for (let node: ts.Node = call; node.parent && !ts.isFunctionLike(node.parent) && !ts.isBlock(node.parent); node = node.parent) {
    const parent = node.parent;
    if (ts.isBinaryExpression(parent) && parent.right === node) {
      const operator = parent.operatorToken.kind;
      if (operator === ts.SyntaxKind.QuestionQuestionEqualsToken || operator === ts.SyntaxKind.BarBarEqualsToken) return true;
      if (operator === ts.SyntaxKind.EqualsToken) {
        target = parent.left.getText();
        break;
      }
      if ((operator === ts.SyntaxKind.QuestionQuestionToken || operator === ts.SyntaxKind.BarBarToken) && ts.isBinaryExpression(parent.parent) && parent.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.parent.left.getText() === parent.left.getText()) return true;
    }
    if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression) && ts.isPropertyAccessExpression(parent.expression) && parent.expression.name.text === 'set') {
      target = parent.expression.expression.getText();
      break;
    }
  }
  if (target === undefined) return isBehindMemo(call) || isGetOrLoad(call) || isInFillOnceBlock(call) || isOnlyCalledToFill(call);
  const owner = target.replace(/\[.*$|\.get\(.*$/, '');
  for (let node: ts.Node | undefined = call.parent; node && !ts.isFunctionLike(node); node = node.parent) {
    if (!ts.isIfStatement(node)) continue;
    const condition = node.expression.getText().replace(/\s+/g, '');
    const absent = [`!${target}`, `${target}===undefined`, `${target}==null`, `${target}===null`, `!${owner}.has(`, `!(${target})`];
    if (absent.some((test) => condition.includes(test.replace(/\s+/g, '')))) return true;
  }
  return isBehindMemo(call) || (isMemoMember(target, call) && isInFillOnceBlock(call));
}

/**
 * `if (!build) { build = { sha: '' }; build.sha = fs.readFileSync(p, 'utf8') }`: a member of a memo
 * the block creates is filled there too. The memo must outlive the call (a module binding or a
 * field): a local tested and filled so is made again by every request.
 */
function isMemoMember(target: string, call: CallLike): boolean {
  const root = /^(this\.[\w$]+|[\w$]+)/.exec(target)?.[1];
  if (root === undefined || root === target) return false;
  return root.startsWith('this.') || getFileFacts(call.getSourceFile()).topLevel.has(root);
}

/**
 * `if (!cache[archive]) { const fd = fs.openSync(archive, 'r'); …; cache[archive] = { fd } }` (or
 * `if (!files.has(k)) { …; files.set(k, …) }`): the block fills what its condition finds missing,
 * so its work runs once per key, not on every request.
 */
function isInFillOnceBlock(node: ts.Node): boolean {
  for (let current = node.parent; current && !ts.isFunctionLike(current); current = current.parent) {
    if (!ts.isIfStatement(current) || !ts.isBlock(current.thenStatement) || !ts.findAncestor(node, (ancestor) => ancestor === current.thenStatement)) continue;
    const condition = skipOuterExpressions(current.expression);
    if (!ts.isPrefixUnaryExpression(condition) || condition.operator !== ts.SyntaxKind.ExclamationToken) continue;
    const tested = skipOuterExpressions(condition.operand);
    const map = ts.isCallExpression(tested) && ts.isPropertyAccessExpression(tested.expression) && tested.expression.name.text === 'has' ? compact(tested.expression.expression) : undefined;
    const filled = (candidate: ts.Node): boolean =>
      (map === undefined ? isAssignment(candidate, compact(tested)) : ts.isCallExpression(candidate) && ts.isPropertyAccessExpression(candidate.expression) && candidate.expression.name.text === 'set' && compact(candidate.expression.expression) === map) ||
      (!ts.isFunctionLike(candidate) && ts.forEachChild(candidate, filled) === true);
    if (ts.forEachChild(current.thenStatement, filled) === true) return true;
  }
  return false;
}

/** `readArchiveHeaderSync(fd)`, a function of the file called only inside such blocks: its work runs when the cache is filled. */
function isOnlyCalledToFill(call: CallLike): boolean {
  const fn = ts.findAncestor(call.parent, ts.isFunctionLike);
  const name = fn && (ts.isMethodDeclaration(fn) || ts.isFunctionDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name) ? fn.name.text : undefined;
  if (name === undefined) return false;
  const callers: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if ((ts.isIdentifier(callee) && callee.text === name) || (ts.isPropertyAccessExpression(callee) && callee.name.text === name)) callers.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(call.getSourceFile());
  return callers.length > 0 && callers.every(isInFillOnceBlock);
}

/**
 * `const template = templates.get(file) || compile(fs.readFileSync(file)); templates.set(file, template)`:
 * the read runs when the map misses, and the function keeps what it read in the same map.
 */
function isGetOrLoad(call: CallLike): boolean {
  let fn: ts.Node | undefined = call.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn) return false;
  for (let node: ts.Node = call; node.parent && node.parent !== fn; node = node.parent) {
    const parent = node.parent;
    if (!ts.isBinaryExpression(parent) || parent.right !== node) continue;
    if (parent.operatorToken.kind !== ts.SyntaxKind.BarBarToken && parent.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken) continue;
    const store = /([\w$.]+)\.get\(/.exec(parent.left.getText())?.[1];
    if (store !== undefined && fn.getText().includes(`${store}.set(`)) return true;
  }
  return false;
}

/**
 * `if (fetched) return commit; fetched = true; commit = execSync(…)` and
 * `if (cache.outdated !== undefined) return cache.outdated;` before a read whose result is kept in
 * `cache.outdated`: the function answers from module state once it has run, so the sync work runs
 * once per process (or once per cache period), not on every request. The guard must return the
 * kept value, or be a flag the function raises before the work: a guard such as
 * `if (maintenance) return res.sendStatus(503)` keeps the work on every other request.
 */
function isBehindMemo(call: CallLike): boolean {
  let statement: ts.Node = call;
  while (statement.parent && !(ts.isBlock(statement.parent) && ts.isFunctionLike(statement.parent.parent))) statement = statement.parent;
  const body = statement.parent;
  if (!body || !ts.isBlock(body)) return false;
  const fn = body.parent as ts.SignatureDeclaration;
  const before = body.statements.slice(0, body.statements.indexOf(statement as ts.Statement));
  return before.some((guard) => {
    if (!ts.isIfStatement(guard) || guard.elseStatement) return false;
    const returned = earlyReturn(guard.thenStatement);
    const kept = presenceTested(guard.expression);
    if (!returned || !kept || !isModuleOrInstanceState(kept, fn)) return false;
    const keptText = compact(kept);
    if (returned.expression && compact(returned.expression).includes(keptText)) return isAssignedInFile(keptText, guard.getSourceFile());
    return before.some((raised) => ts.isExpressionStatement(raised) && isAssignment(raised.expression, keptText) && raised.expression.right.kind === ts.SyntaxKind.TrueKeyword);
  });
}

function earlyReturn(statement: ts.Statement): ts.ReturnStatement | undefined {
  if (ts.isReturnStatement(statement)) return statement;
  return ts.isBlock(statement) && statement.statements.length === 1 && ts.isReturnStatement(statement.statements[0]) ? statement.statements[0] : undefined;
}

/**
 * `kept`, `kept !== undefined`, `kept != null`, `kept !== null`: the reference whose presence is tested;
 * also first in a conjunction that checks the kept value is still good (`this.ssh && this.ssh.isConnected()`),
 * where the work runs again only when the kept connection is gone.
 */
function presenceTested(condition: ts.Expression): ts.Expression | undefined {
  const test = skipOuterExpressions(condition);
  if (ts.isIdentifier(test) || ts.isPropertyAccessExpression(test)) return test;
  if (!ts.isBinaryExpression(test)) return undefined;
  const operator = test.operatorToken.kind;
  if (operator === ts.SyntaxKind.AmpersandAmpersandToken) {
    const kept = presenceTested(test.left);
    return kept && compact(test.right).startsWith(`${compact(kept)}.`) ? kept : undefined;
  }
  const absent = test.right.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(test.right) && test.right.text === 'undefined');
  return absent && (operator === ts.SyntaxKind.ExclamationEqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsToken) ? test.left : undefined;
}

/** Rooted at `this` or at a variable the file declares at module scope, not one of the function's parameters. */
function isModuleOrInstanceState(reference: ts.Expression, fn: ts.SignatureDeclaration): boolean {
  let root = reference;
  while (ts.isPropertyAccessExpression(root)) root = root.expression;
  if (root.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (!ts.isIdentifier(root)) return false;
  const name = root.text;
  if (fn.parameters.some((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === name)) return false;
  return root.getSourceFile().statements.some((top) => ts.isVariableStatement(top) && top.declarationList.declarations.some((declaration) => ts.isIdentifier(declaration.name) && declaration.name.text === name));
}

function isAssignment(node: ts.Node, target: string): node is ts.BinaryExpression {
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && compact(node.left) === target;
}

function isAssignedInFile(target: string, sourceFile: ts.SourceFile): boolean {
  const visit = (node: ts.Node): boolean => isAssignment(node, target) || ts.forEachChild(node, visit) === true;
  return visit(sourceFile);
}

function compact(node: ts.Node): string {
  return node.getText().replace(/\s+/g, '');
}

/**
 * `fs.statSync(p).isDirectory()`, `lstatSync(p).isFile()`: one stat asked only which kind of entry
 * is there, an existence probe like `existsSync`. A stat whose size or times are read stays reported.
 */
function isTypeProbe(call: ts.CallExpression, name: string): boolean {
  if (name !== 'statSync' && name !== 'lstatSync') return false;
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent) || ts.isNonNullExpression(node.parent)) node = node.parent;
  const access = node.parent;
  return ts.isPropertyAccessExpression(access) && access.expression === node && ['isFile', 'isDirectory', 'isSymbolicLink'].includes(access.name.text) && ts.isCallExpression(access.parent) && access.parent.expression === access;
}

/**
 * `try { fs.statSync(dir); } catch { … }`: a stat whose result is dropped, in a try block whose
 * catch handles the missing entry, only asks whether the entry exists, as `existsSync` does.
 */
function isProbeInTry(call: ts.CallExpression, name: string): boolean {
  if (name !== 'statSync' && name !== 'lstatSync') return false;
  const statement = call.parent;
  if (!ts.isExpressionStatement(statement) || statement.expression !== call) return false;
  const block = statement.parent;
  return ts.isBlock(block) && ts.isTryStatement(block.parent) && block.parent.tryBlock === block && block.parent.catchClause !== undefined;
}

/**
 * With a type checker: the library member a call resolves to through re-exports and wrappers
 * (`export { readFileSync as load } from 'fs'` in a utils module), read from the `declare module`
 * block or package its declaration sits in.
 */
function declaredMember(callee: ts.Expression, checker: ts.TypeChecker | undefined): ImportBinding | undefined {
  if (!checker) return undefined;
  const value = skipOuterExpressions(callee);
  const name = ts.isPropertyAccessExpression(value) ? value.name : ts.isIdentifier(value) ? value : undefined;
  if (!name) return undefined;
  try {
    let symbol = checker.getSymbolAtLocation(name);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    for (const declaration of symbol?.declarations ?? []) {
      const module = declaringModule(declaration);
      if (module) return { module: module.module, path: [...module.path, symbol!.name] };
    }
  } catch {
    // no answer from the checker: no finding
  }
  return undefined;
}

/**
 * `yapi.fs.readFileSync(…)`: a module another module of the service hands on as a member of the object it
 * exports (`module.exports = { fs, path, … }` with `const fs = require('fs-extra')`), read by syntax.
 */
function heldModuleMember(callee: ts.Expression, resolver: Resolver | undefined): ImportBinding | undefined {
  const value = skipOuterExpressions(callee);
  if (!resolver || !ts.isPropertyAccessExpression(value) || !/Sync$/.test(value.name.text)) return undefined;
  const holder = skipOuterExpressions(value.expression);
  if (!ts.isPropertyAccessExpression(holder)) return undefined;
  for (const declaration of resolver.declarationsOf(holder)) {
    // The member's value (`fs: fs`), or the declaration it names when the resolver went on to it (`const fs = require('fs-extra')`).
    const held = ts.isShorthandPropertyAssignment(declaration) ? declaration.name : ts.isPropertyAssignment(declaration) ? skipOuterExpressions(declaration.initializer) : ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) ? declaration.name : undefined;
    if (!held || !ts.isIdentifier(held) || isShadowed(held, held.text)) continue;
    const binding = getFileFacts(held.getSourceFile()).imports.get(held.text);
    if (binding && !binding.module.startsWith('.')) return { module: binding.module, path: [...binding.path, value.name.text] };
  }
  return undefined;
}

function declaringModule(declaration: ts.Node): ImportBinding | undefined {
  for (let current: ts.Node | undefined = declaration.parent; current; current = current.parent) {
    if (ts.isModuleDeclaration(current) && ts.isStringLiteral(current.name)) return normalizeModule(current.name.text);
  }
  const packageName = /\/node_modules\/(?:@types\/)?((?:@[^/]+\/)?[^/]+)\//.exec(declaration.getSourceFile().fileName)?.[1];
  return packageName && SYNC_APIS[packageName] ? { module: packageName, path: [] } : undefined;
}

/** shelljs's `exec(command, callback)` or `exec(command, { async: true })`: the child process runs while the event loop goes on. */
function isAsyncShellExec(call: ts.CallExpression, name: string): boolean {
  if (name !== 'exec') return false;
  return call.arguments.slice(1).some((argument) => {
    const value = skipOuterExpressions(argument);
    if (ts.isFunctionExpression(value) || ts.isArrowFunction(value) || ts.isIdentifier(value)) return true;
    return ts.isObjectLiteralExpression(value) && value.properties.some((property) => ts.isPropertyAssignment(property) && propertyNameText(property.name) === 'async' && property.initializer.kind !== ts.SyntaxKind.FalseKeyword);
  });
}

function syncName(member: ImportBinding): string | undefined {
  const check = SYNC_APIS[member.module];
  if (!check) return undefined;
  const path = member.module === 'fs' && member.path[0] === 'promises' ? [] : member.path;
  const name = path.length === 1 ? path[0] : path.length === 2 && path[0] === 'default' ? path[1] : undefined;
  return name !== undefined && check(name) ? name : undefined;
}

function calleeText(call: CallLike): string {
  const text = call.expression.getText().replace(/\s+/g, '');
  return ts.isNewExpression(call) ? `new ${text}()` : text;
}

/**
 * `transporter.sendMail(message, callback)` with `callback` a parameter of the function around it:
 * the caller's continuation (`mailer.sendWelcome(member, function (err) { res.json(…) })`) runs
 * when the mail is sent, so the request waits for it.
 */
function continuesInCallback(call: CallLike): boolean {
  const last = call.arguments?.[call.arguments.length - 1];
  if (!last || call.arguments.length < 2) return false;
  const value = skipOuterExpressions(last);
  if (ts.isFunctionExpression(value) || ts.isArrowFunction(value)) return callsContinuation(value, call);
  if (!ts.isIdentifier(value)) return false;
  for (let node: ts.Node | undefined = call.parent; node && !ts.isSourceFile(node); node = node.parent) {
    if (ts.isFunctionLike(node)) return node.parameters.some((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === value.text);
  }
  return false;
}

/**
 * `Jimp.read(buffer, (err, image) => { …; callback(null, out) })`, `sharp(input).toBuffer((err, data) =>
 * res.send(data))`: the inline callback calls the caller's continuation (a parameter of a function
 * around the call) or answers the response, so the request waits for the work. A callback that only
 * logs (`sendMail(message, (err) => log(err))`) leaves the request free.
 */
function callsContinuation(callback: ts.FunctionExpression | ts.ArrowFunction, call: CallLike): boolean {
  const continuations = new Set<string>();
  for (let node: ts.Node | undefined = call.parent; node && !ts.isSourceFile(node); node = node.parent) {
    if (ts.isFunctionLike(node)) for (const parameter of node.parameters) if (ts.isIdentifier(parameter.name) && !RESPONSE_NAME.test(parameter.name.text)) continuations.add(parameter.name.text);
  }
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isIdentifier(callee) && continuations.has(callee.text)) found = true;
      else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && RESPONSE_NAME.test(callee.expression.text) && RESPONSE_METHOD.test(callee.name.text)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(callback.body);
  return found;
}

const RESPONSE_NAME = /^(?:res|response|reply)$/;
const RESPONSE_METHOD = /^(?:send|json|end|render|redirect|sendFile|download|status|sendStatus|type|header|code)$/;

/**
 * A call on the way from a handler to slow work holds the request: it is waited for, or it is
 * given a continuation (`sendWelcome(email, function (err) { res.json(…) })`) that answers later.
 */
export function holdsRequest(call: CallLike): boolean {
  if (runsInTimerCallback(call)) return false;
  if (isWaitedFor(call)) return true;
  return (call.arguments ?? []).some((argument) => {
    const value = skipOuterExpressions(argument);
    // A callback that at most logs (`mailer.sendMail(message, (err) => { if (err) log.error(err) })`)
    // continues nothing: the caller answers before or apart from the send.
    if (ts.isFunctionExpression(value) || ts.isArrowFunction(value)) return !onlyLogs(value);
    return ts.isIdentifier(value) && /^(cb|callback|next|done)$/.test(value.text);
  });
}

/** Timers whose callback runs after the code that armed it has gone on: the request is answered without it. */
const TIMERS = new Set(['setTimeout', 'setImmediate', 'queueMicrotask']);

/**
 * `batch.timer = setTimeout(async () => { await mailer.sendDigest(owner, names) }, 5000)`: work in the
 * callback of a timer the request path arms (a debounce, a batch flushed later) runs after the handler
 * went on, so the request does not wait for it. Only the functions written inside the one the path
 * entered are looked at; a timer inside a Promise executor (`await new Promise((resolve) =>
 * setTimeout(async () => { await send(); resolve() }))`) may be waited for, and still holds.
 */
export function runsInTimerCallback(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isFunctionDeclaration(current) || ts.isMethodDeclaration(current) || ts.isConstructorDeclaration(current) || ts.isSourceFile(current)) return false;
    if (!ts.isArrowFunction(current) && !ts.isFunctionExpression(current)) continue;
    const timer: ts.Node = current.parent;
    if (ts.isCallExpression(timer) && timer.arguments[0] === current && isTimerCall(timer)) return !isInPromiseExecutor(timer);
  }
  return false;
}

function isTimerCall(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return TIMERS.has(callee.text) && !isShadowed(callee, callee.text);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return false;
  const owner = callee.expression.text;
  return (owner === 'process' && callee.name.text === 'nextTick') || ((owner === 'global' || owner === 'globalThis' || owner === 'window') && TIMERS.has(callee.name.text));
}

function isInPromiseExecutor(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isFunctionDeclaration(current) || ts.isMethodDeclaration(current) || ts.isSourceFile(current)) return false;
    if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && current.parent && ts.isNewExpression(current.parent) && skipOuterExpressions(current.parent.expression).getText() === 'Promise') return true;
  }
  return false;
}

const LOG_METHODS = new Set(['log', 'debug', 'info', 'warn', 'warning', 'error', 'trace', 'fatal', 'verbose', 'silly']);

/** `log.error('Mail', err)`, `console.warn(…)`, `this.logger.info(…)`: a line written to a log. */
function isLogCall(node: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(node.expression);
  if (ts.isIdentifier(callee)) return callee.text === 'log' || callee.text === 'debug';
  return ts.isPropertyAccessExpression(callee) && LOG_METHODS.has(callee.name.text) && /(?:^|\.)(?:console|_?logger|log|npmlog|winston)$/i.test(skipOuterExpressions(callee.expression).getText());
}

/**
 * A callback whose body only tests, returns plain values and logs (`(err) => { if (err) log.error('Mail', err) }`,
 * `() => {}`): it calls no continuation, answers no response and writes nothing, so whoever handed it
 * over does not wait for the work that calls it. Any other call, assignment or `throw` counts as continuing.
 */
function onlyLogs(callback: ts.FunctionExpression | ts.ArrowFunction): boolean {
  let continues = false;
  const visit = (node: ts.Node): void => {
    if (continues) return;
    if (ts.isCallExpression(node)) {
      if (!isLogCall(node)) continues = true;
      else node.arguments.forEach(visit);
      return;
    }
    if (ts.isNewExpression(node) || ts.isThrowStatement(node) || ts.isAwaitExpression(node) || ts.isFunctionLike(node)) {
      continues = true;
      return;
    }
    const assigns = ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
    const steps = (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken);
    if (assigns || steps) {
      continues = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(callback.body);
  return !continues;
}

/** `await promise` after the assignment, in the function that assigns it. */
function isAwaitedLater(local: ts.Identifier): boolean {
  let fn: ts.Node | undefined = local.parent;
  while (fn && !ts.isFunctionLike(fn) && !ts.isSourceFile(fn)) fn = fn.parent;
  if (!fn || ts.isSourceFile(fn)) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isAwaitExpression(node) && node.pos > local.end) {
      const awaited = skipOuterExpressions(node.expression);
      if (ts.isIdentifier(awaited) && awaited.text === local.text) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}

/** `promise.then(() => {})`, `.then((info) => log.info(info.messageId))`: every callback given to `then` does nothing but log. */
function swallowsResult(call: ts.Node): boolean {
  return (
    ts.isCallExpression(call) &&
    call.arguments.length > 0 &&
    call.arguments.every((argument) => {
      const value = skipOuterExpressions(argument);
      return (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) && onlyLogs(value);
    })
  );
}

/**
 * The request waits for the call: it is awaited (directly or as the end of a chain), returned, or
 * passed on with `.then`. `transporter.sendMail(…).catch(log)` without an await does not hold the
 * request open.
 */
function isWaitedFor(call: CallLike): boolean {
  if (continuesInCallback(call)) return true;
  let node: ts.Node = call;
  for (let guard = 0; guard < 16; guard++) {
    const parent = node.parent;
    if (!parent) return false;
    if (ts.isAwaitExpression(parent) || ts.isReturnStatement(parent) || ts.isArrowFunction(parent)) return true;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
      const method = parent.name.text;
      if (method === 'catch' || method === 'finally') {
        node = parent.parent;
        continue;
      }
      // `.then(() => {})` swallows the result as `.catch(log)` does: the request goes on without it.
      if (method === 'then' && !swallowsResult(parent.parent)) return true;
      node = parent.parent;
      continue;
    }
    // await Promise.all([sendMail(a), sendMail(b)])
    if (ts.isArrayLiteralExpression(parent) && parent.parent && ts.isCallExpression(parent.parent) && /^Promise\.(all|allSettled|race|any)$/.test(parent.parent.expression.getText())) {
      node = parent.parent;
      continue;
    }
    if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isCallExpression(parent)) {
      node = parent;
      continue;
    }
    if (ts.isVariableDeclaration(parent)) return true;
    // let promise; if (pdf) promise = convert(file) else promise = thumbnail(file); … await promise
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === node && ts.isIdentifier(parent.left)) return isAwaitedLater(parent.left);
    return false;
  }
  return false;
}
