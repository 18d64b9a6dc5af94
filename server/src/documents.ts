/**
 * Open documents (incremental sync) and the rules for which texts the server analyses at all:
 * JavaScript/TypeScript only, not binary, not over the size limit. File names are TypeScript's
 * (forward slashes); URIs are the client's.
 */
import { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';

/** Texts longer than this (in UTF-16 code units, ~bytes for source code) are not analysed. */
export const MAX_FILE_LENGTH = 2 * 1024 * 1024;

const ANALYSED_EXTENSIONS = /\.(?:[cm]?[jt]s|[jt]sx)$/i;

export function fileNameOf(uri: string): string | undefined {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? parsed.fsPath.replace(/\\/g, '/') : undefined;
}

export function uriOf(fileName: string): string {
  return URI.file(fileName).toString();
}

/** Whether a file is JavaScript or TypeScript by its name (what core can analyse). */
export function isAnalysable(fileName: string): boolean {
  return ANALYSED_EXTENSIONS.test(fileName) && !/\.d\.[cm]?ts$/i.test(fileName);
}

/**
 * Why a text is not analysed, in words for the log, or undefined when it is. A NUL in the first
 * 8,000 characters marks a binary file, git's heuristic.
 */
export function whyNotAnalysed(text: string): string | undefined {
  if (text.length > MAX_FILE_LENGTH) {
    return `it is ${megabytes(text.length)} MB, over the ${megabytes(MAX_FILE_LENGTH)} MB limit`;
  }
  if (text.slice(0, 8000).includes('\u0000')) return 'it looks like a binary file (it contains NUL characters)';
  return undefined;
}

function megabytes(length: number): string {
  return (length / (1024 * 1024)).toFixed(1);
}

/** The open documents, found by URI or by TypeScript file name. */
export class Documents {
  readonly all = new TextDocuments(TextDocument);
  private readonly uriByFileName = new Map<string, string>();

  constructor() {
    this.all.onDidOpen(({ document }) => {
      const fileName = fileNameOf(document.uri);
      if (fileName) this.uriByFileName.set(fileName, document.uri);
    });
    this.all.onDidClose(({ document }) => {
      const fileName = fileNameOf(document.uri);
      if (fileName && this.uriByFileName.get(fileName) === document.uri) this.uriByFileName.delete(fileName);
    });
  }

  get(uri: string): TextDocument | undefined {
    return this.all.get(uri);
  }

  byFileName(fileName: string): TextDocument | undefined {
    const uri = this.uriByFileName.get(fileName);
    return uri === undefined ? undefined : this.all.get(uri);
  }

  /** The URI a file is known by: the client's, when it is open. */
  uriFor(fileName: string): string {
    return this.uriByFileName.get(fileName) ?? uriOf(fileName);
  }

  /** File names of the open documents. */
  openFileNames(): string[] {
    return [...this.uriByFileName.keys()];
  }
}
