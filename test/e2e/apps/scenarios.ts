// Every app of the corpus, in the order the suites run them. APPS=koa-app,nest-app picks a subset
// (next-api alone installs ~240 MB and builds for a minute or more).
import type { Scenario } from './harness';
import expressCallbacks from './express-callbacks/scenario';
import expressPromises from './express-promises/scenario';
import commonjsService from './commonjs-service/scenario';
import koaApp from './koa-app/scenario';
import fastifyPlugins from './fastify-plugins/scenario';
import nestApp from './nest-app/scenario';
import nextApi from './next-api/scenario';
import honoService from './hono-service/scenario';
import roomBookings from './room-bookings/scenario';
import ticketDesk from './ticket-desk/scenario';
import lendingDesk from './lending-desk/scenario';
import bakeryPreorders from './bakery-preorders/scenario';
import boxOffice from './box-office/scenario';
import vetClinic from './vet-clinic/scenario';
import gardenPlots from './garden-plots/scenario';
import climbingGym from './climbing-gym/scenario';
import bikeWorkshop from './bike-workshop/scenario';
import apiary from './apiary/scenario';
import choirRehearsals from './choir-rehearsals/scenario';
import lostProperty from './lost-property/scenario';
import recordShop from './record-shop/scenario';
import makerspace from './makerspace/scenario';
import sailingClub from './sailing-club/scenario';
import repairCafe from './repair-cafe/scenario';

export const allScenarios: Scenario[] = [expressCallbacks, expressPromises, commonjsService, koaApp, fastifyPlugins, nestApp, nextApi, honoService, roomBookings, ticketDesk, lendingDesk, bakeryPreorders, boxOffice, vetClinic, gardenPlots, climbingGym, bikeWorkshop, apiary, choirRehearsals, lostProperty, recordShop, makerspace, sailingClub, repairCafe];

const only = process.env.APPS?.split(',').map((name) => name.trim()).filter(Boolean);
export const selectedScenarios = only ? allScenarios.filter((scenario) => only.includes(scenario.app)) : allScenarios;

/** How many apps a rotating day runs (APPS_RUN=rotate: 5 of 24, every app within 5 days), and of those on 3 instances (APPS_SCALE_OUT=rotate: every app within 8 days). */
const RUNS_PER_DAY = 5;
const SCALE_OUT_PER_DAY = 3;

/**
 * The apps that run in this run: the original and the fixed copy on one instance, then 3 instances.
 * Every selected app is fixed (`stateless fix --write` on a copy), fixed a second time and walked
 * statement by statement either way. APPS_RUN=all (the default) runs every selected app; `rotate`
 * runs RUNS_PER_DAY of the corpus, a different few each day (UTC), so every app runs within five
 * days (CI: it keeps the suite inside its time budget); a comma list names them.
 */
export function runsToday(selected: Scenario[], choice = process.env.APPS_RUN ?? 'all', now = new Date()): { apps: string[]; why: string } {
  return rotation(selected, choice, now, RUNS_PER_DAY, 'APPS_RUN');
}

/**
 * The apps whose 3-instance run happens in this run, among those that run. APPS_SCALE_OUT=all (the
 * default) runs every one; `rotate` runs SCALE_OUT_PER_DAY of the corpus, a different few each day
 * (UTC), so the whole corpus is covered every few days; a comma list names them.
 */
export function scaleOutToday(selected: Scenario[], choice = process.env.APPS_SCALE_OUT ?? 'all', now = new Date()): { apps: string[]; why: string } {
  return rotation(selected, choice, now, SCALE_OUT_PER_DAY, 'APPS_SCALE_OUT');
}

function rotation(selected: Scenario[], choice: string, now: Date, perDay: number, variable: string): { apps: string[]; why: string } {
  const names = selected.map((scenario) => scenario.app);
  if (choice === 'all') return { apps: names, why: `${variable}=all: every app` };
  if (choice !== 'rotate') {
    const named = choice.split(',').map((name) => name.trim());
    return { apps: names.filter((name) => named.includes(name)), why: `${variable}=${choice}` };
  }
  const day = Math.floor(now.getTime() / 86_400_000);
  const corpus = allScenarios.map((scenario) => scenario.app);
  const today = Array.from({ length: perDay }, (_, index) => corpus[(day * perDay + index) % corpus.length]);
  return { apps: names.filter((name) => today.includes(name)), why: `rotating: ${perDay} of ${corpus.length} apps a day, today (${now.toISOString().slice(0, 10)} UTC) ${today.join(', ')}; ${variable}=all runs every app` };
}
