import type { Reach } from './request-graph';

/** Stable order: by file, then by where the route is registered. */
export function sortReaches(reaches: readonly Reach[]): Reach[] {
  return [...reaches].sort((a, b) => {
    const fileA = a.entry.registration.getSourceFile().fileName;
    const fileB = b.entry.registration.getSourceFile().fileName;
    return fileA === fileB ? a.entry.registration.pos - b.entry.registration.pos : fileA < fileB ? -1 : 1;
  });
}

export function isAllowedName(name: string, allowNames: readonly string[]): boolean {
  return allowNames.some((allowed) => {
    const pattern = /^\/(.*)\/([a-z]*)$/.exec(allowed);
    if (!pattern) return allowed === name;
    try {
      return new RegExp(pattern[1], pattern[2]).test(name);
    } catch {
      return false;
    }
  });
}

