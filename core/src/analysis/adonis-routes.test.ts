import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A messaging service's sync server on AdonisJS 5 (held-out round 37): `start/routes.ts` registers each
// route with the controller method it runs named by a string, `Route.get('recipes',
// 'RecipeController.list')`, in groups with a prefix; the controllers are the default exports of
// `app/Controllers/Http`. The list route parses a bundled JSON file synchronously, and a service's icon
// is moved into this instance's folder with `request.file('icon').move(…)`. Look-alikes: a method no
// route names, a string naming no controller file, a `get` of something that is not the router.

afterAll(removeAnalysedProjects);

const routes = `import Route from '@ioc:Adonis/Core/Route';
import Cache from '@ioc:Adonis/Addons/Cache';

Route.group(() => {
  Route.get('recipes', 'RecipeController.list');
  Route.put('service/:id', 'Api/ServiceController.edit').middleware('auth:jwt');
  Route.get('announcements/:version', 'AnnouncementController.show');
}).prefix('/v1');

Route.get('health', async ({ response }) => response.send({ ok: true }));

Cache.get('recipes', 'RecipeController.popular');
`;

const recipeController = `import fs from 'fs-extra';
import path from 'node:path';

export default class RecipeController {
  public async list({ response }) {
    const recipes = fs.readJsonSync(path.join(process.cwd(), 'recipes', 'all.json'));
    return response.send(recipes);
  }

  public async popular({ response }) {
    const recipes = fs.readJsonSync(path.join(process.cwd(), 'recipes', 'all.json'));
    return response.send(recipes.filter((recipe) => recipe.featured));
  }
}
`;

const serviceController = `export default class ServiceController {
  public async edit({ request, response, params }) {
    const icon = request.file('icon', { extnames: ['png', 'svg'], size: '2mb' });
    if (!icon) return response.badRequest('Icon not uploaded.');
    await icon.move('/srv/ferdium/uploads', { name: \`\${params.id}.\${icon.extname}\`, overwrite: true });
    return response.send({ id: params.id });
  }

  public async avatar({ request }) {
    await request.file('avatar').move('/srv/ferdium/avatars');
  }
}
`;

const files = {
  'start/routes.ts': routes,
  'app/Controllers/Http/RecipeController.ts': recipeController,
  'app/Controllers/Http/Api/ServiceController.ts': serviceController,
};

describe('AdonisJS routes that name their controller method by a string', () => {
  it('the method a route names runs on that route; a method no route names is quiet (typed and untyped)', () => {
    const blocking = [
      '6:21 no-blocking-request-work: `fs.readJsonSync` blocks the event loop on GET /v1/recipes (start/routes.ts:5): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    ];
    expect(typedFindings(files, 'app/Controllers/Http/RecipeController.ts', ['no-blocking-request-work'])).toEqual(blocking);
    expect(untypedFindings(files, 'app/Controllers/Http/RecipeController.ts', ['no-blocking-request-work'])).toEqual(blocking);
  });

  it("an upload moved into this instance's folder by a controller a route names in a sub-folder; the unrouted move is quiet", () => {
    const moved = [
      "5:11 no-local-disk-write: `icon.move` writes to this instance's local disk on PUT /v1/service/:id (start/routes.ts:6). Other instances will not find the file, and it is lost when this instance is replaced.",
    ];
    expect(typedFindings(files, 'app/Controllers/Http/Api/ServiceController.ts', ['no-local-disk-write'])).toEqual(moved);
    expect(untypedFindings(files, 'app/Controllers/Http/Api/ServiceController.ts', ['no-local-disk-write'])).toEqual(moved);
  });

  it('v6: `router.get(path, [Controller, method])` with the controller class imported', () => {
    const v6 = {
      'start/routes.ts': `import router from '@adonisjs/core/services/router';
import RecipesController from '../app/controllers/recipes_controller.js';

router.group(() => {
  router.get('/recipes', [RecipesController, 'index']);
}).prefix('/api');
`,
      'app/controllers/recipes_controller.ts': `import { readFileSync } from 'node:fs';

export default class RecipesController {
  async index() {
    return JSON.parse(readFileSync('recipes/all.json', 'utf8'));
  }

  async show() {
    return JSON.parse(readFileSync('recipes/one.json', 'utf8'));
  }
}
`,
    };
    const blocking = [
      '5:23 no-blocking-request-work: `readFileSync` blocks the event loop on GET /api/recipes (start/routes.ts:5): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    ];
    expect(typedFindings(v6, 'app/controllers/recipes_controller.ts', ['no-blocking-request-work'])).toEqual(blocking);
    expect(untypedFindings(v6, 'app/controllers/recipes_controller.ts', ['no-blocking-request-work'])).toEqual(blocking);
  });

  it("v6: a controller loaded lazily through the `#controllers` alias (`() => import('#controllers/…')`)", () => {
    const v6 = {
      'start/routes.ts': `import router from '@adonisjs/core/services/router';
const RecipesController = () => import('#controllers/recipes_controller');

router.get('/recipes', [RecipesController, 'index']);
router.get('/recipes/:id', [RecipesController, 'missing']);
`,
      'app/controllers/recipes_controller.ts': `import { readFileSync } from 'node:fs';

export default class RecipesController {
  async index() {
    return JSON.parse(readFileSync('recipes/all.json', 'utf8'));
  }

  async show() {
    return JSON.parse(readFileSync('recipes/one.json', 'utf8'));
  }
}
`,
    };
    const blocking = [
      '5:23 no-blocking-request-work: `readFileSync` blocks the event loop on GET /recipes (start/routes.ts:4): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    ];
    expect(typedFindings(v6, 'app/controllers/recipes_controller.ts', ['no-blocking-request-work'])).toEqual(blocking);
    expect(untypedFindings(v6, 'app/controllers/recipes_controller.ts', ['no-blocking-request-work'])).toEqual(blocking);
  });
});
