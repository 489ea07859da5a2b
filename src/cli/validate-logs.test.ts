import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { runValidateLogs } from './validate-logs.js';

async function run(args: string[], env: NodeJS.ProcessEnv = { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' }) {
  let stdout = '';
  let stderr = '';
  const code = await runValidateLogs(args, env, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) }, new Date(Date.UTC(2024, 4, 1)));
  return { code, stdout, stderr };
}

const ARN = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t';

test('arguments: the required ones (252 with usage), times as the CLI reads them, --help', async () => {
  const none = await run([]);
  assert.equal(none.code, 252);
  assert.match(none.stderr, /^usage: certtrail validate-logs[\s\S]*error: the following arguments are required: --trail-arn, --start-time\n$/);
  const unknown = await run(['--trail-arn', ARN, '--start-time', '2024-05-01', '--bogus']);
  assert.equal(unknown.code, 252);
  const time = await run(['--trail-arn', ARN, '--start-time', 'soon']);
  assert.deepEqual([time.code, time.stderr], [252, '\nUnable to parse date value: soon\n']);
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--endpoint-url URL/);
});

test('no credentials: exit 253; no server: exit 255 saying which endpoint', async () => {
  const nocreds = await run(['--trail-arn', ARN, '--start-time', '2024-05-01T00:00:00Z'], {});
  assert.equal(nocreds.code, 253);
  assert.match(nocreds.stderr, /Unable to locate credentials/);
  // A port nothing listens on.
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const down = await run(['--trail-arn', ARN, '--start-time', '2024-05-01T00:00:00Z', '--end-time', '2024-05-01T01:00:00Z', '--endpoint-url', `http://127.0.0.1:${port}`]);
  assert.deepEqual([down.code, down.stdout, down.stderr], [255, '', `\nCould not connect to the endpoint URL: "http://127.0.0.1:${port}/"\n`]);
});
