import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// An upload parser's temp file removed by a small helper of another module once the route has read
// it (`finally { if (filePath) await safeRemove(filePath) }`): the helper deletes whatever its caller
// names, so each call is judged by its argument. The upload's temp path comes from the parser given
// the request (Koa's `ctx.req` too), and may be chosen by a condition (`file ? file.filepath : null`).

afterAll(removeAnalysedProjects);

const helpers = {
  'utils/fileUtils.ts': `import * as fs from 'fs-extra';
export async function safeRemove(filePath: string) {
  try {
    await fs.remove(filePath);
  } catch (error) {
    // already gone
  }
}
`,
  'utils/requestUtils.ts': `import formidable from 'formidable';
import type { IncomingMessage } from 'http';
export function formParse(req: IncomingMessage): Promise<{ files: Record<string, { filepath: string }> }> {
  return new Promise((resolve, reject) => {
    formidable({}).parse(req, (error: Error | null, _fields: unknown, files: any) => (error ? reject(error) : resolve({ files })));
  });
}
`,
};

const koaRoutes = (pathOfUpload: string) => `import Router from '@koa/router';
import { readFile } from 'fs/promises';
import { safeRemove } from '../utils/fileUtils';
import { formParse } from '../utils/requestUtils';

const router = new Router();

router.put('/items/:id/content', async (ctx) => {
  const parsedBody = await formParse(ctx.req);
  const filePath = ${pathOfUpload};
  try {
    ctx.body = await readFile(filePath || '/dev/null');
  } finally {
    if (filePath) await safeRemove(filePath);
  }
});

router.delete('/items/:id', async (ctx) => {
  await safeRemove('data/items/' + ctx.params.id);
  ctx.status = 204;
});

export default router;
`;

const STORED_REMOVAL =
  "4:11 no-local-disk-write: `fs.remove` deletes a stored file from this instance's local disk on DELETE /items/:id (routes/items.ts:18). The other instances keep their copy, or never had it: the files belong in shared storage.";

describe('an upload’s temp file removed through a helper of another module', () => {
  it('Koa: the parser given ctx.req, the path chosen by a condition — only the route removing a stored item is reported (typed and untyped)', () => {
    const files = { ...helpers, 'routes/items.ts': koaRoutes('parsedBody.files.file ? parsedBody.files.file.filepath : null') };
    expect(typedFindings(files, 'utils/fileUtils.ts', ['no-local-disk-write'])).toEqual([STORED_REMOVAL]);
    expect(untypedFindings(files, 'utils/fileUtils.ts', ['no-local-disk-write'])).toEqual([STORED_REMOVAL]);
  });

  it('the same with the temp path read directly', () => {
    const files = { ...helpers, 'routes/items.ts': koaRoutes('parsedBody.files.file.filepath') };
    expect(untypedFindings(files, 'utils/fileUtils.ts', ['no-local-disk-write'])).toEqual([STORED_REMOVAL]);
  });

  it('a condition whose branches are a stored file and nothing is a stored file (reported on both routes)', () => {
    const files = { ...helpers, 'routes/items.ts': koaRoutes("ctx.query.replace ? 'data/items/' + ctx.params.id : null") };
    expect(untypedFindings(files, 'utils/fileUtils.ts', ['no-local-disk-write'])).toEqual([
      "4:11 no-local-disk-write: `fs.remove` deletes a stored file from this instance's local disk on PUT /items/:id/content (routes/items.ts:8) and 1 other route. The other instances keep their copy, or never had it: the files belong in shared storage.",
    ]);
  });

  it('a lookup of a stored record by a key of the request is not the request’s upload (reported on both routes)', () => {
    const files = {
      ...helpers,
      'utils/requestUtils.ts': `export async function findUpload(id: string): Promise<{ files: Record<string, { filepath: string }> }> {
  return { files: { file: { filepath: 'data/items/' + id } } };
}
`,
      'routes/items.ts': koaRoutes('parsedBody.files.file ? parsedBody.files.file.filepath : null').replace('formParse(ctx.req)', 'findUpload(ctx.params.id)').replace("import { formParse } from '../utils/requestUtils';", "import { findUpload } from '../utils/requestUtils';"),
    };
    expect(untypedFindings(files, 'utils/fileUtils.ts', ['no-local-disk-write'])).toEqual([
      "4:11 no-local-disk-write: `fs.remove` deletes a stored file from this instance's local disk on PUT /items/:id/content (routes/items.ts:8) and 1 other route. The other instances keep their copy, or never had it: the files belong in shared storage.",
    ]);
  });
});
