import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// The handle of a timer a service keeps so it can clear or re-arm it (a flush timer armed on the first
// write of a request, a reconnect timer of a connection probe) is this process's own: no user's data.
// Round 24 of test/real-world (an analytics service's batch writer and database health probe) had it
// reported as a session; written here in other shapes. The timer itself stays the scheduler rule's.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-memory-session', 'no-in-memory-counter', 'no-process-local-cache'];

describe('a binding that holds a timer of this process', () => {
  const files = {
    'metrics.js': `const db = require('./db');

function createBatcher(save, ms) {
  let rows = [];
  let timer = null;

  function ensureTimer() {
    if (timer) return;
    timer = setInterval(() => {
      const batch = rows;
      rows = [];
      save(batch).catch(console.error);
    }, ms);
  }

  return {
    add(row) {
      rows.push(row);
      ensureTimer();
    },
  };
}

const pageViews = createBatcher(db.insertPageViews, 1000);

exports.track = (view) => {
  pageViews.add(view);
};
`,
    'db.js': `exports.insertPageViews = async (rows) => rows.length;
`,
    'app.js': `const express = require('express');
const metrics = require('./metrics');

const app = express();
app.post('/views', (req, res) => {
  metrics.track({ path: req.body.path, at: Date.now() });
  res.status(202).end();
});
app.listen(3000);
`,
  };

  it('JavaScript: the flush timer of a batcher a factory makes, armed by the first request, is not reported, typed or untyped', () => {
    expect(untyped(files, 'metrics.js', RULES)).toEqual([]);
    expect(typed(files, 'metrics.js', RULES)).toEqual([]);
  });

  it('TypeScript: a reconnect timer field of a singleton probe a route starts is not reported', () => {
    const project = {
      'probe.ts': `export class UpstreamProbe {
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  schedule(ms: number) {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.check(), ms);
  }

  stop() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private async check() {
    await fetch('http://upstream.internal/health');
  }
}

export const probe = new UpstreamProbe();
`,
      'server.ts': `import express from 'express';
import { probe } from './probe';

const app = express();
app.post('/admin/probe', (req, res) => {
  probe.schedule(Number(req.body.ms));
  res.sendStatus(204);
});
app.listen(3000);
`,
    };
    expect(untyped(project, 'probe.ts', RULES)).toEqual([]);
    expect(typed(project, 'probe.ts', RULES)).toEqual([]);
  });

  it('look-alike: a binding a request gives a timer or its own data stays reported', () => {
    const project = {
      ...files,
      'metrics.js': files['metrics.js'].replace('      rows.push(row);', '      rows.push(row);\n      if (row.path === "/reset") timer = row;'),
    };
    const expected = ['5:7 no-in-memory-session: `timer` holds application data in this process; it is written by POST /views (app.js:5). A second instance will not see it.'];
    expect(untyped(project, 'metrics.js', RULES)).toEqual(expected);
    expect(typed(project, 'metrics.js', RULES)).toEqual(expected);
  });
});
