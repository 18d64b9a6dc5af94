/**
 * Reads a rule's docs page into the parts the docs test checks: the title, the description line,
 * the headings in order, and every fenced code block with the headings it sits under. Headings and
 * fences inside code blocks are text, not structure.
 */

export interface Heading {
  level: number;
  text: string;
  /** 1-based line number in the page. */
  line: number;
}

export interface CodeBlock {
  /** The info string's first word (`ts`, `json`, `js`, …), lower-cased; empty when none. */
  lang: string;
  code: string;
  /** 1-based line number of the opening fence. */
  line: number;
  /** Text of the nearest `##` heading above the block. */
  section: string | undefined;
  /** Text of the nearest `###` heading above the block inside that section. */
  subsection: string | undefined;
}

export interface DocsPage {
  lines: readonly string[];
  headings: readonly Heading[];
  codeBlocks: readonly CodeBlock[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;

export function parseDocsPage(markdown: string): DocsPage {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const headings: Heading[] = [];
  const codeBlocks: CodeBlock[] = [];
  let section: string | undefined;
  let subsection: string | undefined;
  let open: { marker: string; lang: string; line: number; body: string[] } | undefined;

  lines.forEach((text, index) => {
    const lineNumber = index + 1;
    if (open) {
      const closing = text.trim();
      if (closing.startsWith(open.marker[0]!.repeat(open.marker.length)) && /^(`+|~+)$/.test(closing)) {
        codeBlocks.push({ lang: open.lang, code: open.body.join('\n'), line: open.line, section, subsection });
        open = undefined;
      } else {
        open.body.push(text);
      }
      return;
    }
    const fence = FENCE.exec(text);
    if (fence) {
      open = { marker: fence[1]!, lang: (fence[2] ?? '').toLowerCase(), line: lineNumber, body: [] };
      return;
    }
    const heading = HEADING.exec(text);
    if (!heading) return;
    const level = heading[1]!.length;
    const headingText = heading[2]!;
    headings.push({ level, text: headingText, line: lineNumber });
    if (level <= 2) {
      section = level === 2 ? headingText : undefined;
      subsection = undefined;
    } else if (level === 3) {
      subsection = headingText;
    }
  });

  return { lines, headings, codeBlocks };
}

const FILENAME_COMMENT = /^\s*\/\/\s*filename:\s*(\S+)\s*$/;

/**
 * The file name an example is linted under: `// filename: app/api/upload/route.ts` as the block's
 * first line names it (Next.js route handlers only count under `app/**\/route.ts`); otherwise
 * `example.ts` (`example.tsx` for tsx blocks).
 */
export function exampleFileName(block: Pick<CodeBlock, 'code' | 'lang'>): string {
  const firstLine = block.code.split('\n', 1)[0] ?? '';
  const named = FILENAME_COMMENT.exec(firstLine);
  if (named) return named[1]!;
  return block.lang === 'tsx' ? 'example.tsx' : 'example.ts';
}

/** Option names documented as `### \`name\`` headings under `## Options`. */
export function documentedOptions(page: DocsPage): string[] {
  const options: string[] = [];
  let inOptions = false;
  for (const heading of page.headings) {
    if (heading.level <= 2) inOptions = heading.level === 2 && heading.text === 'Options';
    else if (inOptions && heading.level === 3) {
      const name = /^`([^`]+)`$/.exec(heading.text);
      options.push(name ? name[1]! : heading.text);
    }
  }
  return options;
}
