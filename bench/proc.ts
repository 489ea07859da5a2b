/** CPU time of another process (Linux /proc), and waiting for a server to go quiet. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU seconds the process has used so far (all its threads), or undefined off Linux. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / clockTicks();
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds used so far by all processes named `comm` (e.g. every PostgreSQL backend), those
 * that have exited included: their time is in their parent's cutime/cstime once it has reaped
 * them, so the sum does not drop when a connection closes. Undefined off Linux.
 */
export function commandCpuSeconds(comm: string): number | undefined {
  let ticks = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    if (stat.slice(stat.indexOf('(') + 1, close) !== comm) continue;
    // utime, stime, cutime, cstime: fields 14-17.
    const rest = stat.slice(close + 2).split(' ');
    ticks += Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]);
  }
  return ticks / clockTicks();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the process uses under `threshold` of a core for `quietSeconds` in a row — for
 * certtrail, the sign that its key pool is full (key generation is its only background work
 * of note). Off Linux it just sleeps `fallbackSeconds`. Returns the seconds waited.
 */
export async function waitQuiet(
  pid: number,
  opts: { threshold?: number; quietSeconds?: number; timeoutSeconds?: number; fallbackSeconds?: number } = {},
): Promise<{ seconds: number; quiet: boolean }> {
  const threshold = opts.threshold ?? 0.05;
  const quietNeeded = opts.quietSeconds ?? 2;
  const timeout = opts.timeoutSeconds ?? 180;
  const t0 = Date.now();
  let prev = cpuSeconds(pid);
  if (prev === undefined) {
    await sleep((opts.fallbackSeconds ?? 15) * 1000);
    return { seconds: (Date.now() - t0) / 1000, quiet: false };
  }
  let quietFor = 0;
  while ((Date.now() - t0) / 1000 < timeout) {
    const w0 = Date.now();
    await sleep(1000);
    const cur = cpuSeconds(pid);
    if (cur === undefined) break;
    const used = (cur - prev!) / ((Date.now() - w0) / 1000);
    prev = cur;
    quietFor = used < threshold ? quietFor + 1 : 0;
    if (quietFor >= quietNeeded) return { seconds: (Date.now() - t0) / 1000, quiet: true };
  }
  return { seconds: (Date.now() - t0) / 1000, quiet: false };
}
