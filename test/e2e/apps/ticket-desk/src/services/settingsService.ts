import cache from 'memory-cache';
import { DEFAULT_SETTINGS } from '../constants';
import { settingsRepository } from '../repositories/settingsRepository';

const CACHE_KEY = 'desk-settings';
const TEN_MINUTES = 10 * 60 * 1000;

export const settingsService = {
  async all(): Promise<Record<string, string>> {
    const cached = cache.get(CACHE_KEY) as Record<string, string> | null;
    if (cached) return cached;
    const settings = { ...DEFAULT_SETTINGS, ...(await settingsRepository.all()) };
    cache.put(CACHE_KEY, settings, TEN_MINUTES);
    return settings;
  },

  async get(key: string): Promise<string | undefined> {
    return (await this.all())[key];
  },

  async update(key: string, value: string): Promise<Record<string, string>> {
    await settingsRepository.put(key, value);
    cache.del(CACHE_KEY);
    return this.all();
  },
};
