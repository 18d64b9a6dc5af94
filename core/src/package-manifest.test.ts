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

  // BullMQ 5.77 and later ask for node-redis 5 or later as an optional peer: beside node-redis 4
  // (TypeORM 0.3.20's peer keeps a project there, and the session store's fix follows it) npm stops.
  it('BullMQ beside node-redis 4 (declared, added with it, or added before it in the same run) is the adapters\' 5.66.0 (before the peer, on ioredis ^5.8.2 as the adapters\' client); beside node-redis 5 it is left as it is', () => {
    const TYPEORM = '{\n  "dependencies": {\n    "typeorm": "0.3.20"\n  }\n}\n';
    const REDIS_4 = { name: 'redis', version: '^4.7.1' };
    expect(withDependencies(TYPEORM, [REDIS_4, BULLMQ])).toBe('{\n  "dependencies": {\n    "bullmq": "5.66.0",\n    "redis": "^4.7.1",\n    "typeorm": "0.3.20"\n  }\n}\n');
    expect(withDependencies('{\n  "dependencies": {\n    "redis": "4.6.13"\n  }\n}\n', [BULLMQ, IOREDIS])).toBe('{\n  "dependencies": {\n    "bullmq": "5.66.0",\n    "ioredis": "^5.8.2",\n    "redis": "4.6.13"\n  }\n}\n');
    const queued = withDependencies(TYPEORM, [BULLMQ, IOREDIS])!;
    expect(queued).toContain('"bullmq": "^5.66.0"');
    expect(withDependencies(queued, [{ name: 'connect-redis', version: '^8.1.0' }, REDIS_4])).toBe('{\n  "dependencies": {\n    "bullmq": "5.66.0",\n    "connect-redis": "^8.1.0",\n    "ioredis": "^5.8.2",\n    "redis": "^4.7.1",\n    "typeorm": "0.3.20"\n  }\n}\n');
    expect(withDependencies(TYPEORM, [{ name: 'redis', version: '^5.0.0' }, BULLMQ])).toContain('"bullmq": "^5.66.0"');
    expect(withDependencies('{ "dependencies": { "bullmq": "^5.66.0", "redis": "^4.7.1" } }', [IOREDIS])).toBe('{ "dependencies": {\n  "bullmq": "^5.66.0",\n  "ioredis": "^5.8.2",\n  "redis": "^4.7.1"\n} }');
  });
});
