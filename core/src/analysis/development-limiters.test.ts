import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A game server's limiters (held-out round 36b): each is chosen by the environment,
// `process.env.ENV === 'local' ? rateLimit({ max: 0 }) : rateLimit({ windowMs, max: 10 })`. The first
// branch runs on a developer's machine only; the deployment runs the second, which counts in memory.
// A branch picked by a setting of the deployment (`STORAGE === 'local'`) is no development branch.

afterAll(removeAnalysedProjects);

const routes = (loginLimiter: string) => `import express from 'express';
import rateLimit from 'express-rate-limit';

const router = express.Router();

const loginLimiter =
  ${loginLimiter};

router.post('/login', loginLimiter, (req, res) => res.sendStatus(204));

export default router;
`;

const server = `import express from 'express';
import routes from './routes';

const app = express();
app.use(routes);
app.listen(3000);
`;

const files = (loginLimiter: string) => ({ 'routes.ts': routes(loginLimiter), 'server.ts': server });
const inMemory = (line: number, column: number) =>
  `${line}:${column} no-in-memory-counter: express-rate-limit counts requests in this process (the default MemoryStore). Behind a load balancer every instance allows the full limit, so clients get N times the limit.`;

describe("a limiter made only in a development environment's branch", () => {
  it('the local branch of a conditional is quiet; the deployed branch is reported (typed and untyped)', () => {
    const limiter = "process.env.ENV === 'local'\n    ? rateLimit({ max: 0 })\n    : rateLimit({ windowMs: 5 * 60 * 1000, max: 10 })";
    expect(typedFindings(files(limiter), 'routes.ts', ['no-in-memory-counter'])).toEqual([inMemory(9, 7)]);
    expect(untypedFindings(files(limiter), 'routes.ts', ['no-in-memory-counter'])).toEqual([inMemory(9, 7)]);
  });

  it('a negated test puts the development limiter second', () => {
    const limiter = "process.env.NODE_ENV !== 'test'\n    ? rateLimit({ windowMs: 60_000, max: 10 })\n    : rateLimit({ max: 1000 })";
    expect(typedFindings(files(limiter), 'routes.ts', ['no-in-memory-counter'])).toEqual([inMemory(8, 7)]);
    expect(untypedFindings(files(limiter), 'routes.ts', ['no-in-memory-counter'])).toEqual([inMemory(8, 7)]);
  });

  it('a branch a deployment setting picks is no development branch: both limiters are reported', () => {
    const limiter = "process.env.STORAGE === 'local'\n    ? rateLimit({ max: 5 })\n    : rateLimit({ windowMs: 60_000, max: 10 })";
    expect(typedFindings(files(limiter), 'routes.ts', ['no-in-memory-counter'])).toEqual([inMemory(8, 7), inMemory(9, 7)]);
    expect(untypedFindings(files(limiter), 'routes.ts', ['no-in-memory-counter'])).toEqual([inMemory(8, 7), inMemory(9, 7)]);
  });
});
