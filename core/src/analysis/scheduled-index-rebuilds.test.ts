import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A scheduled job that rebuilds this process's in-memory search index (round 19 of test/real-world):
// it reads rows through a MongoDB cursor, builds the index with lunr, whose builder callback
// configures the index through `this`, and logs in colour. Every instance must rebuild its own
// copy, so the job is housekeeping; one that also writes to the database is still reported.

afterAll(removeAnalysedProjects);

describe('cron jobs that rebuild an in-memory search index', () => {
  const files = {
    'app.js': `const express = require('express');
const cron = require('node-cron');
const { rebuildSearch, rebuildAndStamp } = require('./search');

const app = express();
app.get('/search', (req, res) => res.json(app.searchIndex.search(req.query.q)));

cron.schedule('*/30 * * * *', () => rebuildSearch(app));
cron.schedule('0 * * * *', () => rebuildAndStamp(app));

app.listen(3000);
`,
    'search.js': `const lunr = require('lunr');
const chalk = require('chalk');

async function rebuildSearch(app) {
  const articles = await app.db.articles.find({}).toArray();
  app.searchIndex = lunr(function () {
    this.ref('id');
    this.field('title', { boost: 10 });
    articles.forEach((article) => this.add({ id: article._id.toString(), title: article.title }));
  });
  console.log(chalk.cyan('search index rebuilt'));
}

async function rebuildAndStamp(app) {
  await rebuildSearch(app);
  await app.db.settings.updateOne({ key: 'search' }, { $set: { indexedAt: new Date() } });
}

module.exports = { rebuildSearch, rebuildAndStamp };
`,
  };

  it('the rebuild of this process\'s index is quiet; the job that also stamps the database is reported (untyped and typed)', () => {
    const expected = [
      '9:1 no-in-process-scheduler: `cron.schedule` runs in every instance of the web process: `rebuildAndStamp()` calls `app.db.settings.updateOne()` every hour. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ];
    expect(untyped(files, 'app.js')).toEqual(expected);
    expect(typed(files, 'app.js')).toEqual(expected);
  });
});
