import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// An upload moved out of the parser's temp folder into a folder of the service, under a new name that
// keeps the upload's extension (`v4() + path.extname(tmpFile.originalFilename)`): the name comes from the
// temp file, the place does not (round 33 of test/real-world, a Koa panel's asset upload with fs-extra's
// `move`; multer services write `Date.now() + path.extname(file.originalname)` the same way).

afterAll(removeAnalysedProjects);

const RULES = ['no-local-disk-write'];

const app = (destination: string, after = '') => ({
  'app.ts': `import Koa from 'koa';
import Router from '@koa/router';
import { koaBody } from 'koa-body';
import * as fs from 'fs-extra';
import os from 'node:os';
import path from 'node:path';
import { v4 } from 'uuid';

const app = new Koa();
const router = new Router();
app.use(koaBody({ multipart: true }));

router.post('/assets', async (ctx) => {
  const tmpFile = ctx.request.files?.file as unknown as { filepath: string; originalFilename?: string };
  try {
    const newFileName = v4() + path.extname(tmpFile.originalFilename || '');
    const target = ${destination};
    await fs.move(tmpFile.filepath, target);
    ${after}
    ctx.body = newFileName;
  } finally {
    if (tmpFile?.filepath) fs.remove(tmpFile.filepath, () => {});
  }
});

app.use(router.routes());
app.listen(3000);
`,
});

describe("an upload moved into the service's folder under a name taken from the temp file", () => {
  it('is a write of a stored file, typed and untyped', () => {
    const project = app("path.join(process.cwd(), 'public/upload_files', newFileName)");
    const expected = ["18:11 no-local-disk-write: `fs.move` writes to this instance's local disk on POST /assets (app.ts:13). Other instances will not find the file, and it is lost when this instance is replaced."];
    expect(untyped(project, 'app.ts', RULES)).toEqual(expected);
    expect(typed(project, 'app.ts', RULES)).toEqual(expected);
  });

  it('look-alike: the same name in the temp folder, removed by the same request, stays quiet', () => {
    const project = app('path.join(os.tmpdir(), newFileName)', 'await fs.remove(target);');
    expect(untyped(project, 'app.ts', RULES)).toEqual([]);
    expect(typed(project, 'app.ts', RULES)).toEqual([]);
  });
});
