import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Round 28 of test/real-world: a Hono service on Bun stores uploads with `write` imported from the
// runtime's module ('bun'), the function `Bun.write` is. Written here in another shape: an attachment
// store whose local backend writes under a folder, next to a `write` of the project's own.

afterAll(removeAnalysedProjects);

const RULES = ['no-local-disk-write'] as const;

describe("Bun's write imported from 'bun'", () => {
  const attachments = (imports: string) => ({
    'server.ts': `import { Hono } from 'hono';
import { join } from 'node:path';
${imports}

class Attachments {
  static async keep(name: string, data: Blob): Promise<string> {
    const target = join(process.env.ATTACHMENTS_DIR ?? 'attachments', crypto.randomUUID(), name);
    await write(target, data);
    return target;
  }
}

const app = new Hono();
app.post('/attachments', async (c) => {
  const form = await c.req.formData();
  const upload = form.get('file') as File;
  return c.json({ path: await Attachments.keep(upload.name, upload) });
});
export default app;
`,
    'storage.ts': 'export async function write(key: string, data: Blob): Promise<void> { void key; void data; }\n',
  });

  it("a request's upload written with it is a local write (untyped and typed)", () => {
    const files = attachments("import { write } from 'bun';");
    const expected = [
      "8:11 no-local-disk-write: `write` writes to this instance's local disk on POST /attachments (server.ts:14). Other instances will not find the file, and it is lost when this instance is replaced.",
    ];
    expect(untyped(files, 'server.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'server.ts', [...RULES])).toEqual(expected);
  });

  it("look-alike, quiet: the project's own write, to object storage (untyped and typed)", () => {
    const files = attachments("import { write } from './storage';");
    expect(untyped(files, 'server.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'server.ts', [...RULES])).toEqual([]);
  });
});
