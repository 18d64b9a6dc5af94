import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A file written into a git working copy that the same function commits and pushes at once (round 34 of
// test/real-world: a typing site's approved quotes, added to a language file of its own repository and pushed):
// the remote repository is the shared store, the working copy its staging copy. Written here in a shape of our
// own, with simple-git and with a `git push` command. Look-alike: the same write committed and never pushed.

afterAll(removeAnalysedProjects);

const untyped = (files: Record<string, string>, file: string): string[] => untypedFindings(files, file, ['no-local-disk-write']);
const typed = (files: Record<string, string>, file: string): string[] => typedFindings(files, file, ['no-local-disk-write']);

const app = (store: string): Record<string, string> => ({
  'src/store.ts': store,
  'src/app.ts': `import express from 'express';
import { addEntry } from './store';

const app = express();
app.post('/entries/:list', async (req, res) => res.json(await addEntry(req.params.list, req.body.text)));
app.listen(3000);
`,
});

describe('a file written into a git working copy and pushed', () => {
  it('quiet: the write simple-git commits and pushes in the same function (untyped and typed)', () => {
    const files = app(`import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit } from 'simple-git';

const repo = path.join(__dirname, '../../content');
const git = simpleGit(repo);

export async function addEntry(list: string, text: string): Promise<string> {
  await git.pull('origin', 'main');
  await writeFile(path.join(repo, 'lists', list + '.json'), JSON.stringify({ text }));
  await git.add(['lists/' + list + '.json']);
  await git.commit('Add an entry to ' + list);
  await git.push('origin', 'main');
  return text;
}
`);
    expect(untyped(files, 'src/store.ts')).toEqual([]);
    expect(typed(files, 'src/store.ts')).toEqual([]);
  });

  it('quiet: the write a `git push` command pushes', () => {
    const files = app(`import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

export async function addEntry(list: string, text: string): Promise<string> {
  writeFileSync('/srv/content/lists/' + list + '.json', JSON.stringify({ text }));
  execSync('git add -A && git commit -m entry && git push origin main', { cwd: '/srv/content' });
  return text;
}
`);
    expect(untyped(files, 'src/store.ts')).toEqual([]);
    expect(typed(files, 'src/store.ts')).toEqual([]);
  });

  it('reports the write that is committed but never pushed', () => {
    const files = app(`import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit } from 'simple-git';

const repo = path.join(__dirname, '../../content');
const git = simpleGit(repo);

export async function addEntry(list: string, text: string): Promise<string> {
  await writeFile(path.join(repo, 'lists', list + '.json'), JSON.stringify({ text }));
  await git.add(['lists/' + list + '.json']);
  await git.commit('Add an entry to ' + list);
  return text;
}
`);
    const expected = ['9:9 no-local-disk-write: `writeFile` writes to this instance\'s local disk on POST /entries/:list (src/app.ts:5). Other instances will not find the file, and it is lost when this instance is replaced.'];
    expect(untyped(files, 'src/store.ts')).toEqual(expected);
    expect(typed(files, 'src/store.ts')).toEqual(expected);
  });
});
