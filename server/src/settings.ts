/**
 * Editor settings (`workspace/configuration`, section `stateless`, per resource): whether the
 * server analyses at all, and each rule's severity or `off`. Rule options never come from here:
 * they come from the project's `stateless.config.json`, the file ESLint reads too.
 */
import { DiagnosticSeverity, type Connection } from 'vscode-languageserver/node';
import { ruleDefinitions, type RuleId } from '@stateless/core';

export type RuleSetting = 'error' | 'warning' | 'information' | 'hint' | 'off';

export interface Settings {
  enable: boolean;
  rules: Record<RuleId, RuleSetting>;
}

const SEVERITIES: Record<Exclude<RuleSetting, 'off'>, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The defaults: every rule of the `recommended` config as a warning, the others off. */
export function defaultSettings(): Settings {
  const rules = {} as Record<RuleId, RuleSetting>;
  for (const rule of ruleDefinitions) rules[rule.id] = rule.configs.includes('recommended') ? 'warning' : 'off';
  return { enable: true, rules };
}

/** Settings from whatever the client sent; unknown keys and bad values fall back to the defaults. */
export function normalizeSettings(input: unknown): Settings {
  const settings = defaultSettings();
  if (!input || typeof input !== 'object') return settings;
  const { enable, rules } = input as { enable?: unknown; rules?: unknown };
  if (typeof enable === 'boolean') settings.enable = enable;
  if (rules && typeof rules === 'object') {
    for (const rule of ruleDefinitions) {
      const value = (rules as Record<string, unknown>)[rule.id];
      if (value === 'off' || (typeof value === 'string' && value in SEVERITIES)) settings.rules[rule.id] = value as RuleSetting;
    }
  }
  return settings;
}

/** The LSP severity of a rule's diagnostics, or undefined when the rule is off. */
export function severityOf(settings: Settings, ruleId: RuleId): DiagnosticSeverity | undefined {
  const setting = settings.rules[ruleId];
  return setting === 'off' ? undefined : SEVERITIES[setting];
}

/**
 * Settings per resource, asked of the client once and cached until it says they changed. Clients
 * without `workspace/configuration` get the settings from `initializationOptions`, or the defaults.
 */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<Settings>>();
  private fallback: Settings;

  constructor(
    private readonly connection: Connection,
    private readonly clientPulls: boolean,
    initializationOptions: unknown,
  ) {
    this.fallback = normalizeSettings((initializationOptions as { settings?: unknown } | undefined)?.settings);
  }

  /** Settings for each URI, in one `workspace/configuration` request for the ones not cached. */
  forResources(uris: readonly string[]): Promise<Settings[]> {
    if (!this.clientPulls) return Promise.resolve(uris.map(() => this.fallback));
    const missing = [...new Set(uris.filter((uri) => !this.cache.has(uri)))];
    if (missing.length > 0) {
      const answer = this.connection.workspace
        .getConfiguration(missing.map((scopeUri) => ({ scopeUri, section: 'stateless' })))
        .then(
          (values: unknown[]) => values.map(normalizeSettings),
          () => missing.map(() => this.fallback),
        );
      missing.forEach((uri, index) => this.cache.set(uri, answer.then((values) => values[index])));
    }
    return Promise.all(uris.map((uri) => this.cache.get(uri)!));
  }

  async forResource(uri: string): Promise<Settings> {
    return (await this.forResources([uri]))[0];
  }

  /** `workspace/didChangeConfiguration`: forget everything (a push client's new settings apply everywhere). */
  changed(pushed: unknown): void {
    this.cache.clear();
    const section = (pushed as { stateless?: unknown } | undefined)?.stateless;
    if (!this.clientPulls && section !== undefined) this.fallback = normalizeSettings(section);
  }
}
