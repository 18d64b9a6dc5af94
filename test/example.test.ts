import path from 'node:path';
import { ESLint } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';
import plugin from '../eslint-plugin/src/index';

const root = path.resolve(__dirname, '..');
const exampleDir = path.join(root, 'examples', 'legacy-shop');

/** Every hazard of the example, typed or not (sorted as `lintExample` sorts). */
const EXPECTED = [
  "src/app.ts:19:5 stateless/no-in-memory-session express-session keeps sessions in this process (the default MemoryStore). Behind a load balancer users are logged out whenever a request reaches another instance.",
  "src/jobs/daily-report.ts:11:3 stateless/no-in-process-scheduler `cron.schedule` runs in every instance of the web process: `sendOpsReport()` sends e-mail (`transporter.sendMail`) on the cron schedule `config.dailyReportCron`. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.",
  "src/jobs/expire-carts.ts:19:10 stateless/no-in-process-scheduler `setInterval` runs in every instance of the web process: `expireCarts()` writes to the database (`db.delete`) every `config.cartExpiryIntervalMs` ms. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.",
  "src/realtime.ts:10:8 stateless/no-in-memory-pubsub new Server() has no adapter, so `io?.to(…).emit()` on POST /orders (src/routes/orders.ts:49) reaches only the clients connected to this instance. socket.io's HTTP long-polling (on by default) also needs sticky sessions at the load balancer; they keep each client on one instance but carry no broadcasts, so they are a patch, not the fix.",
  "src/routes/auth.ts:11:22 stateless/no-in-memory-counter express-rate-limit counts requests in this process (the default MemoryStore). Behind a load balancer every instance allows the full limit, so clients get N times the limit.",
  "src/routes/orders.ts:117:19 stateless/no-blocking-request-work `zlib.gzipSync` blocks the event loop on GET /admin/orders/export (src/routes/orders.ts:111): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.",
  "src/routes/orders.ts:20:5 stateless/no-in-memory-counter `ordersPlaced` counts in this process; it is changed by POST /orders (src/routes/orders.ts:49). Each instance keeps its own count, so totals and limits are wrong once there is more than one.",
  "src/routes/orders.ts:24:7 stateless/no-in-process-lock `checkoutsInProgress` guards work only within this process; it is taken by POST /orders (src/routes/orders.ts:49). A request on another instance does not see it and runs the same work at the same time.",
  "src/routes/orders.ts:72:27 stateless/no-replica-read-after-write `db.select()` reads from a read replica after `db.insert()` (src/routes/orders.ts:65) on POST /orders (src/routes/orders.ts:49). A replica lags behind the primary, so this read can miss what the request just wrote. Read it from the primary.",
  "src/routes/products.ts:14:7 stateless/no-in-memory-counter `productViews` counts in this process; it is changed by GET /products/:id (src/routes/products.ts:24). Each instance keeps its own count, so totals and limits are wrong once there is more than one.",
  "src/routes/products.ts:54:17 stateless/no-blocking-request-work `fs.readFileSync` blocks the event loop on GET /products/:id/image (src/routes/products.ts:47): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.",
  "src/routes/uploads.ts:12:35 stateless/no-local-disk-write multer stores uploads on this instance's local disk (`dest: 'uploads/'`). Other instances will not find them; keep uploads in memory and put them in an object store (S3).",
  "src/routes/uploads.ts:16:29 stateless/no-local-disk-write multer stores uploads on this instance's local disk (`multer.diskStorage`). Other instances will not find them; keep uploads in memory and put them in an object store (S3).",
  "src/services/catalog.ts:7:7 stateless/no-process-local-cache `productCache` caches shared data in this process; it is written by PUT /cart (src/routes/orders.ts:38) and 6 other routes. When another instance changes that data, this copy stays stale until this process restarts.",
  "src/services/invoices.ts:13:17 stateless/no-blocking-request-work `new PDFDocument()` holds the request open on POST /orders (src/routes/orders.ts:49) while PDF rendering with pdfkit runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).",
  "src/services/invoices.ts:39:9 stateless/no-local-disk-write `fs.promises.writeFile` writes to this instance's local disk on POST /orders (src/routes/orders.ts:49). Other instances will not find the file, and it is lost when this instance is replaced.",
  "src/services/mailer.ts:12:22 stateless/no-blocking-request-work `transporter.sendMail` holds the request open on POST /orders (src/routes/orders.ts:49) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).",
  "src/services/passwords.ts:7:10 stateless/no-blocking-request-work `crypto.pbkdf2Sync` blocks the event loop on POST /login (src/routes/auth.ts:13): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.",
  "src/services/sessions.ts:12:7 stateless/no-in-memory-session `sessions` holds per-user state in this process; it is written by POST /login (src/routes/auth.ts:13) and 1 other route. A second instance will not see it.",
];

async function lintExample(typed: boolean): Promise<string[]> {
  const eslint = new ESLint({
    cwd: exampleDir,
    overrideConfigFile: true,
    overrideConfig: [
      { ignores: ['dist/**', 'node_modules/**'] },
      { files: ['**/*.ts'], languageOptions: { parser: tsParser, parserOptions: typed ? { projectService: true, tsconfigRootDir: exampleDir } : {} } },
      plugin.configs.recommended,
    ],
  });
  const results = await eslint.lintFiles(['src/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts']);
  return results
    .flatMap((result) => result.messages.map((m) => `${path.relative(exampleDir, result.filePath)}:${m.line}:${m.column} ${m.ruleId} ${m.message}`))
    .sort();
}

describe('the bundled example (what `npm run demo` prints)', () => {
  it('typed linting follows routes across files', async () => {
    expect(await lintExample(true)).toEqual(EXPECTED);
  }, 120_000);

  it('untyped linting finds the same: the project index follows imports, mounts and calls across files by syntax', async () => {
    expect(await lintExample(false)).toEqual(EXPECTED);
  });

  it('every hazard comment of the implemented rules is found, and no quiet look-alike is reported', async () => {
    const findings = await lintExample(true);
    const fs = await import('node:fs');
    const marked: string[] = [];
    const quiet: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory() && !['node_modules', 'dist', 'uploads'].includes(entry.name)) walk(full);
        else if (entry.isFile() && full.endsWith('.ts')) {
          fs.readFileSync(full, 'utf8').split('\n').forEach((line, index) => {
            const hazard = /\/\/ hazard: (no-in-memory-session|no-local-disk-write|no-in-memory-counter|no-blocking-request-work|no-replica-read-after-write|no-in-process-scheduler|no-in-memory-pubsub|no-in-process-lock|no-process-local-cache)\b/.exec(line);
            if (hazard) marked.push(`${path.relative(exampleDir, full)}:${index + 2} stateless/${hazard[1]}`);
            if (/\/\/ quiet:/.test(line)) quiet.push(`${path.relative(exampleDir, full)}:${index + 2}:`);
          });
        }
      }
    };
    walk(exampleDir);
    for (const hazard of marked) {
      const [location, rule] = hazard.split(' ');
      expect(findings.some((finding) => finding.startsWith(`${location}:`) && finding.includes(` ${rule} `)), hazard).toBe(true);
    }
    for (const location of quiet) expect(findings.filter((finding) => finding.startsWith(location))).toEqual([]);
    expect(marked.length).toBe(19);
  });
});
