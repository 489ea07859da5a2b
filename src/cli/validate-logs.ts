import { parseArgs } from 'node:util';
import { EXIT, parseCliDate, validateLogs, type ValidationOutput } from '../audit/validate-logs.js';
import { sdkSource } from '../audit/validate-logs-sdk.js';
import { systemClock } from '../kernel/clock.js';

export const VALIDATE_LOGS_USAGE = `usage: certtrail validate-logs --trail-arn ARN --start-time T [--end-time T] [--s3-bucket B] [--s3-prefix P]
       [--account-id ID] [--verbose] [--region R] [--endpoint-url URL] [--s3-endpoint-url URL]
  Validates a trail's log files and digests as \`aws cloudtrail validate-logs\` does, against a
  certtrail server (default http://127.0.0.1:4566; S3 on the same endpoint, path style).
  --region is the source region whose digests are checked (default AWS_REGION, AWS_DEFAULT_REGION,
  then us-east-1). Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
  Exit codes as the AWS CLI: 0 all valid, 1 something invalid, 252 bad arguments,
  253 no credentials, 254 a service error, 255 anything else.`;

const DEFAULT_ENDPOINT = 'http://127.0.0.1:4566';

function usageError(out: ValidationOutput, message: string): number {
  out.stderr(`${VALIDATE_LOGS_USAGE}\n\ncerttrail validate-logs: error: ${message}\n`);
  return EXIT.param;
}

/** The command without process globals, for tests: argv, environment and output in, exit code out. */
export async function runValidateLogs(args: string[], env: NodeJS.ProcessEnv, out: ValidationOutput, now = systemClock.now()): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        'trail-arn': { type: 'string' },
        'start-time': { type: 'string' },
        'end-time': { type: 'string' },
        's3-bucket': { type: 'string' },
        's3-prefix': { type: 'string' },
        'account-id': { type: 'string' },
        verbose: { type: 'boolean' },
        region: { type: 'string' },
        'endpoint-url': { type: 'string' },
        's3-endpoint-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    return usageError(out, (e as Error).message.split(/\.\s/)[0]!);
  }
  if (values.help) {
    out.stdout(VALIDATE_LOGS_USAGE + '\n');
    return EXIT.valid;
  }
  const missing = (['trail-arn', 'start-time'] as const).filter((k) => values[k] === undefined);
  if (missing.length) return usageError(out, `the following arguments are required: ${missing.map((k) => `--${k}`).join(', ')}`);

  // As the CLI: times are read first (a zone is replaced by UTC, not converted: normalize_date).
  let startTime: Date;
  let endTime: Date | undefined;
  try {
    startTime = parseCliDate(values['start-time']).wallClock;
    endTime = values['end-time'] !== undefined ? parseCliDate(values['end-time']).wallClock : undefined;
  } catch (e) {
    out.stderr(`\n${(e as Error).message}\n`);
    return EXIT.param;
  }
  const region = values.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    out.stderr('\nUnable to locate credentials. You can configure credentials by setting AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.\n');
    return EXIT.config;
  }
  const endpoint = (values['endpoint-url'] ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  const source = sdkSource({
    region,
    endpoint,
    s3Endpoint: values['s3-endpoint-url']?.replace(/\/+$/, ''),
    credentials: { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) },
  });
  try {
    return await validateLogs({
      trailArn: values['trail-arn']!,
      startTime,
      endTime,
      s3Bucket: values['s3-bucket'],
      s3Prefix: values['s3-prefix'],
      accountId: values['account-id'],
      verbose: values.verbose ?? false,
      region,
      now,
    }, source, out);
  } finally {
    source.destroy();
  }
}

/** certtrail validate-logs --trail-arn ARN --start-time T [...] */
export async function validateLogsCommand(args: string[]): Promise<void> {
  // The output is the AWS CLI's, line for line: the SDK's notice about Node 20 would break it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const code = await runValidateLogs(args, process.env, {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
  process.exitCode = code;
}
