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

export const allScenarios: Scenario[] = [expressCallbacks, expressPromises, commonjsService, koaApp, fastifyPlugins, nestApp, nextApi];

const only = process.env.APPS?.split(',').map((name) => name.trim()).filter(Boolean);
export const selectedScenarios = only ? allScenarios.filter((scenario) => only.includes(scenario.app)) : allScenarios;
