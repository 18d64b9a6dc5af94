import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A page of the Next.js pages router whose `getServerSideProps` runs on the server for every request
// of the page (round 36 of test/real-world, a dashboard's onboarding page listing its config folder
// with `readdirSync`). Look-alikes: `getStaticProps`, run when the site is built (and on a revalidation,
// not per request), the page's component, and a helper of the page nothing calls.

afterAll(removeAnalysedProjects);

const RULES = ['no-blocking-request-work'];

const files = {
  'package.json': '{ "name": "dashboard", "dependencies": { "next": "13", "react": "18" } }',
  'src/pages/board/[slug].tsx': `import fs from 'fs';
import type { GetServerSidePropsContext } from 'next';

export default function BoardPage({ names }: { names: string[] }) {
  return names.join(', ');
}

export function listBoards(): string[] {
  return fs.readdirSync('./data/configs');
}

export const getServerSideProps = async (context: GetServerSidePropsContext) => {
  const names = fs.readdirSync('./data/configs').filter((file) => file.endsWith('.json'));
  return { props: { names, slug: context.params?.slug ?? null } };
};
`,
  'src/pages/about.tsx': `import fs from 'fs';

export default function About({ text }: { text: string }) {
  return text;
}

export async function getStaticProps() {
  return { props: { text: fs.readFileSync('./content/about.md', 'utf8') } };
}
`,
};

describe("a page's getServerSideProps", () => {
  const expected = [
    '13:17 no-blocking-request-work: `fs.readdirSync` blocks the event loop on page /board/[slug] (getServerSideProps, src/pages/board/[slug].tsx:12): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
  ];

  it('runs on every request of the page; a helper no request calls stays quiet', () => {
    expect(untyped(files, 'src/pages/board/[slug].tsx', RULES)).toEqual(expected);
    expect(typed(files, 'src/pages/board/[slug].tsx', RULES)).toEqual(expected);
  });

  it('getStaticProps runs when the site is built, not per request', () => {
    expect(untyped(files, 'src/pages/about.tsx', RULES)).toEqual([]);
    expect(typed(files, 'src/pages/about.tsx', RULES)).toEqual([]);
  });
});
