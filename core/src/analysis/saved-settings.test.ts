import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// An object a request replaces whole and then saves, under its own name, into the configuration
// (round 32, test/real-world: a file server's shared-folder tree, loaded from its configuration, rebuilt
// by a review function that admin routes call before `setConfig({ vfs })`), written here in a shape of
// our own. The configuration is what every instance shares; the module's object is each instance's copy
// of it, changed only where the request ran: a cache of a setting, not a user's session. The look-alike:
// the same tree saved under another setting's name is not that setting's copy.

afterAll(removeAnalysedProjects);

const tree = (saved: string) => ({
  'src/tree.ts': `import { setConfig } from './config';

export interface Node { name: string; children?: Node[] }

export let tree: Node = { name: '/' };

async function review(data = tree): Promise<void> {
  await Promise.resolve(data.children?.length);
  tree = data;
}

export async function saveTree(): Promise<void> {
  await review();
  await setConfig(${saved});
}
`,
  'src/config.ts': `export async function setConfig(values: Record<string, unknown>): Promise<void> {
  await fetch('http://config.local/', { method: 'PUT', body: JSON.stringify(values) });
}
`,
  'src/server.ts': `import express from 'express';
import { saveTree } from './tree';

const app = express();
app.post('/tree', async (_req, res) => {
  await saveTree();
  res.sendStatus(204);
});
app.listen(3000);
`,
});

const RULES = ['no-in-memory-session', 'no-process-local-cache'] as const;

describe('an object a request replaces whole, then saves under its own name as a setting', () => {
  it('is a cache of that setting (untyped and typed)', () => {
    const files = tree('{ tree }');
    const cache = '5:12 no-process-local-cache: `tree` caches shared data in this process; it is written by POST /tree (src/server.ts:5). When another instance changes that data, this copy stays stale until this process restarts.';
    expect(untyped(files, 'src/tree.ts', [...RULES])).toEqual([cache]);
    expect(typed(files, 'src/tree.ts', [...RULES])).toEqual([cache]);
  });

  it('saved under another name, the same object is not read as that setting', () => {
    const files = tree('{ backup: tree }');
    expect(untyped(files, 'src/tree.ts', ['no-process-local-cache'])).toEqual([]);
    expect(typed(files, 'src/tree.ts', ['no-process-local-cache'])).toEqual([]);
  });
});
