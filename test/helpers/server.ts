import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ACMClient } from '@aws-sdk/client-acm';
import { dropDatabase, ensureDatabase } from './backend.ts';

export { testBackend, type TestBackend } from './backend.ts';

export const ROOT = resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  proc: ChildProcess;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<number | null>;
  /** Stops, drops the data dir's PostgreSQL schema, and deletes the data dir if startServer made it. */
  dispose(): Promise<void>;
}

/**
 * Starts the real server (`src/main.ts`) as a child process on a free port with its own data dir,
 * and with CERTTRAIL_TEST_BACKEND=postgres its own schema (see backend.ts).
 */
export async function startServer(env: Record<string, string> = {}, dataDir?: string): Promise<RunningServer> {
  const port = await freePort();
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'certtrail-test-'));
  if (!env.CERTTRAIL_DATABASE_URL) await ensureDatabase(dir);
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      CERTTRAIL_DATA_DIR: dir,
      CERTTRAIL_AUTO_VALIDATION_DELAY_SECONDS: '1',
      CERTTRAIL_LIFECYCLE_POLL_MS: '100',
      CERTTRAIL_KEY_POOL_SIZE: '2',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (c) => (out += c));
  proc.stderr!.on('data', (c) => (out += c));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited early (${proc.exitCode}):\n${out}`);
    try {
      const r = await fetch(`${url}/_certtrail/health`);
      if (r.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server did not become healthy:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = () =>
    new Promise<number | null>((res) => {
      if (proc.exitCode !== null) return res(proc.exitCode);
      proc.once('exit', (code) => res(code));
      proc.kill('SIGTERM');
    });
  return {
    url,
    port,
    dataDir: dir,
    proc,
    output: () => out,
    stop,
    async dispose() {
      await stop();
      await dropDatabase(dir);
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function acmClient(url: string, creds = { accessKeyId: 'test', secretAccessKey: 'test' }, region = 'us-east-1'): ACMClient {
  return new ACMClient({ endpoint: url, region, credentials: creds, maxAttempts: 1 });
}

export async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
