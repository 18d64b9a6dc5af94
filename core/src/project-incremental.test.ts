// Project after edits: unchanged files are reused, and the type errors are those a fresh program of the same texts has.
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { removeInstalledProjects, writeInstalledProject } from './testing/disk-project';
import type { FixPlan } from './types';
import { Project } from './project';



afterAll(removeInstalledProjects);

const FILES = {
  'package.json': '{ "name": "prices" }\n',
  'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, skipLibCheck: true, types: [] }, include: ['src'] }),
  'src/prices.ts': 'export function price(cents: number): number {\n  return cents / 100;\n}\n',
  'src/cart.ts': "import { price } from './prices';\nexport const total: number = price(250) + price(100);\n",
  'src/banner.ts': "import { price } from './prices';\nexport const banner = `from ${price(99)}`;\n",
};

function plan(edits: FixPlan['edits']): FixPlan {
  return { messageId: 'testEdit', data: {}, message: 'test edit', edits, createFiles: [], dependencies: [] };
}

/** A plan that replaces `from` with `to` in one file of the project. */
function replacing(dir: string, file: string, from: string, to: string): FixPlan {
  const fileName = `${dir}/${file}`;
  const start = fs.readFileSync(fileName, 'utf8').indexOf(from);
  return plan([{ fileName, start, end: start + from.length, newText: to }]);
}

/** The errors a program made from nothing gives for the same texts. */
function freshErrors(dir: string, texts: Record<string, string>): string[] {
  const fresh = new Project(dir);
  fresh.apply(plan(Object.entries(texts).map(([file, text]) => ({ fileName: `${dir}/${file}`, start: 0, end: fs.readFileSync(`${dir}/${file}`, 'utf8').length, newText: text }))));
  return fresh.errors(true).map((error) => error.text);
}

describe('Project after an edit', () => {
  it('keeps the files the edit did not change, parsed once', () => {
    const dir = writeInstalledProject(FILES);
    const project = new Project(dir);
    const before = project.getProgram();
    project.apply(replacing(dir, 'src/cart.ts', 'price(100)', 'price(120)'));
    const after = project.getProgram();
    expect(after).not.toBe(before);
    expect(after.getSourceFile(`${dir}/src/prices.ts`)).toBe(before.getSourceFile(`${dir}/src/prices.ts`));
    expect(after.getSourceFile(`${dir}/src/banner.ts`)).toBe(before.getSourceFile(`${dir}/src/banner.ts`));
    expect(after.getSourceFile(`${dir}/src/cart.ts`)).not.toBe(before.getSourceFile(`${dir}/src/cart.ts`));
  }, 60_000);

  it('finds the error an edit makes in a file it did not touch (a changed return type), and loses it when the edit is taken back', () => {
    const dir = writeInstalledProject(FILES);
    const project = new Project(dir);
    expect(project.errors(true)).toEqual([]);
    const snapshot = project.snapshot();
    project.apply(replacing(dir, 'src/prices.ts', 'price(cents: number): number {\n  return cents / 100;', 'price(cents: number): string {\n  return (cents / 100).toFixed(2);'));
    const errors = project.errors(true).map((error) => error.text);
    expect(errors).toEqual(["src/cart.ts:2:14 TS2322 Type 'string' is not assignable to type 'number'."]);
    expect(errors).toEqual(freshErrors(dir, { 'src/prices.ts': project.read(`${dir}/src/prices.ts`) ?? '' }));

    project.restore(snapshot);
    expect(project.errors(true)).toEqual([]);
    // Checked again from the program taken back to: an edit to another file is checked on its own terms.
    project.apply(replacing(dir, 'src/banner.ts', 'export const banner = ', 'export const banner: number = '));
    expect(project.errors(true).map((error) => error.text)).toEqual(["src/banner.ts:2:14 TS2322 Type 'string' is not assignable to type 'number'."]);
  }, 60_000);

  it('finds an error that an edit inside a function body makes in that file only, and keeps the other files clean', () => {
    const dir = writeInstalledProject(FILES);
    const project = new Project(dir);
    expect(project.errors(true)).toEqual([]);
    project.apply(replacing(dir, 'src/prices.ts', 'return cents / 100;', 'const unused: number = "x";\n  return cents / 100;'));
    expect(project.errors(true).map((error) => error.text)).toEqual(["src/prices.ts:2:9 TS2322 Type 'string' is not assignable to type 'number'."]);
  }, 60_000);
});
