import http from 'node:http';
import type { PhaseRecorder } from './stats';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Milliseconds from sending the request to the last byte of the answer. */
  ms: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * A keep-alive HTTP client for one SCIM base URL and bearer token. The benchmark drives only the Roster it
 * started, on the loopback interface: anything else is refused here rather than trusted to the caller.
 */
export class BenchClient {
  private readonly agent: http.Agent;
  private readonly origin: URL;

  constructor(
    baseUrl: string,
    private readonly token: string,
    concurrency: number,
    private readonly timeoutMs: number,
  ) {
    this.origin = new URL(baseUrl);
    if (this.origin.protocol !== 'http:' || !LOOPBACK.has(this.origin.hostname)) {
      throw new Error(`the benchmark only talks to a loopback http:// server, not ${baseUrl}`);
    }
    // One socket per concurrent worker, reused for every request of the run (as an IdP's client does).
    this.agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  }

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = http.request(
        {
          agent: this.agent,
          hostname: this.origin.hostname.replace(/^\[|\]$/g, ''),
          port: this.origin.port,
          method,
          path,
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: 'application/scim+json',
            ...(payload ? { 'content-type': 'application/scim+json', 'content-length': String(payload.length) } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
              ms: performance.now() - started,
            }),
          );
        },
      );
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Parses a response body as JSON; undefined when it is empty or not JSON. */
export function jsonOf(response: HttpResponse): any {
  if (!response.text) return undefined;
  try {
    return JSON.parse(response.text);
  } catch {
    return undefined;
  }
}

/** What one unit of work reports: its latency, and why it was wrong if it was. */
export interface Outcome {
  ms: number;
  error?: string;
}

/** A short description of an unexpected answer, for the error samples. */
export function unexpected(response: HttpResponse, expected: string): Outcome {
  const detail = (jsonOf(response)?.detail ?? response.text.slice(0, 120)).toString().replace(/\s+/g, ' ');
  return { ms: response.ms, error: `expected ${expected}, got ${response.status}${detail ? `: ${detail}` : ''}` };
}

export interface LoadOptions {
  /** How many units of work at most. */
  total: number;
  concurrency: number;
  /** Wall-clock bound of the phase: no new unit starts after it. */
  maxSeconds: number;
}

/**
 * Runs `work(0..total-1)` on `concurrency` workers, recording each outcome. Bounded twice: by `total`, and by
 * `maxSeconds` (work not started by then is not started at all, and the phase reports fewer requests).
 */
export async function runLoad(
  recorder: PhaseRecorder,
  options: LoadOptions,
  work: (index: number) => Promise<Outcome>,
): Promise<void> {
  let next = 0;
  const deadline = performance.now() + options.maxSeconds * 1000;
  const worker = async () => {
    while (next < options.total && performance.now() < deadline) {
      const index = next++;
      try {
        const outcome = await work(index);
        if (outcome.error) recorder.error(outcome.error);
        else recorder.ok(outcome.ms);
      } catch (error) {
        recorder.error((error as Error).message);
      }
    }
  };
  recorder.start();
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, options.total)) }, worker));
  recorder.stop();
}
