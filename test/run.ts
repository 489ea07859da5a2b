/**
 * `npm test`: the whole suite on SQLite, then the suite's servers again on PostgreSQL.
 *
 * The second pass runs every test file under test/ (the ones that start real servers and drive
 * them with the AWS CLI and SDKs) with CERTTRAIL_TEST_BACKEND=postgres: each server keeps its
 * state in a schema of its own on CERTTRAIL_TEST_DATABASE_URL. Without a PostgreSQL server the
 * second pass is skipped (said so at the end); the storage contract suite still runs the
 * PostgreSQL SQL on embedded PGlite in the first pass.
 *
 * Extra arguments are passed to `node --test` (e.g. `npm test -- --test-name-pattern=tags`).
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const ROOT = join(import.meta.dirname, '..');
const CONCURRENCY = process.env.CERTTRAIL_TEST_CONCURRENCY || '4';
/** Files that are about several nodes on PostgreSQL already: once is enough. */
const POSTGRES_ONLY = new Set(['test/e2e/multi-node.test.ts']);

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...testFiles(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out.sort();
}

function run(files: string[], env: NodeJS.ProcessEnv, extra: string[]): Promise<number> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${CONCURRENCY}`, ...extra, ...files], { cwd: ROOT, env, stdio: 'inherit' });
    p.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function serverAnswers(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

const extra = process.argv.slice(2);
const all = [...testFiles('src'), ...testFiles('test')];
const url = process.env.CERTTRAIL_TEST_DATABASE_URL;
const onServer = url && !url.startsWith('pglite:') ? await serverAnswers(url) : false;

const started = Date.now();
const sqlite = await run(all, { ...process.env, CERTTRAIL_TEST_BACKEND: 'sqlite' }, extra);
const sqliteSeconds = Math.round((Date.now() - started) / 1000);
let postgres: number | undefined;
if (onServer) {
  const servers = all.filter((f) => f.startsWith('test/') && !POSTGRES_ONLY.has(f));
  postgres = await run(servers, { ...process.env, CERTTRAIL_TEST_BACKEND: 'postgres' }, extra);
}
const total = Math.round((Date.now() - started) / 1000);
process.stdout.write(`\n# certtrail: SQLite pass ${sqlite === 0 ? 'passed' : 'FAILED'} (${all.length} files, ${sqliteSeconds} s)`);
process.stdout.write(
  postgres === undefined
    ? `; PostgreSQL pass skipped: ${url ? `no server answers at ${url.replace(/\/\/[^@/]*@/, '//…@')}` : 'CERTTRAIL_TEST_DATABASE_URL is not set'} (the PostgreSQL contract suite ran on PGlite)\n`
    : `; PostgreSQL pass ${postgres === 0 ? 'passed' : 'FAILED'} (${total - sqliteSeconds} s)\n`,
);
process.exit(sqlite || postgres || 0);
