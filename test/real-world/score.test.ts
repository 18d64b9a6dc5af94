import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ES module of the eval script, no declarations
import { countByRule, LINE_TOLERANCE, matchFindings, rates, validateLabelFile } from '../../scripts/eval-real/score.mjs';

interface Label {
  rule: string;
  file: string;
  line: number;
  kind: 'hazard' | 'quiet';
  why: string;
}

const hazard = (rule: string, file: string, line: number): Label => ({ rule, file, line, kind: 'hazard', why: 'test' });
const quiet = (rule: string, file: string, line: number): Label => ({ rule, file, line, kind: 'quiet', why: 'test' });
const finding = (rule: string, file: string, line: number) => ({ rule, file, line });

const SESSION = 'no-in-memory-session';
const DISK = 'no-local-disk-write';

describe('matchFindings', () => {
  it('matches a finding of the same rule and file within the line tolerance', () => {
    expect(LINE_TOLERANCE).toBe(2);
    const labels = [hazard(SESSION, 'src/app.ts', 10)];
    const match = matchFindings(labels, [finding(SESSION, 'src/app.ts', 12)]);
    expect(match.truePositives).toEqual([{ label: labels[0], finding: finding(SESSION, 'src/app.ts', 12) }]);
    expect(match.falsePositives).toEqual([]);
    expect(match.misses).toEqual([]);
  });

  it('does not match another rule, another file or a line three away', () => {
    const labels = [hazard(SESSION, 'src/app.ts', 10)];
    const findings = [finding(DISK, 'src/app.ts', 10), finding(SESSION, 'src/other.ts', 10), finding(SESSION, 'src/app.ts', 13)];
    const match = matchFindings(labels, findings);
    expect(match.truePositives).toEqual([]);
    expect(match.falsePositives.map((fp: { finding: unknown }) => fp.finding)).toEqual(findings);
    expect(match.misses).toEqual(labels);
  });

  it('normalises ./ and backslashes in file names', () => {
    const match = matchFindings([hazard(SESSION, './src/app.ts', 4)], [finding(SESSION, 'src\\app.ts', 4)]);
    expect(match.truePositives).toHaveLength(1);
  });

  it('gives each of two adjacent hazards its nearest finding', () => {
    const labels = [hazard(DISK, 'a.js', 10), hazard(DISK, 'a.js', 12)];
    const match = matchFindings(labels, [finding(DISK, 'a.js', 12), finding(DISK, 'a.js', 11)]);
    expect(match.truePositives.map((tp: { label: Label; finding: { line: number } }) => [tp.label.line, tp.finding.line])).toEqual([
      [12, 12],
      [10, 11],
    ]);
    expect(match.duplicates).toEqual([]);
  });

  it('counts a second finding of one hazard as a duplicate, not a false positive', () => {
    const labels = [hazard(SESSION, 'a.js', 5)];
    const match = matchFindings(labels, [finding(SESSION, 'a.js', 5), finding(SESSION, 'a.js', 6)]);
    expect(match.truePositives).toHaveLength(1);
    expect(match.duplicates).toEqual([{ label: labels[0], finding: finding(SESSION, 'a.js', 6) }]);
    expect(match.falsePositives).toEqual([]);
  });

  it('says which quiet look-alike a false positive hit', () => {
    const labels = [quiet(SESSION, 'a.js', 20)];
    const match = matchFindings(labels, [finding(SESSION, 'a.js', 21), finding(SESSION, 'a.js', 40)]);
    expect(match.falsePositives).toEqual([{ finding: finding(SESSION, 'a.js', 21), quiet: labels[0] }, { finding: finding(SESSION, 'a.js', 40) }]);
    expect(match.misses).toEqual([]);
  });

  it('prefers the hazard when a hazard and a quiet label are both near', () => {
    const labels = [quiet(DISK, 'a.js', 9), hazard(DISK, 'a.js', 11)];
    const match = matchFindings(labels, [finding(DISK, 'a.js', 10)]);
    expect(match.truePositives).toHaveLength(1);
    expect(match.falsePositives).toEqual([]);
  });
});

describe('countByRule and rates', () => {
  it('sums true positives, false positives, misses, duplicates and quiet hits per rule', () => {
    const labels = [hazard(SESSION, 'a.js', 1), hazard(SESSION, 'a.js', 30), quiet(DISK, 'a.js', 50)];
    const match = matchFindings(labels, [finding(SESSION, 'a.js', 1), finding(SESSION, 'a.js', 2), finding(DISK, 'a.js', 50)]);
    const counts = countByRule([match], [SESSION, DISK, 'no-in-process-lock']);
    expect([...counts.keys()]).toEqual([SESSION, DISK, 'no-in-process-lock']);
    expect(counts.get(SESSION)).toEqual({ tp: 1, fp: 0, fn: 1, dup: 1, quietHit: 0 });
    expect(counts.get(DISK)).toEqual({ tp: 0, fp: 1, fn: 0, dup: 0, quietHit: 1 });
    expect(counts.get('no-in-process-lock')).toEqual({ tp: 0, fp: 0, fn: 0, dup: 0, quietHit: 0 });
    expect(rates(counts.get(SESSION))).toEqual({ precision: 1, recall: 0.5 });
    expect(rates(counts.get(DISK))).toEqual({ precision: 0, recall: undefined });
  });
});

describe('validateLabelFile', () => {
  const rules = [SESSION, DISK];
  const valid = { repo: 'owner/name', commit: 'a'.repeat(40), framework: 'express', language: 'javascript', labels: [hazard(SESSION, 'app.js', 3)] };

  it('accepts a well-formed file', () => {
    expect(validateLabelFile(valid, rules)).toEqual([]);
  });

  it('names every problem', () => {
    const broken = { ...valid, commit: 'HEAD', roots: 'src', labels: [{ rule: 'no-such-rule', file: '/abs.js', line: 0, kind: 'maybe', why: '' }] };
    expect(validateLabelFile(broken, rules)).toEqual([
      'commit must be 40 hex digits',
      'roots must be an array of folder paths',
      'labels[0].rule "no-such-rule" is not a known rule',
      'labels[0].file must be a path relative to the repository',
      'labels[0].line must be a 1-based line',
      'labels[0].kind must be "hazard" or "quiet"',
      'labels[0].why must say why',
    ]);
  });

  it('holds for every label file of the corpus', () => {
    const dir = path.join(__dirname, 'labels');
    const allRules = [
      'no-in-memory-session',
      'no-local-disk-write',
      'no-in-memory-counter',
      'no-blocking-request-work',
      'no-replica-read-after-write',
      'no-in-process-scheduler',
      'no-in-memory-pubsub',
      'no-in-process-lock',
      'no-process-local-cache',
    ];
    const files = fs.readdirSync(dir).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const name of files) {
      const data = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { repo: string };
      expect(validateLabelFile(data, allRules), name).toEqual([]);
      expect(name).toBe(`${data.repo.replace('/', '__')}.json`);
    }
  });
});
