/** Helpers for the PKI tests: running the openssl CLI and scratch directories. Not for production code. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const OPENSSL = '/usr/bin/openssl';

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function opensslRun(args: string[], opts: { cwd?: string; input?: string | Buffer } = {}): RunResult {
  const r = spawnSync(OPENSSL, args, { cwd: opts.cwd, input: opts.input });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString('latin1') };
}

/** Runs openssl and returns stdout; throws with stderr when it fails. */
export function openssl(args: string[], opts: { cwd?: string; input?: string | Buffer } = {}): string {
  const r = opensslRun(args, opts);
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

export interface Scratch {
  dir: string;
  path(name: string): string;
  write(name: string, data: string | Uint8Array): string;
  remove(): void;
}

export function scratch(prefix = 'certtrail-pki-'): Scratch {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    path: (name) => join(dir, name),
    write(name, data) {
      const p = join(dir, name);
      writeFileSync(p, data);
      return p;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** `-attime` value for openssl verify. */
export function epochSeconds(d: Date): string {
  return String(Math.floor(d.getTime() / 1000));
}
