/** What entry-point detectors key on, as plain text: cheap tests that rule files in or out before any parse. */

/** Route methods (and a router's prefixed ones, `api.linPost(`), decorators (a gateway's `@SubscribeMessage` too, whatever decorates its class), handler exports (a page's `getServerSideProps`), resolver maps (`{ Query, Mutation }` of imported types too), a route table's `router[route.method](`, ORM hooks. */
export const ENTRY_TEXT =
  /\[\s*(?:\w+\s*\.\s*)?method\b[^\]\n]{0,20}\]\s*\(|\.\s*(?:get|post|put|patch|delete|del|all|options|head|any|use|route|addHook|ws|on|once|query|mutation|subscription|openapi)\s*[(<]|\.\s*[a-z]{2,}(?:Get|Post|Put|Patch|Delete)\s*\(|createS(?:ecureS)?erver|@\s*(?:Controller|Injectable|Catch|WebSocketGateway|SubscribeMessage|Resolver|MessagePattern|EventPattern|GrpcMethod)\b|\b(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|handler|middleware|getServerSideProps)\b|use server|\b(?:next-auth|@auth\/[\w-]+)\/providers\/|\b(?:Query|Mutation|Subscription)\s*[:,}]|@\s*(?:Before|After)(?:Insert|Update|Remove|SoftRemove|Recover)\b|\.\s*(?:pre|post)\s*\(\s*['"]/;
/** Next.js and SvelteKit files whose exports are handlers whatever they contain (a SvelteKit page's `load`, its server hooks' `handle`). */
export const ENTRY_PATH = /(?:^|\/)(?:app\/(?:.*\/)?route|pages\/api\/.*|(?:src\/)?middleware)\.[cm]?[jt]sx?$|(?:^|\/)src\/(?:routes\/(?:.*\/)?\+(?:server|page\.server|layout\.server)|hooks\.server)\.[cm]?[jt]s$/;

/** Whether a file may register request handlers, judged by its path and text alone. */
export function mayServeRequests(relativePath: string, text: string): boolean {
  return ENTRY_PATH.test(relativePath) || ENTRY_TEXT.test(text);
}

/** A server started (`app.listen(port)`, `NestFactory`, Hono's `serve(…)`, a `new WebSocketServer(…)`): the web process's start-up may run here. */
export const SERVER_START_TEXT = /\.\s*listen\s*\(|NestFactory|\bserve\s*\(|startStandaloneServer|new\s+(?:WebSocketServer|[\w.]*\.Server)\s*\(/;

/**
 * Whether a file belongs to the web process, judged by its path and text alone: it may register
 * request handlers, or it starts the server (an entry that only calls `app.listen(port)` on an app
 * another module builds, and starts the jobs of a third: what it starts runs in every instance).
 */
export function mayServeOrStart(relativePath: string, text: string): boolean {
  return mayServeRequests(relativePath, text) || SERVER_START_TEXT.test(text);
}

/** A listing of a folder and a dynamic load in the same file: what a loader of route modules (`route-folders.ts`) needs. */
export const FOLDER_LOADER_TEXT = /(?:readdir|glob|\bfg\b|fastGlob|jetpack)[\s\S]*(?:require\s*\(|import\s*\()|(?:require\s*\(|import\s*\()[\s\S]*(?:readdir|glob|\bfg\b|fastGlob|jetpack)/;
