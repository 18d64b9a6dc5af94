import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A tRPC procedure is called by its path through the routers it is merged into: `post.create` for
// `createTRPCRouter({ create: … })` in routers/post.ts merged as `createTRPCRouter({ post: postRouter })`
// in root.ts (create-t3-app's layout). Every router has its `create`, `list` and `delete`: the finding
// names the path a client calls, not the last key alone.

afterAll(removeAnalysedProjects);

const files = {
  'src/server/api/trpc.ts': `import { initTRPC } from '@trpc/server';

const t = initTRPC.create();

export const createTRPCRouter = t.router;
export const publicProcedure = t.procedure;
`,
  'src/server/api/routers/post.ts': `import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { createTRPCRouter, publicProcedure } from '../trpc';

export const postRouter = createTRPCRouter({
  create: publicProcedure.input(z.object({ id: z.string(), text: z.string() })).mutation(async ({ input }) => {
    await writeFile('posts/' + input.id + '.md', input.text);
    return { ok: true };
  }),
  drafts: createTRPCRouter({
    save: publicProcedure.input(z.object({ id: z.string(), text: z.string() })).mutation(async ({ input }) => {
      await writeFile('drafts/' + input.id + '.md', input.text);
    }),
  }),
});
`,
  'src/server/api/routers/user.ts': `import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { createTRPCRouter, publicProcedure } from '../trpc';

export const userRouter = createTRPCRouter({
  create: publicProcedure.input(z.object({ id: z.string() })).mutation(async ({ input }) => {
    await writeFile('users/' + input.id + '.json', '{}');
  }),
});
`,
  'src/server/api/root.ts': `import { createTRPCRouter } from './trpc';
import { postRouter } from './routers/post';
import { userRouter } from './routers/user';

export const appRouter = createTRPCRouter({
  post: postRouter,
  admin: createTRPCRouter({ userRouter }),
});

export type AppRouter = typeof appRouter;
`,
};

const write = (line: number, column: number, route: string): string =>
  `${line}:${column} no-local-disk-write: \`writeFile\` writes to this instance's local disk on ${route}. Other instances will not find the file, and it is lost when this instance is replaced.`;

describe('tRPC procedures are named by their path through the merged routers', () => {
  const post = [
    write(7, 11, 'tRPC mutation post.create (src/server/api/routers/post.ts:6)'),
    write(12, 13, 'tRPC mutation post.drafts.save (src/server/api/routers/post.ts:11)'),
  ];
  const user = [write(7, 11, 'tRPC mutation admin.userRouter.create (src/server/api/routers/user.ts:6)')];

  it('typed: the key of the router in root.ts, the keys of a nested literal, a shorthand key', () => {
    expect(typedFindings(files, 'src/server/api/routers/post.ts', ['no-local-disk-write'])).toEqual(post);
    expect(typedFindings(files, 'src/server/api/routers/user.ts', ['no-local-disk-write'])).toEqual(user);
  });

  it('the same, untyped', () => {
    expect(untypedFindings(files, 'src/server/api/routers/post.ts', ['no-local-disk-write'])).toEqual(post);
    expect(untypedFindings(files, 'src/server/api/routers/user.ts', ['no-local-disk-write'])).toEqual(user);
  });

  it('a router merged under two keys keeps the path inside its own file', () => {
    const twice = { ...files, 'src/server/api/root.ts': files['src/server/api/root.ts'].replace('  post: postRouter,', '  post: postRouter,\n  legacyPost: postRouter,') };
    expect(untypedFindings(twice, 'src/server/api/routers/post.ts', ['no-local-disk-write'])).toEqual([
      write(7, 11, 'tRPC mutation create (src/server/api/routers/post.ts:6)'),
      write(12, 13, 'tRPC mutation drafts.save (src/server/api/routers/post.ts:11)'),
    ]);
  });
});
