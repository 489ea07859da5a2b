import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/** One typed configuration, read once at startup from the environment. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** Base URL baked into certificates (CRL distribution point, AIA). */
  publicUrl: string;
  masterKey?: string;
  validation: 'auto' | 'real';
  autoValidationDelaySeconds: number;
  /** `CERTTRAIL_DNS_SERVERS`: resolvers (`host` or `host:port`) real validation asks; empty: the system's. */
  dnsServers: string[];
  /** `CERTTRAIL_SMTP_URL`: where real e-mail validation sends its mail (none: e-mail domains cannot validate). */
  smtpUrl?: string;
  /** `CERTTRAIL_MAIL_FROM`: the sender of validation mail. */
  mailFrom: string;
  /** How often managed renewal looks for certificates entering their renewal window. */
  renewalScanSeconds: number;
  /** How often real DNS validation looks again for a CNAME that was not there. */
  dnsRetrySeconds: number;
  maxBodyBytes: number;
  /** `CERTTRAIL_TRUSTED_PROXIES`: comma-separated peer addresses whose X-Forwarded-For is used. */
  trustedProxies: string[];
  /** How often the background lifecycle looks for work. */
  lifecyclePollMs: number;
  /** Pre-generated keys kept ready per algorithm. */
  keyPoolSize: number;
  /** Shifts the server clock (tests of expiry and timeouts). */
  clockOffsetSeconds: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /**
   * SQLite's synchronous mode. FULL (default): a COMMIT that returned is on disk, so acknowledged
   * calls survive a power loss. NORMAL: they survive a process crash; a power loss may lose the
   * last transactions.
   */
  sqliteSynchronous: 'FULL' | 'NORMAL';
  /**
   * `CERTTRAIL_DATABASE_URL`: `postgres://…` puts state and events on that PostgreSQL server
   * (several nodes may share it); `pglite:<dir>` on embedded PostgreSQL. Unset: the data dir's
   * `database-url` file, if there is one, names the database (its trimmed content, checked the same
   * way), so that the CLI pointed at a data dir reaches the database its server uses; else SQLite
   * in the data dir.
   */
  databaseUrl?: string;
  /** `CERTTRAIL_DATABASE_POOL_SIZE`: connections each node keeps to PostgreSQL. */
  databasePoolSize: number;
  /** `CERTTRAIL_DATABASE_WRITERS`: write transactions each node runs at once on PostgreSQL (the rest queue). */
  databaseWriters: number;
  /** `CERTTRAIL_NODE_ID`: this node's name among several on one database (default: host name and process id). */
  nodeId: string;
  /** How often a node checks whether it leads the background work or can take it over. */
  leaderCheckMs: number;
  /** `current` (eventVersion 1.11) or `2016` (the seed's 1.04 records, byte-buffer blobs). */
  eventProfile: 'current' | '2016';
  /** How often logging trails get their new log files (AWS: about every 5 minutes). */
  deliveryIntervalSeconds: number;
  /** The window of each digest file (AWS: one hour). */
  digestIntervalSeconds: number;
  /** How often the event bus looks for new events and due target invocations. */
  busPollMs: number;
  /** How often ACM's "Approaching Expiration" notices are looked for (each certificate gets one a day). */
  expiryScanSeconds: number;
  quotas: { certificates: number; requestsPerYear: number; imported: number; importsPerYear: number; domainsPerCertificate: number };
  /**
   * Where trail buckets live. Without `CERTTRAIL_BUCKETS_ENDPOINT`, certtrail's own buckets under
   * the data dir (served by its S3 API); with it, an external S3-compatible store.
   */
  buckets: { endpoint?: string; region: string; accessKeyId?: string; secretAccessKey?: string };
  /** The S3 API's request body cap (`CERTTRAIL_S3_MAX_OBJECT_BYTES`); beyond it, EntityTooLarge. */
  s3MaxObjectBytes: number;
}

export class ConfigError extends Error {}

