import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';
import type { RuleId } from '../types';

// A field of a singleton written from outside its class: through what the module's lazy accessor
// hands out (`const settings = getSettings(); settings.items.push(…)`), through a setter or a getter
// (`settings.main = …`, `settings.main.locale = …`), or through an injected service
// (`this.catalog.items.push(…)` in a NestJS controller). Typed and untyped alike.

afterAll(removeAnalysedProjects);

const SETTINGS = `import fs from 'fs';

interface MainSettings {
  title: string;
  locale: string;
}

class Settings {
  public recent: string[] = [];
  private data: { main: MainSettings } = { main: { title: 'Shop', locale: 'en' } };

  get main(): MainSettings {
    return this.data.main;
  }

  set main(main: MainSettings) {
    this.data.main = main;
  }

  load(): this {
    if (fs.existsSync('settings.json')) this.data = JSON.parse(fs.readFileSync('settings.json', 'utf8'));
    return this;
  }
}

let settings: Settings | undefined;

export const getSettings = (): Settings => {
  if (!settings) {
    settings = new Settings();
  }
  return settings;
};

export const defaults = new Settings();
`;

const route = (handler: string): string => `import express from 'express';
import { defaults, getSettings } from './settings';

const app = express();
app.use(express.json());
getSettings().load();
getSettings().recent.push('started');

app.post('/settings', (req, res) => {
${handler}
  res.json({ ok: true });
});

app.listen(3000);
`;

const message = (field: string): string =>
  `no-in-memory-session: \`${field}\` holds application data in this process; it is written by POST /settings (app.ts:9). A second instance will not see it.`;
const STATE_RULES: RuleId[] = ['no-in-memory-session', 'no-in-memory-counter', 'no-process-local-cache', 'no-in-process-lock'];

describe.each([
  ['typed', typedFindings],
  ['untyped', untypedFindings],
])('%s: a singleton field written from outside its class', (_mode, findingsOf) => {
  const findings = (handler: string): string[] => findingsOf({ 'settings.ts': SETTINGS, 'app.ts': route(handler) }, 'settings.ts', STATE_RULES);

  it('through the instance the lazy accessor hands out, held in a local', () => {
    expect(findings('  const settings = getSettings();\n  settings.recent.push(req.body.title);')).toEqual([`9:10 ${message('recent')}`]);
  });

  it('through a setter: the field the setter writes', () => {
    expect(findings('  const settings = getSettings();\n  settings.main = req.body;')).toEqual([`10:11 ${message('data')}`]);
  });

  it('through a setter, merged into what it held: the loaded settings are a cache', () => {
    expect(findings('  const settings = getSettings();\n  settings.main = { ...settings.main, ...req.body };')).toEqual([
      '10:11 no-process-local-cache: `data` caches shared data in this process; it is written by POST /settings (app.ts:9). When another instance changes that data, this copy stays stale until this process restarts.',
    ]);
  });

  it('through a getter: the field the getter hands out, written inside', () => {
    expect(findings('  const settings = getSettings();\n  settings.main.locale = req.body.locale;')).toEqual([`10:11 ${message('data')}`]);
  });

  it('through a setter of an instance the module makes as it loads', () => {
    expect(findings('  defaults.main = req.body;')).toEqual([`10:11 ${message('data')}`]);
  });

  it('stays quiet: only start-up writes through the accessor, and a request that only reads', () => {
    expect(findings('  res.setHeader("x-title", getSettings().main.title);')).toEqual([]);
  });
});

describe.each([
  ['typed', typedFindings],
  ['untyped', untypedFindings],
])('%s: a class made per request is no singleton', (_mode, findingsOf) => {
  it('writes into an instance the handler made stay quiet, also through a setter', () => {
    const cart = `export class Cart {
  public items: string[] = [];
  private state = { note: '' };

  set note(note: string) {
    this.state.note = note;
  }
}
`;
    const app = `import express from 'express';
import { Cart } from './cart';

const app = express();
app.post('/cart', (req, res) => {
  const cart = new Cart();
  cart.items.push(req.body.item);
  cart.note = req.body.note;
  res.json(cart.items);
});
app.listen(3000);
`;
    expect(findingsOf({ 'cart.ts': cart, 'app.ts': app }, 'cart.ts', ['no-in-memory-session'])).toEqual([]);
  });
});

describe('an injected service written through a controller field (NestJS)', () => {
  const files = {
    'catalog.service.ts': `import { Injectable } from '@nestjs/common';

@Injectable()
export class CatalogService {
  public featured: string[] = [];
}
`,
    'catalog.controller.ts': `import { Body, Controller, Post } from '@nestjs/common';
import { CatalogService } from './catalog.service';

@Controller('catalog')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Post('featured')
  feature(@Body() body: { sku: string }) {
    this.catalog.featured.push(body.sku);
    return { ok: true };
  }
}
`,
  };
  const expected = [
    '5:10 no-in-memory-session: `featured` holds application data in this process; it is written by POST /catalog/featured (CatalogController.feature, catalog.controller.ts:8). A second instance will not see it.',
  ];

  it('typed', () => {
    expect(typedFindings(files, 'catalog.service.ts', ['no-in-memory-session'])).toEqual(expected);
  });

  it('untyped', () => {
    expect(untypedFindings(files, 'catalog.service.ts', ['no-in-memory-session'])).toEqual(expected);
  });
});
