// The fixed copy of a corpus app as 3 instances behind nginx (../scale-out/cluster.ts), with Redis,
// the S3-compatible server, the queue worker when a fix added one, and the PostgreSQL standby 500 ms
// behind; then the scenario's scale-out checks, each in the app's own terms.
import path from 'node:path';
import { startWorker, type SharedServices } from '../scale-out/after';
import { ShopClient } from '../scale-out/client';
import { startCluster, type Cluster } from '../scale-out/cluster';
import { stopProcess, type ManagedProcess } from '../scale-out/processes';
import { copyApp, pick, resolve, startCommand, type AppsDatabase, type Scenario, type ScaleOutStep, type Step, type Vars } from './harness';
import { workerScript } from './fixed';

export const INSTANCES = 3;

export interface CheckResult {
  name: string;
  kind: string;
  /** Undefined when the check passed; else the first request that went wrong, and how. */
  failure?: string;
}

export interface ScaleOutRun {
  results: CheckResult[];
  logs: string;
  timings: Record<string, number>;
}

/** The environment every instance of a corpus app gets (as in harness.ts), plus the shared services'. */
function appEnvironment(services: SharedServices): Record<string, string> {
  return { NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...services.env };
}

/** Starts the installed and built fixed copy on 3 instances, plays every check, stops it all. */
export async function runScaleOut(scenario: Scenario, appDir: string, db: AppsDatabase, services: SharedServices): Promise<ScaleOutRun> {
  const timings: Record<string, number> = {};
  let started = performance.now();
  await db.reset();
  await services.flush();
  const env = appEnvironment(services);
  let worker: ManagedProcess | undefined;
  let cluster: Cluster | undefined;
  try {
    const script = workerScript(appDir);
    if (script) worker = await startWorker(appDir, { ...env, DATABASE_URL: db.database.primaryUrl, DATABASE_REPLICA_URL: db.database.replicaUrl }, script);
    cluster = await startCluster({
      appDir,
      database: db.database,
      instances: INSTANCES,
      command: startCommand(appDir),
      // Each instance runs from its own copy of the built app, as on its own machine: the same
      // files, its own disk (its uploads stay in its copy), the upload folder the app's own default.
      cwd: (instanceDir) => copyApp(appDir, path.join(instanceDir, 'app')),
      env,
      readyPath: scenario.readyPath ?? '/',
      readyOnAnyStatus: true,
    });
    await db.database.waitForReplica();
    timings.start = Math.round(performance.now() - started);
    started = performance.now();
    const results = await playChecks(scenario, cluster, db);
    timings.checks = Math.round(performance.now() - started);
    return { results, logs: `${cluster.logs()}${worker ? `\n----- worker\n${worker.output()}` : ''}`, timings };
  } catch (error) {
    if (error instanceof Error && worker) error.message += `\n----- worker\n${worker.output()}`;
    throw error;
  } finally {
    await cluster?.stop();
    if (worker) await stopProcess(worker);
  }
}

interface Client {
  http: ShopClient;
  /** For the scenario's `client: 'mobile'` steps: no cookies. */
  mobile: ShopClient;
  /** What this client saved (its token, its session's values), and `instance`: where it logged in. */
  vars: Vars;
}

async function playChecks(scenario: Scenario, cluster: Cluster, db: AppsDatabase): Promise<CheckResult[]> {
  const instances = cluster.instances.map((instance) => instance.url);
  /** The instances still running: all of them until the killed-instance check kills instance 0. */
  let alive = instances.map((_, index) => index);
  const stepOf = (step: string | Step): Step => {
    if (typeof step !== 'string') return step;
    const found = scenario.steps.find((candidate) => candidate.name === step);
    if (!found) throw new Error(`${scenario.app}: the scale-out checks name a step "${step}" the scenario does not have`);
    return found;
  };
  const client = (): Client => ({ http: new ShopClient(cluster.url), mobile: new ShopClient(cluster.url), vars: {} });
  const shared = client();
  const own = instances.map(() => client());
  // Every value any client saved (an id, a URL); a client's own values (its token) come first.
  const facts: Vars = {};

  /** Plays one step; resolves with what went wrong, or undefined. */
  const play = async (request: ScaleOutStep, target: number | 'nginx', client: Client): Promise<string | undefined> => {
    const step = stepOf(request.step);
    const baseUrl = target === 'nginx' ? cluster.url : instances[target];
    const vars = { ...facts, ...client.vars };
    const reply = await (step.client === 'mobile' ? client.mobile : client.http).request(step.method, resolve(step.path, vars), {
      baseUrl,
      json: step.json === undefined ? undefined : resolve(step.json, vars),
      form: step.form?.(vars),
      text: step.text,
      headers: step.headers === undefined ? undefined : resolve(step.headers, vars),
    });
    for (const [name, dotted] of Object.entries(step.save ?? {})) {
      const value = pick(reply.body, dotted);
      if (value !== undefined && value !== null) client.vars[name] = facts[name] = String(value);
    }
    const where = `"${step.name}" via ${target === 'nginx' ? `nginx (answered by ${reply.servedBy})` : `instance ${target}`}`;
    const body = typeof reply.body === 'string' ? reply.body.slice(0, 200) : JSON.stringify(reply.body)?.slice(0, 200);
    if (reply.status !== step.status) return `${where}: ${reply.status} ${reply.error ?? body}, expected ${step.status}`;
    const wrong = request.expect?.(reply.body, { ...facts, ...client.vars });
    return wrong === undefined ? undefined : `${where}: ${wrong} (body: ${body})`;
  };

  const playAll = async (requests: ScaleOutStep[]): Promise<string | undefined> => {
    for (const request of requests) {
      if (typeof request.via === 'number' && !alive.includes(request.via)) throw new Error(`${scenario.app}: a scale-out step goes to instance ${request.via}, which was killed`);
      const targets = request.via === 'every' ? alive : [request.via];
      for (let round = 0; round < (request.times ?? 1); round++) {
        for (const target of targets) {
          if (request.afterReplicaCatchesUp) await db.database.waitForReplica();
          const wrong = await play(request, target, request.jar === 'shared' ? shared : typeof request.jar === 'number' ? own[request.jar] : target === 'nginx' ? own[0] : own[target]);
          if (wrong) return wrong;
        }
      }
    }
    return undefined;
  };

  const setupFailure = await playAll(scenario.scaleOutSetup.map((request) => ({ ...request, jar: 'shared' })));
  let loginFailure: string | undefined;
  for (const [index, each] of own.entries()) {
    each.vars.instance = String(index);
    for (const step of scenario.scaleOutLogin) {
      if (loginFailure) break;
      if (stepOf(step).afterReplicaCatchesUp) await db.database.waitForReplica();
      loginFailure = await play({ step, via: index }, index, each);
    }
  }
  const results: CheckResult[] = [];
  for (const check of scenario.scaleOut) {
    if (check.kind !== 'killed' && alive.length < instances.length) throw new Error(`${scenario.app}: the check "${check.name}" comes after a killed-instance check (those come last)`);
    if (check.kind === 'killed' && alive.includes(0)) {
      await cluster.killInstance(0);
      alive = alive.filter((each) => each !== 0);
    }
    const failure = setupFailure ? `setup failed: ${setupFailure}` : loginFailure && check.steps.some((step) => step.jar !== 'shared') ? `login on each instance failed: ${loginFailure}` : await playAll(check.steps);
    results.push({ name: check.name, kind: check.kind, failure });
  }
  return results;
}
