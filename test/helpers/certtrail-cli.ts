import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './server.ts';

/** Runs the `certtrail` CLI (bin/certtrail.js) against a data dir, as an operator would. */
export function certtrailCli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/certtrail.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}
