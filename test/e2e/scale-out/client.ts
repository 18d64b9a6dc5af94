// A scripted shop client: fetch with a cookie jar, loopback only.
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface Reply {
  status: number;
  /** Parsed JSON when the answer is JSON, else the text; undefined when the request failed. */
  body: unknown;
  /** The instance that answered (nginx's X-Upstream), or the URL it was sent to directly. */
  servedBy: string;
  ms: number;
  /** Set when no HTTP answer came back (connection reset, timeout): status is 0 then. */
  error?: string;
}

export interface RequestOptions {
  json?: unknown;
  headers?: Record<string, string>;
  form?: FormData;
  /** A raw body (a file PUT as is); give its content-type in headers. */
  text?: string;
  timeoutMs?: number;
  /** Send this one request to another loopback server (one instance, past nginx) with the same cookie jar. */
  baseUrl?: string;
}

function loopbackOnly(baseUrl: string): string {
  const { hostname } = new URL(baseUrl);
  if (!LOOPBACK.has(hostname)) throw new Error(`the scale-out client only talks to loopback, not ${hostname}`);
  return baseUrl;
}

export class ShopClient {
  private readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {
    loopbackOnly(baseUrl);
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    let body: string | FormData | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      body = options.form;
    } else if (options.text !== undefined) {
      body = options.text;
    }
    const started = performance.now();
    const baseUrl = options.baseUrl === undefined ? this.baseUrl : loopbackOnly(options.baseUrl);
    try {
      const response = await fetch(new URL(path, baseUrl), {
        method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
      this.remember(response.headers.getSetCookie());
      const text = await response.text();
      const isJson = response.headers.get('content-type')?.includes('json') ?? false;
      return {
        status: response.status,
        body: isJson && text ? (JSON.parse(text) as unknown) : text,
        servedBy: response.headers.get('x-upstream') ?? baseUrl,
        ms: performance.now() - started,
      };
    } catch (err) {
      return { status: 0, body: undefined, servedBy: '', ms: performance.now() - started, error: err instanceof Error ? err.message : String(err) };
    }
  }

  private remember(setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair, ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const expired = attributes.some((attr) => /^\s*max-age\s*=\s*0\s*$/i.test(attr) || /^\s*expires\s*=\s*thu, 01 jan 1970/i.test(attr));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1).trim());
    }
  }
}
