import ts = require('typescript');

/**
 * The version of a package the user's project uses, read (never loaded) from the nearest
 * `node_modules/<name>/package.json` above a file, or else from the lowest version the nearest
 * package.json that lists it allows (`^7.4.1` → 7.4.1). Undefined when neither says.
 */
export function usedPackageVersion(fromFile: string, name: string): string | undefined {
  let declared: string | undefined;
  for (let folder = fromFile.slice(0, fromFile.lastIndexOf('/')); folder !== ''; ) {
    const installed = readJson(`${folder}/node_modules/${name}/package.json`)?.version;
    if (typeof installed === 'string' && parseVersion(installed)) return installed;
    if (declared === undefined) {
      const manifest = readJson(`${folder}/package.json`);
      for (const table of ['dependencies', 'devDependencies', 'peerDependencies']) {
        const range = (manifest?.[table] as Record<string, unknown> | undefined)?.[name];
        const lowest = typeof range === 'string' ? /\d+\.\d+\.\d+/.exec(range)?.[0] : undefined;
        if (lowest) {
          declared = lowest;
          break;
        }
      }
    }
    const parent = folder.slice(0, folder.lastIndexOf('/'));
    if (parent === folder) break;
    folder = parent;
  }
  return declared;
}

/** `[major, minor, patch]` of `1.2.3` (pre-release tags ignored). */
export function parseVersion(version: string): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** Whether `version` is at least `minimum` (both `major.minor.patch`). */
export function atLeast(version: string, minimum: string): boolean {
  const a = parseVersion(version);
  const b = parseVersion(minimum);
  if (!a || !b) return false;
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

function readJson(fileName: string): Record<string, unknown> | undefined {
  const text = ts.sys.readFile(fileName);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
