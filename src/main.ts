import { ConfigError, loadConfig } from './config.js';
import { startApp } from './app.js';
import { createLogger } from './kernel/logger.js';

/** `npm start`: serve until SIGTERM/SIGINT, then finish in-flight requests and close the store. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`certtrail: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  const app = await startApp(config, { logger });
  logger.info('listening', { url: app.url, dataDir: config.dataDir, validation: config.validation });
  process.stdout.write(`certtrail listening on ${app.url} (data: ${config.dataDir}, validation: ${config.validation})\n`);
  const shutdown = (signal: string) => {
    logger.info('shutting down', { signal });
    app.stop().then(
      () => process.exit(0),
      (e) => {
        logger.error('shutdown failed', { error: String(e) });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((e) => {
  process.stderr.write(`certtrail failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
