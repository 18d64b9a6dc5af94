import type ts = require('typescript');
import type { FunctionNode } from '../analysis/file-facts';
import type { StatelessConfig } from '../types';
import { AsyncRewriter } from './asyncify';

/** What a fix plan needs besides the hazard: the program, where adapters go, and how to name places. */
export interface FixContext {
  program: ts.Program;
  config: StatelessConfig;
  projectRoot: string;
  adapterDir: string;
  /** Whether a file exists (in the program or on disk): adapters are created only once. */
  exists: (fileName: string) => boolean;
  displayPath: (fileName: string) => string;
  /** `src/routes/auth.ts:12` */
  where: (node: ts.Node) => string;
  isHandler: (fn: FunctionNode) => boolean;
  rewriter: () => AsyncRewriter;
  /**
   * The Redis name of a state the fix moves (or of one of its parts, `stats.requests`), as code:
   * `'sessions'`; a start-up factory's variable is named after the factory or its call (factory-state.ts).
   */
  storeName: (name: string) => string;
  /** The functions the rewriters of this context turned async (of rewrites that were not refused). */
  functionsMadeAsync: () => FunctionNode[];
}
