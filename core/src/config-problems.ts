import ts = require('typescript');

/** Where a configuration problem is in its file (offsets), for editors that mark it. */
export interface ConfigProblemLocation {
  start: number;
  end: number;
}

/**
 * The JSON path a problem message of `resolveConfig` / `loadProjectConfig` is about. The messages
 * are core's own (config.ts), so their shapes are known; an unknown shape points at the root.
 */
function problemPath(problem: string): readonly string[] {
  let match: RegExpExecArray | null;
  if ((match = /^unknown option "([^"]+)" of "([^"]+)"/.exec(problem)) || (match = /^option "([^"]+)" of "([^"]+)"/.exec(problem))) return ['rules', match[2], match[1]];
  if ((match = /^unknown rule "([^"]+)"/.exec(problem)) || (match = /^options of "([^"]+)"/.exec(problem))) return ['rules', match[1]];
  if ((match = /^unknown key "([^"]+)"/.exec(problem)) || (match = /^"([^"]+)" must be/.exec(problem))) return match[1].split('.');
  return [];
}

/**
 * Locates a problem in the configuration file's text: the key it is about (`"rules"`, the rule id,
 * the option), the first syntax error of a file that is not valid JSON, else the start of the file.
 * In a package.json the configuration is the `"stateless"` key.
 */
export function locateConfigProblem(fileName: string, text: string, problem: string): ConfigProblemLocation {
  const json = ts.parseJsonText(fileName, text);
  const syntaxError = (json as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics?.[0];
  if (problem.includes('is not valid JSON') || syntaxError) {
    const start = Math.min(syntaxError?.start ?? 0, text.length);
    return { start, end: Math.min(start + Math.max(syntaxError?.length ?? 1, 1), text.length) };
  }
  const keys = [...(/(^|[\\/])package\.json$/.test(fileName) ? ['stateless'] : []), ...problemPath(problem)];
  let node: ts.Expression | undefined = json.statements[0]?.expression;
  let found: ts.Node | undefined;
  for (const key of keys) {
    if (!node || !ts.isObjectLiteralExpression(node)) break;
    const property: ts.PropertyAssignment | undefined = node.properties.find((candidate): candidate is ts.PropertyAssignment => ts.isPropertyAssignment(candidate) && ts.isStringLiteral(candidate.name) && candidate.name.text === key);
    if (!property) break;
    found = property.name;
    node = property.initializer;
  }
  if (!found) return { start: 0, end: Math.min(1, text.length) };
  return { start: found.getStart(json), end: found.getEnd() };
}
