import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';
import type { RuleId } from '../types';

// A class with a field named `instance` (`this.instance.name = …`, the account a connection serves)
// is made once per connected account, by the create route: `instance` says what each object is
// for, not that the class has one object per process. A `static instance` (or `static
// getInstance()`) still makes the class a singleton, whose fields requests write are reported.

afterAll(removeAnalysedProjects);

const CONNECTION = `export class Connection {
  public readonly instance: { name?: string; token?: string } = {};
  public readonly localSettings: { rejectCalls?: boolean } = {};

  public setInstance(name: string, token: string) {
    this.instance.name = name;
    this.instance.token = token;
  }

  public loadSettings(settings: { rejectCalls: boolean }) {
    Object.assign(this.localSettings, settings);
    this.localSettings.rejectCalls = settings.rejectCalls;
  }
}
`;

const REGISTRY = `export class Registry {
  private static instance: Registry | undefined;
  public readonly names: string[] = [];

  static get(): Registry {
    if (!Registry.instance) Registry.instance = new Registry();
    return Registry.instance;
  }
}
`;

const APP = `import express from 'express';
import { Connection } from './connection';
import { Registry } from './registry';

const app = express();
app.use(express.json());

app.post('/connections', (req, res) => {
  const connection = new Connection();
  connection.setInstance(req.body.name, req.body.token);
  connection.loadSettings({ rejectCalls: req.body.rejectCalls === true });
  res.json({ name: connection.instance.name });
});

app.post('/names', (req, res) => {
  const registry = Registry.get();
  registry.names.push(req.body.name);
  res.json({ ok: true });
});

app.listen(3000);
`;

const STATE_RULES: RuleId[] = ['no-in-memory-session', 'no-in-memory-counter', 'no-process-local-cache', 'no-in-process-lock'];

describe.each([
  ['typed', typedFindings],
  ['untyped', untypedFindings],
])('%s: a field named `instance` does not make its class a singleton', (_mode, findingsOf) => {
  const files = { 'connection.ts': CONNECTION, 'registry.ts': REGISTRY, 'app.ts': APP };

  it("the fields of an object each request makes stay quiet, whatever one of them is called", () => {
    expect(findingsOf(files, 'connection.ts', STATE_RULES)).toEqual([]);
  });

  it('a class with a `static instance` is still the process\'s one object: its list written by a request is reported', () => {
    expect(findingsOf(files, 'registry.ts', STATE_RULES)).toEqual([
      '3:19 no-in-memory-session: `names` holds application data in this process; it is written by POST /names (app.ts:15). A second instance will not see it.',
    ]);
  });
});
