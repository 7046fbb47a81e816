/**
 * The load generator's process: autocannon, fed over IPC. Kept out of the bench's own process so
 * that generating load competes with the measured processes only as another process would, and
 * never skews their CPU figures.
 */
import autocannon from 'autocannon';
import { serveIpc, type IpcRequest } from '../ipc.js';
import { summarize } from '../stats.js';
// Answers `usage`, so the bench can tell its own processes' CPU from the rest of the machine's.
import '../processes/usage-probe.js';
import type { LoadResult, LoadSpec } from './load-spec.js';

function run(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    let next = 0;
    const latencies: number[] = [];
    const statusCodes: Record<string, number> = {};
    let responses = 0;
    let ok = 0;
    let errors = 0;
    const started = performance.now();
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        amount: spec.bodies.length,
        timeout: spec.timeoutSeconds,
        headers: { ...spec.headers, 'content-type': 'application/json' },
        requests: [
          {
            method: 'POST',
            path: spec.path,
            // Walks the conversations: every handoff is for a fresh one. Past the end (autocannon may
            // ask once more than `amount`), the last body repeats, which the bridge answers from its
            // idempotency record.
            setupRequest: (req) => ({ ...req, body: spec.bodies[Math.min(next++, spec.bodies.length - 1)] }),
          },
        ],
      },
      (err) => {
        clearTimeout(timer);
        if (err) {
          reject(err);
          return;
        }
        const elapsedMs = performance.now() - started;
        resolve({
          responses,
          ok,
          non2xx: responses - ok,
          errors,
          statusCodes,
          elapsedMs,
          latency: summarize(latencies),
          okPerSecond: ok / (elapsedMs / 1000),
        });
      },
    );
    const timer = setTimeout(() => instance.stop(), spec.maxSeconds * 1000);
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      responses += 1;
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) {
        ok += 1;
        latencies.push(responseTime);
      }
    });
    instance.on('reqError', () => {
      errors += 1;
    });
  });
}

serveIpc({ run: (req: IpcRequest) => run(req.spec as LoadSpec) });
process.once('SIGTERM', () => process.exit(0));
