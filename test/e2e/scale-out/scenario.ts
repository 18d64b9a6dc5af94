// The scripted client run against a cluster: it measures, it does not assert. The test decides what
// "before fixes" and "after fixes" must look like from the numbers returned here.
import { ShopClient, type Reply } from './client';
import { runWhileKilling, type KillMidRunResult } from './kill';

export const DEMO_USER = { email: 'demo@legacy-shop.test', password: 'hunter2' };

export interface ScenarioOptions {
  /** The load balancer. */
  url: string;
  /** Each instance directly, to probe where an upload landed. */
  instanceUrls: string[];
  /** How far the standby lags (the wait before the "after the lag" read). */
  replicaLagMs?: number;
  sessionRequests?: number;
  downloads?: number;
  counterHits?: number;
  counterProductId?: number;
  orderProductId?: number;
}

/** HTTP status (or "error") -> how many times it was seen. */
export type Tally = Record<string, number>;

export interface SessionCheck {
  requests: number;
  ok: number;
  statuses: Tally;
  byInstance: Record<string, Tally>;
}

export interface ScenarioResult {
  login: { status: number; servedBy: string };
  /** The express-session cookie from POST /login. */
  session: SessionCheck;
  /** The bearer token from POST /login, sent by a client without cookies (the mobile app). */
  bearer: SessionCheck;
  upload: {
    status: number;
    id?: string;
    /** Downloads through the load balancer; ok counts only bodies equal to what was uploaded. */
    downloads: { requests: number; ok: number; statuses: Tally };
    /** A fresh login on each instance directly, then GET /uploads/:id there. */
    probes: { instance: string; status: number }[];
    instancesWithFile: number;
  };
  counter: { hits: number; acknowledged: number; total?: number; byInstance: Record<string, number> };
  slowJob: { status: number; ms: number; body: unknown };
  writeThenRead: {
    /** POST /orders answered with the order it just wrote (its own read-after-write). */
    orderInResponse: boolean;
    /** GET /orders right after the POST lists a new order. */
    listedRightAway: boolean;
    /** GET /orders once the replica lag has passed lists it: the write itself happened. */
    listedAfterLag: boolean;
  };
  /** Requests answered 401 and sent again (the session lives on one instance only). */
  sessionRetries: number;
}

