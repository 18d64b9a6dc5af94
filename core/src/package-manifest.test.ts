import { describe, expect, it } from 'vitest';
import { withDependencies } from './project';

const IOREDIS = { name: 'ioredis', version: '^5.8.2' };
const BULLMQ = { name: 'bullmq', version: '^5.66.0' };

describe('withDependencies: the packages a fix adds, and nothing else of package.json changed', () => {
  it('adds to the existing table in its sorted place; a one-line scripts and the key order stay as written', () => {
    const text = `{
  "name": "clinic-api",
  "private": true,
  "scripts": { "build": "tsc", "start": "node dist/server.js" },
  "dependencies": {
    "express": "4.19.2",
    "pg": "8.12.0"
  },
  "devDependencies": {
    "typescript": "5.5.3"
  }
}
`;
    expect(withDependencies(text, [IOREDIS, BULLMQ])).toBe(`{
  "name": "clinic-api",
  "private": true,
  "scripts": { "build": "tsc", "start": "node dist/server.js" },
  "dependencies": {
    "bullmq": "^5.66.0",
    "express": "4.19.2",
    "ioredis": "^5.8.2",
    "pg": "8.12.0"
  },
  "devDependencies": {
    "typescript": "5.5.3"
  }
}
`);
  });

  it('a manifest without the table gets one after its last key, in its own indentation (tabs, CRLF)', () => {
    const text = '{\r\n\t"name": "polls",\r\n\t"main": "src/server.js"\r\n}\r\n';
    expect(withDependencies(text, [IOREDIS])).toBe('{\r\n\t"name": "polls",\r\n\t"main": "src/server.js",\r\n\t"dependencies": {\r\n\t\t"ioredis": "^5.8.2"\r\n\t}\r\n}\r\n');
  });

  it('nothing when every package is there already (in any table); undefined for text that is not JSON', () => {
    expect(withDependencies('{ "devDependencies": { "ioredis": "5.0.0" } }', [IOREDIS])).toBeUndefined();
    expect(withDependencies('{ "name": ', [IOREDIS])).toBeUndefined();
  });
});