function num(env: NodeJS.ProcessEnv, name: string, dflt: number, min = 0): number {
  const v = env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new ConfigError(`${name} must be a number >= ${min}, got '${v}'`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const host = env.HOST || '127.0.0.1';
  const port = num(env, 'PORT', 4566);
  const validation = (env.CERTTRAIL_VALIDATION || 'auto') as Config['validation'];
  if (validation !== 'auto' && validation !== 'real') throw new ConfigError(`CERTTRAIL_VALIDATION must be 'auto' or 'real', got '${validation}'`);
  const logLevel = (env.CERTTRAIL_LOG_LEVEL || 'info') as Config['logLevel'];
  const sqliteSynchronous = (env.CERTTRAIL_SQLITE_SYNCHRONOUS || 'FULL').toUpperCase() as Config['sqliteSynchronous'];
  if (sqliteSynchronous !== 'FULL' && sqliteSynchronous !== 'NORMAL') throw new ConfigError(`CERTTRAIL_SQLITE_SYNCHRONOUS must be FULL or NORMAL, got '${sqliteSynchronous}'`);
  const eventProfile = (env.CERTTRAIL_EVENT_PROFILE || 'current') as Config['eventProfile'];
  if (eventProfile !== 'current' && eventProfile !== '2016') throw new ConfigError(`CERTTRAIL_EVENT_PROFILE must be 'current' or '2016', got '${eventProfile}'`);
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const dataDir = resolve(env.CERTTRAIL_DATA_DIR || './data');
  return {
    host,
    port,
    dataDir,
    publicUrl: (env.CERTTRAIL_PUBLIC_URL || `http://${urlHost}:${port}`).replace(/\/$/, ''),
    masterKey: env.CERTTRAIL_MASTER_KEY || undefined,
    validation,
    autoValidationDelaySeconds: num(env, 'CERTTRAIL_AUTO_VALIDATION_DELAY_SECONDS', 5),
    dnsServers: (env.CERTTRAIL_DNS_SERVERS || '').split(',').map((x) => x.trim()).filter(Boolean),
    dnsRetrySeconds: num(env, 'CERTTRAIL_DNS_RETRY_SECONDS', 60, 0.1),
    smtpUrl: env.CERTTRAIL_SMTP_URL || undefined,
    mailFrom: env.CERTTRAIL_MAIL_FROM || 'certtrail <no-reply@certificates.certtrail.invalid>',
    renewalScanSeconds: num(env, 'CERTTRAIL_RENEWAL_SCAN_SECONDS', 3600, 0.1),
    trustedProxies: (env.CERTTRAIL_TRUSTED_PROXIES || '').split(',').map((x) => x.trim()).filter(Boolean),
    maxBodyBytes: num(env, 'CERTTRAIL_MAX_BODY_BYTES', 2.5 * 1024 * 1024, 1024),
    lifecyclePollMs: num(env, 'CERTTRAIL_LIFECYCLE_POLL_MS', 250, 10),
    keyPoolSize: num(env, 'CERTTRAIL_KEY_POOL_SIZE', 8),
    clockOffsetSeconds: num(env, 'CERTTRAIL_CLOCK_OFFSET_SECONDS', 0, -Infinity),
    logLevel,
    eventProfile,
    sqliteSynchronous,
    databaseUrl: databaseUrl(env, dataDir),
    databasePoolSize: num(env, 'CERTTRAIL_DATABASE_POOL_SIZE', 10, 1),
    databaseWriters: num(env, 'CERTTRAIL_DATABASE_WRITERS', 1, 1),
    nodeId: env.CERTTRAIL_NODE_ID || `${hostname()}:${process.pid}`,
    leaderCheckMs: num(env, 'CERTTRAIL_LEADER_CHECK_MS', 1000, 50),
    deliveryIntervalSeconds: num(env, 'CERTTRAIL_DELIVERY_INTERVAL_SECONDS', 300, 0.1),
    digestIntervalSeconds: Math.round(num(env, 'CERTTRAIL_DIGEST_INTERVAL_SECONDS', 3600, 1)),
    busPollMs: num(env, 'CERTTRAIL_BUS_POLL_MS', 250, 10),
    expiryScanSeconds: num(env, 'CERTTRAIL_EXPIRY_SCAN_SECONDS', 3600, 0.1),
    buckets: bucketsConfig(env),
    s3MaxObjectBytes: num(env, 'CERTTRAIL_S3_MAX_OBJECT_BYTES', 64 * 1024 * 1024, 1024),
    quotas: {
      certificates: num(env, 'CERTTRAIL_QUOTA_CERTIFICATES', 2500),
      requestsPerYear: num(env, 'CERTTRAIL_QUOTA_REQUESTS_PER_YEAR', 5000),
      imported: num(env, 'CERTTRAIL_QUOTA_IMPORTED', 2500),
      importsPerYear: num(env, 'CERTTRAIL_QUOTA_IMPORTS_PER_YEAR', 5000),
      domainsPerCertificate: num(env, 'CERTTRAIL_QUOTA_DOMAINS_PER_CERTIFICATE', 10, 1),
    },
  };
}

function databaseUrl(env: NodeJS.ProcessEnv, dataDir: string): string | undefined {
  let url = env.CERTTRAIL_DATABASE_URL || undefined;
  let source = 'CERTTRAIL_DATABASE_URL';
  // The CLI is given only the data dir (CERTTRAIL_DATA_DIR); the dir then says where its database is.
  const file = join(dataDir, 'database-url');
  if (url === undefined && existsSync(file)) {
    url = readFileSync(file, 'utf8').trim();
    source = file;
  }
  if (url !== undefined && !/^(postgres(ql)?:\/\/|pglite:)/.test(url)) throw new ConfigError(`${source} must be a postgres:// URL or 'pglite:<dir>'`);
  return url;
}

function bucketsConfig(env: NodeJS.ProcessEnv): Config['buckets'] {
  const endpoint = env.CERTTRAIL_BUCKETS_ENDPOINT || undefined;
  const accessKeyId = env.CERTTRAIL_BUCKETS_ACCESS_KEY_ID || undefined;
  const secretAccessKey = env.CERTTRAIL_BUCKETS_SECRET_ACCESS_KEY || undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(endpoint)) throw new ConfigError(`CERTTRAIL_BUCKETS_ENDPOINT must be an http(s) URL, got '${endpoint}'`);
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined))
    throw new ConfigError('CERTTRAIL_BUCKETS_ACCESS_KEY_ID and CERTTRAIL_BUCKETS_SECRET_ACCESS_KEY go together');
  return { endpoint, region: env.CERTTRAIL_BUCKETS_REGION || 'us-east-1', accessKeyId, secretAccessKey };
}
