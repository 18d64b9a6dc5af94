import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// SvelteKit's server modules, known by their file names under `src/routes` (round 37b of
// test/real-world, a status page whose upload endpoint writes into its uploads folder and whose docs
// layout reads its markdown with readFileSync on every page load): an endpoint's verb exports, a
// page's or layout's `load`, its form `actions`, and the `handle` hook of `src/hooks.server.js`.
// Look-alikes: a page's universal `+page.js` (it runs in the browser too), a helper a server module
// does not export, a `+server.js` outside `src/routes`, and a module's other exports (`prerender`).

afterAll(removeAnalysedProjects);

const RULES = ['no-blocking-request-work', 'no-local-disk-write'];

const files = {
  'package.json': '{ "name": "status", "type": "module", "dependencies": { "@sveltejs/kit": "2" } }',
  'src/routes/(app)/upload/+server.js': `import { writeFileSync } from 'fs';
import { json } from '@sveltejs/kit';

export async function POST({ request }) {
  const form = await request.formData();
  const image = form.get('image');
  writeFileSync(\`./uploads/\${image.name}\`, Buffer.from(await image.arrayBuffer()));
  return json({ ok: true });
}

export const prerender = false;
`,
  'src/routes/docs/[doc]/+page.server.js': `import fs from 'fs';

function outline() {
  return fs.readFileSync('./docs/outline.json', 'utf8');
}

export async function load({ params }) {
  return { text: fs.readFileSync(\`./docs/\${params.doc}.md\`, 'utf8') };
}
`,
  'src/routes/account/+page.server.js': `import bcrypt from 'bcryptjs';

export const actions = {
  default: async ({ request }) => {
    const form = await request.formData();
    return { hash: bcrypt.hashSync(form.get('password'), 10) };
  },
};
`,
  'src/hooks.server.js': `import fs from 'fs';

export async function handle({ event, resolve }) {
  const banner = fs.readFileSync('./banner.txt', 'utf8');
  event.locals.banner = banner;
  return resolve(event);
}
`,
  'src/routes/about/+page.js': `import fs from 'fs';

export function load() {
  return { text: fs.readFileSync('./about.md', 'utf8') };
}
`,
  'tools/+server.js': `import fs from 'fs';

export function GET() {
  return new Response(fs.readFileSync('./report.txt', 'utf8'));
}
`,
};

describe('SvelteKit server modules', () => {
  it("untyped: `$lib` is SvelteKit's `src/lib` when the config extends the generated `.svelte-kit/tsconfig.json` a checkout lacks", () => {
    const withLib = {
      ...files,
      'jsconfig.json': '{ "extends": "./.svelte-kit/tsconfig.json", "compilerOptions": { "allowJs": true } }',
      'src/lib/server/templates.js': `import fs from 'fs';

export function mailTemplate() {
  return fs.readFileSync('./templates/mail.html', 'utf8');
}
`,
      'src/routes/api/incident/+server.js': `import { mailTemplate } from '$lib/server/templates';

export async function POST() {
  return new Response(mailTemplate());
}
`,
    };
    expect(untyped(withLib, 'src/lib/server/templates.js', RULES)).toEqual([
      '4:10 no-blocking-request-work: `fs.readFileSync` blocks the event loop on POST /api/incident (src/routes/api/incident/+server.js:3): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    ]);
  });


  it("an endpoint's verb exports answer requests of the folder's path (route groups left out)", () => {
    const expected = [
      '7:3 no-blocking-request-work: `writeFileSync` blocks the event loop on POST /upload (src/routes/(app)/upload/+server.js:4): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
      "7:3 no-local-disk-write: `writeFileSync` writes to this instance's local disk on POST /upload (src/routes/(app)/upload/+server.js:4). Other instances will not find the file, and it is lost when this instance is replaced.",
    ];
    expect(untyped(files, 'src/routes/(app)/upload/+server.js', RULES)).toEqual(expected);
    expect(typed(files, 'src/routes/(app)/upload/+server.js', RULES)).toEqual(expected);
  });

  it("a page's load runs on every request of the page; a helper it does not call stays quiet", () => {
    const expected = [
      '8:18 no-blocking-request-work: `fs.readFileSync` blocks the event loop on page /docs/[doc] (load, src/routes/docs/[doc]/+page.server.js:7): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    ];
    expect(untyped(files, 'src/routes/docs/[doc]/+page.server.js', RULES)).toEqual(expected);
    expect(typed(files, 'src/routes/docs/[doc]/+page.server.js', RULES)).toEqual(expected);
  });

  it("a form action runs on every post of the form, and the handle hook on every request", () => {
    const action = [
      '6:20 no-blocking-request-work: `bcrypt.hashSync` blocks the event loop on form action default /account (src/routes/account/+page.server.js:4): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    ];
    expect(untyped(files, 'src/routes/account/+page.server.js', RULES)).toEqual(action);
    expect(typed(files, 'src/routes/account/+page.server.js', RULES)).toEqual(action);
    const hook = [
      '4:18 no-blocking-request-work: `fs.readFileSync` blocks the event loop on SvelteKit handle hook (every request, src/hooks.server.js:3): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    ];
    expect(untyped(files, 'src/hooks.server.js', RULES)).toEqual(hook);
    expect(typed(files, 'src/hooks.server.js', RULES)).toEqual(hook);
  });

  it("a universal +page.js and a +server.js outside src/routes are no server entries", () => {
    for (const file of ['src/routes/about/+page.js', 'tools/+server.js']) {
      expect(untyped(files, file, RULES)).toEqual([]);
      expect(typed(files, file, RULES)).toEqual([]);
    }
  });
});