function tally(into: Tally, reply: Reply): void {
  const key = reply.status === 0 ? 'error' : String(reply.status);
  into[key] = (into[key] ?? 0) + 1;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

async function login(client: ShopClient): Promise<Reply> {
  return client.request('POST', '/login', { json: DEMO_USER });
}

export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const {
    url,
    instanceUrls,
    replicaLagMs = 500,
    sessionRequests = 30,
    downloads = 9,
    counterHits = 300,
    counterProductId = 2,
    orderProductId = 1,
  } = options;
  const client = new ShopClient(url);
  let sessionRetries = 0;

  // A request that needs the session, sent again while it is answered 401 — at most once per
  // instance, so each check below measures its own hazard and not only the session one.
  const withSession = async (method: string, path: string, init?: Parameters<ShopClient['request']>[2]) => {
    let reply = await client.request(method, path, init);
    for (let attempt = 1; reply.status === 401 && attempt < instanceUrls.length; attempt++) {
      sessionRetries++;
      reply = await client.request(method, path, init);
    }
    return reply;
  };

  const loggedIn = await login(client);
  if (loggedIn.status !== 200) throw new Error(`login failed: ${loggedIn.status} ${JSON.stringify(loggedIn.body)}`);

  // 1. The session must hold on every request, for the cookie and for the bearer token.
  const token = isRecord(loggedIn.body) && typeof loggedIn.body.token === 'string' ? loggedIn.body.token : '';
  const session = await checkSession(client, sessionRequests);
  const bearer = await checkSession(new ShopClient(url), sessionRequests, { authorization: `Bearer ${token}` });

  // 2. Upload a file, then download it through the load balancer and from every instance.
  const content = `scale-out proof ${Date.now()} ${Math.random()}\n`;
  const form = new FormData();
  form.append('file', new Blob([content], { type: 'text/plain' }), 'proof.txt');
  const uploaded = await withSession('POST', '/uploads', { form });
  const id = isRecord(uploaded.body) && typeof uploaded.body.id === 'string' ? uploaded.body.id : undefined;
  const upload: ScenarioResult['upload'] = {
    status: uploaded.status,
    id,
    downloads: { requests: downloads, ok: 0, statuses: {} },
    probes: [],
    instancesWithFile: 0,
  };
  if (id) {
    for (let i = 0; i < downloads; i++) {
      const reply = await client.request('GET', `/uploads/${id}`);
      tally(upload.downloads.statuses, reply);
      if (reply.status === 200 && reply.body === content) upload.downloads.ok++;
    }
    for (const instanceUrl of instanceUrls) {
      const direct = new ShopClient(instanceUrl);
      const probeLogin = await login(direct);
      const reply = probeLogin.status === 200 ? await direct.request('GET', `/uploads/${id}`) : probeLogin;
      upload.probes.push({ instance: instanceUrl, status: reply.status });
      if (reply.status === 200 && reply.body === content) upload.instancesWithFile++;
    }
  }

  // 3. A counter the API exposes: GET /products/:id answers with its view count.
  const counter: ScenarioResult['counter'] = { hits: counterHits, acknowledged: 0, byInstance: {} };
  for (let i = 0; i < counterHits; i++) {
    const reply = await client.request('GET', `/products/${counterProductId}`);
    if (reply.status !== 200 || !isRecord(reply.body)) continue;
    counter.acknowledged++;
    const views = Number(reply.body.views);
    counter.byInstance[reply.servedBy] = Math.max(counter.byInstance[reply.servedBy] ?? 0, views);
  }
  counter.total = await readCounter(client, counterProductId);

  // 4 and 5. The slow job (invoice PDF + e-mail on POST /orders) and write-then-read.
  const orderIds = async () => {
    const reply = await withSession('GET', '/orders');
    const rows = isRecord(reply.body) && Array.isArray(reply.body.orders) ? (reply.body.orders as unknown[]) : [];
    return new Set(rows.filter(isRecord).map((row) => Number(row.id)));
  };
  const known = await orderIds();
  const placed = await withSession('POST', '/orders', { json: { items: [{ productId: orderProductId, quantity: 1 }], shipping: 'standard' } });
  const hasNewOrder = (ids: Set<number>) => [...ids].some((orderId) => !known.has(orderId));
  const listedRightAway = hasNewOrder(await orderIds());
  await sleep(replicaLagMs + 500);
  const listedAfterLag = hasNewOrder(await orderIds());

  return {
    login: { status: loggedIn.status, servedBy: loggedIn.servedBy },
    session,
    bearer,
    upload,
    counter,
    slowJob: { status: placed.status, ms: Math.round(placed.ms), body: placed.body },
    writeThenRead: {
      orderInResponse: placed.status >= 200 && placed.status < 300 && isRecord(placed.body) && typeof placed.body.id === 'number',
      listedRightAway,
      listedAfterLag,
    },
    sessionRetries,
  };
}

async function checkSession(client: ShopClient, requests: number, headers?: Record<string, string>): Promise<SessionCheck> {
  const check: SessionCheck = { requests, ok: 0, statuses: {}, byInstance: {} };
  for (let i = 0; i < requests; i++) {
    const reply = await client.request('GET', '/me', { headers });
    tally(check.statuses, reply);
    tally((check.byInstance[reply.servedBy] ??= {}), reply);
    if (reply.status === 200) check.ok++;
  }
  return check;
}

/** The view count of a product: the count one more view reports, minus that view. */
export async function readCounter(client: ShopClient, productId: number): Promise<number | undefined> {
  const reply = await client.request('GET', `/products/${productId}`);
  return reply.status === 200 && isRecord(reply.body) ? Number(reply.body.views) - 1 : undefined;
}

export interface CounterKillResult extends KillMidRunResult {
  /** The count read after the run: equals `acknowledged` when no increment was lost. */
  total?: number;
}

/** Views a product `hits` times through the load balancer and kills an instance after `killAfter`. */
export async function countWhileKilling(options: { url: string; productId: number; hits: number; killAfter: number; concurrency?: number; kill(): Promise<void> }): Promise<CounterKillResult> {
  const client = new ShopClient(options.url);
  const result = await runWhileKilling({
    requests: options.hits,
    killAfter: options.killAfter,
    concurrency: options.concurrency ?? 3,
    send: () => client.request('GET', `/products/${options.productId}`),
    kill: options.kill,
  });
  return { ...result, total: await readCounter(client, options.productId) };
}
