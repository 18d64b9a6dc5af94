// Scoring for `npm run eval:real`: findings of one tool on one repository matched to its hand
// labels. Pure functions, no I/O, so the matching is tested on synthetic findings
// (test/real-world/score.test.ts).

/** A finding within this many lines of a label of the same rule and file is that label's finding. */
export const LINE_TOLERANCE = 2;

/**
 * @typedef {{ rule: string, file: string, line: number, kind: 'hazard' | 'quiet', why: string, note?: string }} Label
 * @typedef {{ rule: string, file: string, line: number, message?: string }} Finding
 * @typedef {{
 *   truePositives: { label: Label, finding: Finding }[],
 *   duplicates: { label: Label, finding: Finding }[],
 *   falsePositives: { finding: Finding, quiet?: Label }[],
 *   misses: Label[],
 * }} Match
 */

const normalise = (file) => file.replace(/\\/g, '/').replace(/^\.\//, '');

/**
 * Matches one repository's findings to its labels. Each hazard label takes at most one finding,
 * the nearest first; a further finding near an already matched hazard is a duplicate (the same
 * hazard reported twice: neither right nor wrong); any other finding is a false positive, and
 * says which quiet label it hit when it hit one.
 * @param {readonly Label[]} labels
 * @param {readonly Finding[]} findings
 * @returns {Match}
 */
export function matchFindings(labels, findings) {
  const near = (label, finding) =>
    label.rule === finding.rule && normalise(label.file) === normalise(finding.file) && Math.abs(label.line - finding.line) <= LINE_TOLERANCE;
  const hazards = labels.filter((label) => label.kind === 'hazard');
  const pairs = [];
  findings.forEach((finding, findingIndex) => {
    hazards.forEach((label, labelIndex) => {
      if (near(label, finding)) pairs.push({ findingIndex, labelIndex, distance: Math.abs(label.line - finding.line) });
    });
  });
  // Nearest pairs first; ties in input order, so the result does not depend on sort stability.
  pairs.sort((a, b) => a.distance - b.distance || a.labelIndex - b.labelIndex || a.findingIndex - b.findingIndex);
  const labelTaken = new Set();
  const findingTaken = new Set();
  const truePositives = [];
  for (const pair of pairs) {
    if (labelTaken.has(pair.labelIndex) || findingTaken.has(pair.findingIndex)) continue;
    labelTaken.add(pair.labelIndex);
    findingTaken.add(pair.findingIndex);
    truePositives.push({ label: hazards[pair.labelIndex], finding: findings[pair.findingIndex] });
  }
  const duplicates = [];
  const falsePositives = [];
  findings.forEach((finding, findingIndex) => {
    if (findingTaken.has(findingIndex)) return;
    const hazard = hazards.find((label) => near(label, finding));
    if (hazard) {
      duplicates.push({ label: hazard, finding });
      return;
    }
    const quiet = labels.find((label) => label.kind === 'quiet' && near(label, finding));
    falsePositives.push(quiet ? { finding, quiet } : { finding });
  });
  const misses = hazards.filter((_, labelIndex) => !labelTaken.has(labelIndex));
  return { truePositives, duplicates, falsePositives, misses };
}

/**
 * Per-rule counts over several repositories' matches.
 * @param {readonly Match[]} matches
 * @param {readonly string[]} rules every rule to report, in order (rules without labels or findings show zeros)
 * @returns {Map<string, { tp: number, fp: number, fn: number, dup: number, quietHit: number }>}
 */
export function countByRule(matches, rules) {
  const counts = new Map(rules.map((rule) => [rule, { tp: 0, fp: 0, fn: 0, dup: 0, quietHit: 0 }]));
  const of = (rule) => {
    if (!counts.has(rule)) counts.set(rule, { tp: 0, fp: 0, fn: 0, dup: 0, quietHit: 0 });
    return counts.get(rule);
  };
  for (const match of matches) {
    for (const { label } of match.truePositives) of(label.rule).tp++;
    for (const { label } of match.duplicates) of(label.rule).dup++;
    for (const { finding, quiet } of match.falsePositives) {
      of(finding.rule).fp++;
      if (quiet) of(finding.rule).quietHit++;
    }
    for (const label of match.misses) of(label.rule).fn++;
  }
  return counts;
}

/** Precision and recall as fractions, or undefined where there is nothing to divide. */
export function rates({ tp, fp, fn }) {
  return { precision: tp + fp === 0 ? undefined : tp / (tp + fp), recall: tp + fn === 0 ? undefined : tp / (tp + fn) };
}

/**
 * Checks one label file's shape; returns the problems (empty when it is well formed).
 * @param {unknown} data
 * @param {readonly string[]} knownRules
 * @returns {string[]}
 */
export function validateLabelFile(data, knownRules) {
  const problems = [];
  if (typeof data !== 'object' || data === null) return ['not a JSON object'];
  const file = /** @type {Record<string, unknown>} */ (data);
  if (typeof file.repo !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(file.repo)) problems.push('repo must be "owner/name"');
  if (typeof file.commit !== 'string' || !/^[0-9a-f]{40}$/.test(file.commit)) problems.push('commit must be 40 hex digits');
  for (const key of ['framework', 'language']) if (typeof file[key] !== 'string') problems.push(`${key} must be a string`);
  if (file.roots !== undefined && (!Array.isArray(file.roots) || file.roots.some((root) => typeof root !== 'string'))) problems.push('roots must be an array of folder paths');
  if (!Array.isArray(file.labels)) return [...problems, 'labels must be an array'];
  file.labels.forEach((label, index) => {
    const where = `labels[${index}]`;
    if (typeof label !== 'object' || label === null) return problems.push(`${where} is not an object`);
    if (!knownRules.includes(label.rule)) problems.push(`${where}.rule ${JSON.stringify(label.rule)} is not a known rule`);
    if (typeof label.file !== 'string' || label.file.length === 0 || label.file.startsWith('/')) problems.push(`${where}.file must be a path relative to the repository`);
    if (!Number.isInteger(label.line) || label.line < 1) problems.push(`${where}.line must be a 1-based line`);
    if (label.kind !== 'hazard' && label.kind !== 'quiet') problems.push(`${where}.kind must be "hazard" or "quiet"`);
    if (typeof label.why !== 'string' || label.why.length === 0) problems.push(`${where}.why must say why`);
    if (label.note !== undefined && typeof label.note !== 'string') problems.push(`${where}.note must be a string`);
    return undefined;
  });
  return problems;
}
