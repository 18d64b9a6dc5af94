// The README's install blocks, as the packaging test runs them: each block follows a marker
// `<!-- packaging-test: KIND -->`, so the README a user copies from is the script under test.
import { readFileSync } from 'node:fs';

export interface ReadmeBlock {
  kind: string;
  text: string;
}

export function readmeBlocks(readmePath: string): ReadmeBlock[] {
  const text = readFileSync(readmePath, 'utf8');
  const blocks: ReadmeBlock[] = [];
  for (const match of text.matchAll(/<!-- packaging-test: ([\w.-]+) -->\s*\n```\w*\n([\s\S]*?)\n```/g)) {
    blocks.push({ kind: match[1], text: match[2] });
  }
  return blocks;
}

/** The shell commands of a block, without comments and blank lines. */
export function commandsOf(block: ReadmeBlock): string[] {
  return block.text
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Every package named by the `npm install` commands of these blocks, in order, once each. */
export function installedPackages(blocks: readonly ReadmeBlock[]): string[] {
  const packages: string[] = [];
  for (const block of blocks) {
    for (const command of commandsOf(block)) {
      const words = command.split(/\s+/);
      if (words[0] !== 'npm' || (words[1] !== 'install' && words[1] !== 'i')) throw new Error(`not an npm install command: ${command}`);
      for (const word of words.slice(2)) if (!word.startsWith('-') && !packages.includes(word)) packages.push(word);
    }
  }
  return packages;
}
