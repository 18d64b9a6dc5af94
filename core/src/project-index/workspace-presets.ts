import * as path from 'node:path';
import type * as ts from 'typescript';
import { findWorkspacePackages } from './workspaces';

/** What parsing a tsconfig.json reads files through (`ts.sys`, or a project's reader over it). */
type ConfigHost = ts.ParseConfigHost & Partial<Pick<ts.ModuleResolutionHost, 'directoryExists' | 'realpath'>>;

/** `…/node_modules/@scope/name/rest` → the package name and the rest of the path. */
const IN_NODE_MODULES = /^(.*)\/node_modules\/((?:@[^/]+\/)?[^/]+)(\/.*)?$/;
/** `…/node_modules` and `…/node_modules/@scope`, which the resolver looks for before a package's own folder. */
const NODE_MODULES_FOLDER = /\/node_modules(?:\/(@[^/]+))?\/?$/;

/**
 * A host to parse a tsconfig.json with, reading a preset a workspace package of the monorepo keeps
 * (`"extends": "@acme/typescript-config/base.json"`) where the workspace keeps it. Such a preset is found
 * through `node_modules` once the workspace is installed; before that (a fresh clone, a checkout only
 * analysed), TypeScript cannot find it, drops its options, and falls back to its defaults: for a config
 * that sets only `"target": "ES6"`, ES modules with the classic resolution, which resolves no
 * `import jobs from './jobs'` of a folder's index, so a start-up that starts the jobs of `./jobs` is
 * lost to the typed analysis. The package manager would link the package into `node_modules`; this host
 * reads its files from the package's folder, as that link would, when nothing is installed there.
 */
export function withWorkspacePresets<T extends ConfigHost>(configFile: string, host: T): T {
  let packages: Map<string, string> | undefined;
  const workspace = (): Map<string, string> => (packages ??= new Map([...findWorkspacePackages(path.dirname(configFile))].map(([name, pkg]) => [name, pkg.dir.replace(/\\/g, '/')])));
  const fileExists = (name: string): boolean => host.fileExists(name);
  const directoryExists = (name: string): boolean => host.directoryExists?.(name) ?? true;
  /** Where a path under `node_modules` is in the workspace, when nothing is installed there. */
  const linked = (fileName: string, exists: (name: string) => boolean): string | undefined => {
    const match = IN_NODE_MODULES.exec(fileName.replace(/\\/g, '/'));
    if (!match || exists(fileName)) return undefined;
    const dir = workspace().get(match[2]);
    return dir === undefined ? undefined : `${dir}${match[3] ?? ''}`;
  };
  const linkFolderExists = (name: string): boolean => {
    const match = NODE_MODULES_FOLDER.exec(name.replace(/\\/g, '/'));
    return match !== null && [...workspace().keys()].some((packageName) => match[1] === undefined || packageName.startsWith(`${match[1]}/`));
  };
  return {
    ...host,
    fileExists: (name: string) => fileExists(name) || fileExists(linked(name, fileExists) ?? name),
    readFile: (name: string) => host.readFile(linked(name, fileExists) ?? name),
    directoryExists: (name: string) => directoryExists(name) || linkFolderExists(name) || directoryExists(linked(name, directoryExists) ?? name),
    realpath: (name: string) => {
      const target = linked(name, fileExists) ?? name;
      return host.realpath ? host.realpath(target) : target;
    },
  };
}
