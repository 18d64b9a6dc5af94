// The rotations: the apps that run (APPS_RUN=rotate, 5 of 24 a day, every app within 5 days) and of those
// the 3-instance runs (APPS_SCALE_OUT=rotate, 3 a day, every app within 8 days).
import { describe, expect, it } from 'vitest';
import { allScenarios, runsToday, scaleOutToday } from './scenarios';

describe('scaleOutToday', () => {
  it('runs every selected app by default, and a named list when given one', () => {
    expect(scaleOutToday(allScenarios, 'all').apps).toEqual(allScenarios.map((scenario) => scenario.app));
    expect(scaleOutToday(allScenarios, 'koa-app, nest-app').apps).toEqual(['koa-app', 'nest-app']);
  });

  it('rotates 3 apps a day through the whole corpus, and says which', () => {
    const day = (n: number) => new Date(Date.UTC(2026, 11, 5 + n, 12));
    expect(scaleOutToday(allScenarios, 'rotate', day(0))).toEqual({
      apps: ['express-callbacks', 'express-promises', 'commonjs-service'],
      why: 'rotating: 3 of 24 apps a day, today (2026-12-05 UTC) express-callbacks, express-promises, commonjs-service; APPS_SCALE_OUT=all runs every app',
    });
    // Twenty-four apps at 3 a day: each day starts where the last one stopped, so any eight days in a row (24 places) run every app.
    expect(scaleOutToday(allScenarios, 'rotate', day(1)).apps).toEqual(['koa-app', 'fastify-plugins', 'nest-app']);
    expect(scaleOutToday(allScenarios, 'rotate', day(4)).apps).toEqual(['box-office', 'vet-clinic', 'garden-plots']);
    for (let first = 0; first < 24; first++) expect(new Set([0, 1, 2, 3, 4, 5, 6, 7].flatMap((n) => scaleOutToday(allScenarios, 'rotate', day(first + n)).apps)).size).toBe(allScenarios.length);
    expect(new Set([0, 1, 2].flatMap((n) => scaleOutToday(allScenarios, 'rotate', day(n)).apps)).size).toBe(9);
  });

  it('runs 5 apps a day through the whole corpus when rotating, every app within 5 days, the two Next.js builds never on one day', () => {
    const day = (n: number) => new Date(Date.UTC(2026, 11, 6 + n, 12));
    expect(runsToday(allScenarios, 'all').apps).toEqual(allScenarios.map((scenario) => scenario.app));
    expect(runsToday(allScenarios, 'rotate', day(0))).toEqual({
      apps: ['express-callbacks', 'express-promises', 'makerspace', 'sailing-club', 'repair-cafe'],
      why: 'rotating: 5 of 24 apps a day, today (2026-12-06 UTC) makerspace, sailing-club, repair-cafe, express-callbacks, express-promises; APPS_RUN=all runs every app',
    });
    expect(runsToday(allScenarios, 'rotate', day(1)).apps).toEqual(['commonjs-service', 'koa-app', 'fastify-plugins', 'nest-app', 'next-api']);
    // 24 apps at 5 a day: each day starts where the last one stopped, so any five days in a row (25 places) run every app.
    for (let first = 0; first < 24; first++) expect(new Set([0, 1, 2, 3, 4].flatMap((n) => runsToday(allScenarios, 'rotate', day(first + n)).apps)).size).toBe(allScenarios.length);
    // next-api and climbing-gym each build with `next build` (about a minute): 9 places apart one way and 15 the other, never in one day's five.
    for (let n = 0; n < 105; n++) expect(runsToday(allScenarios, 'rotate', day(n)).apps.filter((app) => app === 'next-api' || app === 'climbing-gym').length).toBeLessThanOrEqual(1);
  });
});
