import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clearProjectConfigCache, defaultConfig, loadProjectConfig, resolveConfig } from './index';
import { DEFAULT_PRIMARY_CLIENTS, DEFAULT_REPLICA_CLIENTS } from './rules/no-replica-read-after-write';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'stateless-config-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(temp, name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('resolveConfig', () => {
  it('gives complete defaults', () => {
    expect(defaultConfig()).toEqual({
      requestPath: { handlerCallees: [], ignoreFiles: [], maxDepth: 8 },
      adapterDir: 'src/scaling',
      rules: {
        'no-in-memory-session': { checkSessionMiddleware: true, allowNames: [] },
        'no-local-disk-write': { allowTempFiles: true, checkEmbeddedDatabases: true, checkUploadMiddleware: true },
        'no-replica-read-after-write': { replicaClients: DEFAULT_REPLICA_CLIENTS, primaryClients: DEFAULT_PRIMARY_CLIENTS },
        'no-in-memory-counter': { checkRateLimiters: true, allowNames: [] },
        'no-blocking-request-work': { slowCalls: [], checkSlowCalls: true },
        'no-in-process-scheduler': { localOnlyCallees: [], sharedWorkCallees: [], checkTimers: true },
        'no-in-memory-pubsub': { checkServers: true, allowNames: [] },
        'no-in-process-lock': { checkLibraries: true, allowNames: [] },
        'no-process-local-cache': { maxStalenessSeconds: 60, checkLibraries: true, allowNames: [] },
      },
    });
  });

  it('lets later inputs win, option by option', () => {
    const config = resolveConfig([
      { requestPath: { maxDepth: 4, ignoreFiles: ['jobs/**'] }, rules: { 'no-local-disk-write': { allowTempFiles: false } } },
      { requestPath: { maxDepth: 2 }, rules: { 'no-local-disk-write': { checkUploadMiddleware: false } } },
    ]);
    expect(config.requestPath).toEqual({ handlerCallees: [], ignoreFiles: ['jobs/**'], maxDepth: 2 });
    expect(config.rules['no-local-disk-write']).toEqual({ allowTempFiles: false, checkEmbeddedDatabases: true, checkUploadMiddleware: false });
  });

  it('drops wrong input with a clear problem instead of throwing', () => {
    const problems: string[] = [];
    const config = resolveConfig(
      [
        { requestPath: { maxDepth: -1, handlerCallees: 'api.register' }, adapterDir: '', rules: { 'no-such-rule': {}, 'no-in-memory-session': { allowNames: 'x', extra: 1 } } } as never,
        'nonsense' as never,
      ],
      problems,
    );
    expect(config).toEqual(defaultConfig());
    expect(problems).toEqual([
      '"requestPath.maxDepth" must be an integer from 0 to 32',
      '"requestPath.handlerCallees" must be an array of strings',
      '"adapterDir" must be a non-empty string',
      'unknown rule "no-such-rule"',
      'option "allowNames" of "no-in-memory-session" must be of type array',
      'unknown option "extra" of "no-in-memory-session"',
      'the configuration must be an object',
    ]);
  });
});

describe('loadProjectConfig', () => {
  it('finds stateless.config.json above the file', () => {
    const dir = project('with-file', {
      'package.json': '{"name":"x"}',
      'stateless.config.json': '{"requestPath":{"handlerCallees":["api.register"]}}',
      'src/routes/a.ts': '',
    });
    clearProjectConfigCache();
    const loaded = loadProjectConfig(path.join(dir, 'src', 'routes'));
    expect(loaded.rootDir).toBe(dir);
    expect(loaded.configFile).toBe(path.join(dir, 'stateless.config.json'));
    expect(loaded.input).toEqual({ requestPath: { handlerCallees: ['api.register'] } });
  });

  it('reads the "stateless" key of package.json', () => {
    const dir = project('with-key', { 'package.json': '{"name":"x","stateless":{"adapterDir":"lib/scaling"}}', 'src/a.ts': '' });
    expect(loadProjectConfig(path.join(dir, 'src')).input).toEqual({ adapterDir: 'lib/scaling' });
  });

  it('marks the nearest package.json as the root when there is no configuration', () => {
    const dir = project('plain', { 'package.json': '{"name":"x"}', 'src/a.ts': '' });
    expect(loadProjectConfig(path.join(dir, 'src'))).toEqual({ rootDir: dir, configFile: undefined, input: undefined, problems: [] });
  });

  it('passes over a package.json that only sets the module system of its folder', () => {
    const dir = project('typed-folder', { 'package.json': '{"name":"x"}', 'src/jobs/package.json': '{ "type": "commonjs" }', 'src/jobs/a.ts': '' });
    clearProjectConfigCache();
    expect(loadProjectConfig(path.join(dir, 'src', 'jobs')).rootDir).toBe(dir);
  });

  it('reports invalid JSON as a problem', () => {
    const dir = project('broken', { 'stateless.config.json': '{ nope', 'a.ts': '' });
    const loaded = loadProjectConfig(dir);
    expect(loaded.input).toBeUndefined();
    expect(loaded.problems).toHaveLength(1);
    expect(loaded.problems[0]).toContain('stateless.config.json is not valid JSON');
  });
});
