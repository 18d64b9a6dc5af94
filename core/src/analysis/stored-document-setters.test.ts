import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A settings document kept in a field that one setter replaces: the constructor hands it what it
// reads from the settings file, and the save route hands it a copy of what it just wrote there
// (round 29's precision pass, test/real-world: a home-automation UI's parsed config.json; public
// config services load and re-apply their file the same way), written here in a shape of our own.
// It is this process's copy of a stored document, a cache; the look-alike: a setter the route hands
// request data it saves nowhere stays a session finding.

afterAll(removeAnalysedProjects);

const service = `import { readJsonSync } from 'fs-extra';

export class SettingsService {
  readonly path = process.env.SETTINGS_FILE ?? 'settings.json';
  settings: { theme?: string; title?: string };

  constructor() {
    const settings = readJsonSync(this.path);
    this.apply(settings);
  }

  apply(settings: { theme?: string; title?: string }) {
    this.settings = settings;
    if (!this.settings.theme) this.settings.theme = 'light';
  }
}

export const settingsService = new SettingsService();
`;

const server = (save: string) => `import express from 'express';
import { writeJsonSync } from 'fs-extra';
import { settingsService } from './settings-service';

const app = express();
app.use(express.json());
app.put('/settings', (req, res) => {
  const settings = { theme: String(req.body.theme), title: String(req.body.title) };
${save}
  res.json(settingsService.settings);
});
app.get('/settings', (_req, res) => res.json(settingsService.settings));
app.listen(3000);
`;

describe('a stored document that one setter replaces, at start-up with what it read and on save with what was written', () => {
  it('is reported as a process-local cache (untyped and typed)', () => {
    const files = { 'src/settings-service.ts': service, 'src/server.ts': server('  writeJsonSync(settingsService.path, settings, { spaces: 2 });\n  const copy = JSON.parse(JSON.stringify(settings));\n  settingsService.apply(copy);') };
    const result = untyped(files, 'src/settings-service.ts');
    expect(result).toEqual(typed(files, 'src/settings-service.ts'));
    expect(result).toEqual([
      '5:3 no-process-local-cache: `settings` caches shared data in this process; it is written by PUT /settings (src/server.ts:7). When another instance changes that data, this copy stays stale until this process restarts.',
    ]);
  });

  it('the setter handed request data that nothing saves stays a session finding', () => {
    const files = { 'src/settings-service.ts': service, 'src/server.ts': server('  settingsService.apply(settings);') };
    const result = untyped(files, 'src/settings-service.ts');
    expect(result).toEqual(typed(files, 'src/settings-service.ts'));
    expect(result).toEqual([
      '5:3 no-in-memory-session: `settings` holds application data in this process; it is written by PUT /settings (src/server.ts:7). A second instance will not see it.',
    ]);
  });
});
