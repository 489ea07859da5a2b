import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openStore } from '../storage/open.js';

export const DEAD_LETTERS_USAGE = 'usage: certtrail dead-letters [--queue-arn ARN]';

/**
 * The events that ran out of retries, as JSON lines: what AWS would have put on the target's
 * dead-letter queue (the event, and its ERROR_CODE, ERROR_MESSAGE, RULE_ARN, TARGET_ARN).
 */
export async function deadLetters(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { 'queue-arn': { type: 'string' } } });
  const config = loadConfig();
  // Opening a SQLite store would create an empty database (and data dir) for a mistyped path.
  if (!config.databaseUrl && !existsSync(join(config.dataDir, 'certtrail.db'))) throw new Error(`no certtrail database in ${config.dataDir}`);
  const store = await openStore(config);
  try {
    for (const d of await store.read((tx) => tx.bus.listDeadLetters(values['queue-arn']))) {
      process.stdout.write(
        JSON.stringify({
          QueueArn: d.queueArn,
          SentAt: d.createdAt.toISOString(),
          Body: d.invocation.payload,
          MessageAttributes: { ERROR_CODE: d.errorCode, ERROR_MESSAGE: d.errorMessage, RULE_ARN: d.invocation.ruleArn, TARGET_ARN: d.targetArn, RETRY_ATTEMPTS: d.invocation.attempts - 1 },
        }) + '\n',
      );
    }
  } finally {
    await store.close();
  }
}
