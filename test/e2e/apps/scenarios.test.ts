// The rotations: the apps that run (APPS_RUN=rotate, 5 of 20 a day, every app every 4 days) and of those
// the 3-instance runs (APPS_SCALE_OUT=rotate, 3 a day, every app within 7 days).
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
      apps: ['bike-workshop', 'apiary', 'choir-rehearsals'],
      why: 'rotating: 3 of 20 apps a day, today (2026-12-05 UTC) bike-workshop, apiary, choir-rehearsals; APPS_SCALE_OUT=all runs every app',
    });
    // Twenty apps at 3 a day: seven days run each app at least once.
    expect(scaleOutToday(allScenarios, 'rotate', day(1)).apps).toEqual(['express-callbacks', 'express-promises', 'lost-property']);
    expect(scaleOutToday(allScenarios, 'rotate', day(4)).apps).toEqual(['room-bookings', 'ticket-desk', 'lending-desk']);
    const covered = new Set([0, 1, 2, 3, 4, 5, 6].flatMap((n) => scaleOutToday(allScenarios, 'rotate', day(n)).apps));
    expect(covered.size).toBe(allScenarios.length);
    expect(new Set([0, 1, 2].flatMap((n) => scaleOutToday(allScenarios, 'rotate', day(n)).apps)).size).toBe(9);
  });

  it('runs 5 apps a day through the whole corpus when rotating, every app within 4 days, the two Next.js builds never on one day', () => {
    const day = (n: number) => new Date(Date.UTC(2026, 11, 6 + n, 12));
    expect(runsToday(allScenarios, 'all').apps).toEqual(allScenarios.map((scenario) => scenario.app));
    expect(runsToday(allScenarios, 'rotate', day(0))).toEqual({
      apps: ['nest-app', 'next-api', 'hono-service', 'room-bookings', 'ticket-desk'],
      why: 'rotating: 5 of 20 apps a day, today (2026-12-06 UTC) nest-app, next-api, hono-service, room-bookings, ticket-desk; APPS_RUN=all runs every app',
    });
    expect(runsToday(allScenarios, 'rotate', day(2)).apps).toEqual(['climbing-gym', 'bike-workshop', 'apiary', 'choir-rehearsals', 'lost-property']);
    expect(new Set([0, 1, 2, 3].flatMap((n) => runsToday(allScenarios, 'rotate', day(n)).apps)).size).toBe(allScenarios.length);
    // next-api and climbing-gym each build with `next build` (about a minute): 20 apps, 5 a day, the days' groups fixed, and they are in the second and the fourth.
    for (let n = 0; n < 20; n++) expect(runsToday(allScenarios, 'rotate', day(n)).apps.filter((app) => app === 'next-api' || app === 'climbing-gym').length).toBeLessThanOrEqual(1);
  });
});
