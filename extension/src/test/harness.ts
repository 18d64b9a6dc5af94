/**
 * A minimal test harness for the extension's suite inside VS Code's extension host (no mocha in
 * the bundle-free test folder): named steps run in order, each with a time limit; `run` rejects
 * when any failed, which VS Code turns into a non-zero exit code.
 */
import * as vscode from 'vscode';

export interface TestCase {
  name: string;
  run: () => Promise<void>;
}

const STEP_TIMEOUT_MS = 90_000;

function withTimeout<T>(promise: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`"${name}" did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs the cases in order; a failed case does not stop the others. Rejects with the failure count. */
export async function runCases(cases: readonly TestCase[]): Promise<void> {
  const failures: string[] = [];
  for (const testCase of cases) {
    const started = Date.now();
    try {
      await withTimeout(testCase.run(), STEP_TIMEOUT_MS, testCase.name);
      console.log(`  ✓ ${testCase.name} (${Date.now() - started} ms)`);
    } catch (error) {
      failures.push(testCase.name);
      console.error(`  ✗ ${testCase.name}\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  console.log(`Editor tests: ${cases.length - failures.length} of ${cases.length} succeeded`);
  if (failures.length > 0) throw new Error(`${failures.length} of ${cases.length} editor tests failed: ${failures.join('; ')}`);
}

/** A diagnostic as one comparable line: `line:column code severity` (1-based, as an editor shows it). */
export function describeDiagnostic(diagnostic: vscode.Diagnostic): string {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return `${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1} ${String(code)} ${vscode.DiagnosticSeverity[diagnostic.severity]}`;
}

/** Resolves with the Stateless diagnostics of `uri` once `accept` takes them; rejects after `ms`. */
export function waitForDiagnostics(uri: vscode.Uri, accept: (diagnostics: vscode.Diagnostic[]) => boolean, ms = 60_000): Promise<vscode.Diagnostic[]> {
  const current = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'stateless');
  if (accept(current())) return Promise.resolve(current());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`Timed out waiting for the diagnostics of ${uri.path}; they are: ${JSON.stringify(current().map(describeDiagnostic))}`));
    }, ms);
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((changed) => changed.toString() === uri.toString())) return;
      const diagnostics = current();
      if (!accept(diagnostics)) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(diagnostics);
    });
  });
}

/** Waits until `condition` holds, checking every 100 ms; rejects with `what` after `ms`. */
export async function waitUntil(condition: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
