// Phase e: the project index that untyped analysis uses to cross files. Building it (listing the
// corpus, reading every file, one scanner pass per file for imports/exports/requires, resolving
// every import by path) is compared with parsing the same files with ts.createSourceFile.
import { performance } from 'node:perf_hooks';

/** Builds a fresh index of `corpusDir` `runs` times (after a warm-up); each build resolves every import (the reverse edges). */
export function runIndexBuild({ core, corpusDir, inputs, runs, mem }) {
  if (typeof core.ProjectIndex !== 'function') return { reason: 'core does not export ProjectIndex' };
  const times = [];
  let index;
  mem?.begin('project index');
  for (let run = 0; run <= runs; run++) {
    index = undefined;
    globalThis.gc?.();
    const start = performance.now();
    index = new core.ProjectIndex(corpusDir);
    // Any query builds the reverse edges: every specifier of every file is resolved.
    index.entryFilesFor(inputs[0].fileName);
    const elapsed = performance.now() - start;
    if (run > 0) times.push(elapsed);
    mem?.tick();
  }
  mem?.end();
  // How many files some other file able to register handlers imports (their graph crosses files).
  const crossFile = inputs.reduce((n, input) => n + (index.entryFilesFor(input.fileName).some((name) => name !== input.fileName.replace(/\\/g, '/')) ? 1 : 0), 0);
  return { times, files: index.fileNames.length, crossFile };
}
