import ts = require('typescript');
import { describe, expect, it } from 'vitest';
import { moduleSpecifiers } from './import-scan';

const scanner = (text: string): string[] => ts.preProcessFile(text, true, true).importedFiles.map((reference) => reference.fileName);

const forms = `import express from 'express';
import type { Request } from "express-serve-static-core";
import * as fs from 'node:fs';
import{ join }from'path';
import './polyfills';
export * from './routes';
export { default as users } from "./users/index.js";
import db = require('./db');
const mailer = require(
  '../lib/mailer'
);
const page = await import(/* webpackChunkName: "page" */ './page');
const lazy = () => import('./lazy.mjs');
`;

describe('moduleSpecifiers', () => {
  it('every import form, in source order, each once', () => {
    expect(moduleSpecifiers(forms)).toEqual(['express', 'express-serve-static-core', 'node:fs', 'path', './polyfills', './routes', './users/index.js', './db', '../lib/mailer', './page', './lazy.mjs']);
  });

  it('finds everything the TypeScript scanner finds (more only in comments and strings)', () => {
    const commented = `${forms}// import old from './old';\nconst help = "run it from 'the shell'";\n`;
    for (const text of [forms, commented, 'module.exports = require("./a") || require(\'./b\');', 'export {};', '']) {
      expect(moduleSpecifiers(text)).toEqual(expect.arrayContaining(scanner(text)));
    }
    expect(moduleSpecifiers(commented).filter((specifier) => !scanner(commented).includes(specifier))).toEqual(['./old', 'the shell']);
  });

  it('nothing in a file that names no module', () => {
    expect(moduleSpecifiers('const important = "from here";\nexport const x = 1;\n')).toEqual([]);
  });
});
