import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The real AWS CLI v2 (Debian's awscli 2.9.19). Always this binary: a pip-installed v1 `aws`
 * shadows it on PATH and speaks a different dialect (blob handling, pagination).
 */
export const AWS_CLI = '/usr/bin/aws';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface AwsCli {
  /** Runs `aws <args> --endpoint-url <url> --output json`; never throws on a non-zero exit. */
  run(...args: string[]): Promise<CliResult>;
  /** Like run, but asserts exit 0 and parses stdout as JSON (an empty stdout gives `{}`). */
  json<T = any>(...args: string[]): Promise<T>;
  /** A scratch directory for fileb:// inputs. */
  dir: string;
}

/** Scratch directories made here, removed when the test process exits. */
const scratch: string[] = [];
process.once('exit', () => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

export function awsCli(url: string, creds = { accessKeyId: 'test', secretAccessKey: 'test' }, dir?: string, extraEnv: NodeJS.ProcessEnv = {}): AwsCli {
  let work = dir;
  if (!work) {
    work = mkdtempSync(join(tmpdir(), 'certtrail-awscli-'));
    scratch.push(work);
  }
  // Empty config and credentials files, so nothing on the machine (profiles, cli_pager,
  // cli_binary_format, a default region) changes what the CLI sends.
  const config = join(work, 'aws-config');
  const credentials = join(work, 'aws-credentials');
  writeFileSync(config, '');
  writeFileSync(credentials, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: work,
    LANG: 'C.UTF-8',
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extraEnv,
  };
  const run = (...args: string[]) =>
    new Promise<CliResult>((resolve) => {
      execFile(AWS_CLI, [...args, '--endpoint-url', url, '--output', 'json'], { cwd: work, env, timeout: 30_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  return {
    dir: work,
    run,
    async json(...args: string[]) {
      const r = await run(...args);
      if (r.code !== 0) throw new Error(`aws ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
      return r.stdout.trim() === '' ? {} : JSON.parse(r.stdout);
    },
  };
}

/**
 * A service error as the CLI reports it: exit 254 and
 * "An error occurred (<Code>) when calling the <Op> operation: <message>" on stderr.
 */
export function assertCliError(r: CliResult, code: string, op: string, message?: string | RegExp): void {
  const prefix = `An error occurred (${code}) when calling the ${op} operation: `;
  if (r.code !== 254) throw new Error(`expected exit 254 for ${code}, got ${r.code}; stderr: ${r.stderr}`);
  const at = r.stderr.indexOf(prefix);
  if (at < 0) throw new Error(`stderr should contain "${prefix}", got: ${r.stderr}`);
  const rest = r.stderr.slice(at + prefix.length).trimEnd();
  if (typeof message === 'string' && !rest.startsWith(message)) throw new Error(`expected message "${message}", got "${rest}"`);
  if (message instanceof RegExp && !message.test(rest)) throw new Error(`expected message matching ${message}, got "${rest}"`);
}

/**
 * The environment under which CLI 2.9.19 sends its S3 calls to certtrail too: `validate-logs`
 * honours --endpoint-url for CloudTrail only, and 2.9.19 has no S3 endpoint setting. botocore
 * reads data files from AWS_DATA_PATH before its own, so a replacement S3 endpoint rule set
 * routes every bucket to the server, path style (cloudtrail.md §5.6).
 */
export function s3ToLoopbackEnv(url: string): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'certtrail-awsdata-'));
  scratch.push(dir);
  const rules = {
    version: '1.0',
    parameters: {
      Bucket: { required: false, documentation: 'bucket', type: 'String' },
      Region: { builtIn: 'AWS::Region', required: false, documentation: 'region', type: 'String' },
    },
    rules: [
      { conditions: [{ fn: 'isSet', argv: [{ ref: 'Bucket' }] }], endpoint: { url: `${url}/{Bucket}`, properties: {}, headers: {} }, type: 'endpoint' },
      { conditions: [], endpoint: { url, properties: {}, headers: {} }, type: 'endpoint' },
    ],
  };
  mkdirSync(join(dir, 's3', '2006-03-01'), { recursive: true });
  writeFileSync(join(dir, 's3', '2006-03-01', 'endpoint-rule-set-1.json'), JSON.stringify(rules));
  return { AWS_DATA_PATH: dir };
}

/**
 * The CLI's own ACM waiters with a 1-second delay instead of 60: the acceptors stay AWS's (read
 * from the installed CLI at test time), so `aws acm wait` decides exactly as it does against AWS.
 */
export function fastAcmWaitersEnv(): NodeJS.ProcessEnv {
  const model = '/usr/lib/python3/dist-packages/awscli/botocore/data/acm/2015-12-08/waiters-2.json';
  const waiters = JSON.parse(readFileSync(model, 'utf8')) as { waiters: Record<string, { delay: number }> };
  for (const w of Object.values(waiters.waiters)) w.delay = 1;
  const dir = mkdtempSync(join(tmpdir(), 'certtrail-awsdata-'));
  scratch.push(dir);
  mkdirSync(join(dir, 'acm', '2015-12-08'), { recursive: true });
  writeFileSync(join(dir, 'acm', '2015-12-08', 'waiters-2.json'), JSON.stringify(waiters));
  return { AWS_DATA_PATH: dir };
}

/** `aws acm wait certificate-validated` with the CLI's own acceptors (fastAcmWaitersEnv). */
export function waitCertificateValidated(url: string, arn: string): Promise<CliResult> {
  return awsCli(url, undefined, undefined, fastAcmWaitersEnv()).run('acm', 'wait', 'certificate-validated', '--certificate-arn', arn);
}
