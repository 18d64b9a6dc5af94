/**
 * The part of a vitest run's output that says what failed: from its first "Failed Tests", "Failed
 * Suites" or "Unhandled Errors" banner to the end (at most its first 300 and last 30 lines), or the
 * output's last 150 lines when it has no banner (vitest died before its summary).
 */
export function failureAccount(output) {
  const lines = output.split('\n');
  const plain = lines.map((line) => line.replace(/\u001b\[[0-9;]*m/g, ''));
  const start = plain.findIndex((line) => /⎯\s*(?:Failed (?:Tests|Suites)|Unhandled Errors?)\b/.test(line));
  const account = start === -1 ? lines.slice(-150) : lines.slice(start);
  return account.length > 330 ? [...account.slice(0, 300), `… ${account.length - 330} lines left out …`, ...account.slice(-30)].join('\n') : account.join('\n');
}
