/** A unified diff of two texts (3 lines of context), as `git diff` prints it. */
export function unifiedDiff(fileName: string, before: string | undefined, after: string): string {
  const a = before === undefined ? [] : splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a, b);
  const hunks: string[] = [];
  const context = 3;
  const changed = ops.flatMap((op, index) => (op.kind === ' ' ? [] : [index]));
  for (let group = 0; group < changed.length; ) {
    let last = group;
    while (last + 1 < changed.length && changed[last + 1] - changed[last] <= context * 2 + 1) last++;
    const from = Math.max(0, changed[group] - context);
    const to = Math.min(ops.length, changed[last] + context + 1);
    const slice = ops.slice(from, to);
    const oldCount = slice.filter((op) => op.kind !== '+').length;
    const newCount = slice.filter((op) => op.kind !== '-').length;
    hunks.push(`@@ -${oldCount === 0 ? slice[0].oldLine - 1 : slice[0].oldLine},${oldCount} +${newCount === 0 ? slice[0].newLine - 1 : slice[0].newLine},${newCount} @@`);
    for (const op of slice) hunks.push(`${op.kind}${op.text}`);
    group = last + 1;
  }
  const header = [`--- ${before === undefined ? '/dev/null' : `a/${fileName}`}`, `+++ b/${fileName}`];
  return [...header, ...hunks].join('\n');
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

interface Op {
  kind: ' ' | '-' | '+';
  text: string;
  oldLine: number;
  newLine: number;
}

/** Line diff by longest common subsequence over the changed middle (common prefix and suffix trimmed first). */
function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const midA = a.slice(prefix, a.length - suffix);
  const midB = b.slice(prefix, b.length - suffix);
  const table: Uint32Array[] = Array.from({ length: midA.length + 1 }, () => new Uint32Array(midB.length + 1));
  for (let i = midA.length - 1; i >= 0; i--) for (let j = midB.length - 1; j >= 0; j--) table[i][j] = midA[i] === midB[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
  const ops: Op[] = [];
  let oldLine = 1;
  let newLine = 1;
  const push = (kind: Op['kind'], text: string): void => {
    ops.push({ kind, text, oldLine, newLine });
    if (kind !== '+') oldLine++;
    if (kind !== '-') newLine++;
  };
  for (let k = 0; k < prefix; k++) push(' ', a[k]);
  let i = 0;
  let j = 0;
  // Removed lines come before the lines that replace them, as git prints a change.
  while (i < midA.length || j < midB.length) {
    if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
      push(' ', midA[i]);
      i++;
      j++;
    } else if (i < midA.length && (j >= midB.length || table[i + 1][j] >= table[i][j + 1])) push('-', midA[i++]);
    else push('+', midB[j++]);
  }
  for (let k = a.length - suffix; k < a.length; k++) push(' ', a[k]);
  return ops;
}
