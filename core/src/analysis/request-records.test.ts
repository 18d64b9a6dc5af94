import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A map named like a list of connections (`streams`, `clients`) is classified by what it stores
// (round 21 of test/real-world: who plays which video, and where, kept in a module object named
// for streams), written here in a shape of our own, with the look-alike that stays a connection list.

afterAll(removeAnalysedProjects);

describe('records of what requests sent, kept under a name that sounds like connections', () => {
  const files = {
    'server.js': `const express = require('express');

const app = express();
const playbackStreams = {};
const liveStreams = {};

app.post('/api/playback', (req, res) => {
  const position = req.body.position;
  playbackStreams[req.body.videoId] = { position, playing: req.body.playing, source: 'web' };
  res.json(playbackStreams[req.body.videoId]);
});

app.get('/api/playback/:videoId', (req, res) => {
  res.json(playbackStreams[req.params.videoId] || null);
});

app.get('/api/live/:id', (req, res) => {
  res.setHeader('Content-Type', 'text/event-stream');
  liveStreams[req.params.id] = { res, since: Date.now() };
  req.on('close', () => delete liveStreams[req.params.id]);
});

app.post('/api/live/:id', (req, res) => {
  const live = liveStreams[req.params.id];
  if (live) live.res.write('data: ' + JSON.stringify(req.body) + '\\n\\n');
  res.end();
});

app.listen(3000);
`,
  };

  it('the playback records are per-user state; the open event streams, each with its response, are not (untyped and typed)', () => {
    const expected = [
      '4:7 no-in-memory-session: `playbackStreams` holds application data in this process; it is written by POST /api/playback (server.js:7). A second instance will not see it.',
    ];
    expect(untyped(files, 'server.js')).toEqual(expected);
    expect(typed(files, 'server.js')).toEqual(expected);
  });
});
