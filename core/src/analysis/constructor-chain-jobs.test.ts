import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A job that builds an object of a class extending another runs `super(…)` in the constructor: the
// base class's constructor, no evidence of work another instance would repeat. dockge's ten-second
// push (round 35b of test/real-world) was said to call `super()`; the call that tells is the next one.

afterAll(removeAnalysedProjects);

const files = {
  'src/stacks.js': `class Entity {
  constructor(name) {
    this.name = name;
  }
}

class StackList extends Entity {
  constructor() {
    super('stacks');
  }

  refresh(runner) {
    return runner.run('docker', ['compose', 'ls', '--format', 'json']);
  }
}

module.exports = { StackList };
`,
  'src/server.js': `const express = require('express');
const cron = require('node-cron');
const { StackList } = require('./stacks');
const runner = require('./runner');

const app = express();
app.get('/health', (req, res) => res.send('ok'));

cron.schedule('*/10 * * * * *', () => {
  const list = new StackList();
  list.refresh(runner);
});

app.listen(5001);
`,
  'src/runner.js': `module.exports = require('process-runner')();
`,
};

describe('a job whose object is built through a base class', () => {
  it('names the call that does the work, not the constructor chain (untyped and typed)', () => {
    const expected = [
      '9:1 no-in-process-scheduler: `cron.schedule` runs in every instance of the web process: `list.refresh()` calls `runner.run()` every 10 seconds. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ];
    expect(untyped(files, 'src/server.js')).toEqual(expected);
    expect(typed(files, 'src/server.js')).toEqual(expected);
  });
});
