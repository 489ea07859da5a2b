import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Config } from './config.js';
import { offsetClock, systemClock, type Clock } from './kernel/clock.js';
import { systemIds, type Ids } from './kernel/ids.js';
import { Poller } from './kernel/poller.js';
import { createLogger, type Logger } from './kernel/logger.js';
import { createMetrics } from './kernel/metrics.js';
import { SecretBox, loadMasterKey } from './kernel/secret-box.js';
import { DigestKeys } from './audit/digest-keys.js';
import { Deliverer } from './audit/delivery/deliverer.js';
import { createBus } from './audit/bus/index.js';
import { Authorizer } from './auth/authorizer.js';
import { integrationService } from './services/acm/integration.js';
import { policySetFor } from './auth/policy-source.js';
import { lifecycleServiceEvent } from './audit/service-events.js';
import { eventsService } from './services/events/service.js';
import { EventsPaging } from './services/events/paging.js';
import { EventWriter } from './audit/writer.js';
import { createHttpServer } from './http/server.js';
import { internalRoutes } from './http/internal.js';
import { createPipeline } from './pipeline/handle.js';
import { createQueryPipeline } from './pipeline/query.js';
import { stsService } from './services/sts/service.js';
import { iamService } from './services/iam/service.js';
import { KeyPool } from './pki/index.js';
import { acmService } from './services/acm/service.js';
import { Lifecycle, type LifecycleDeps } from './services/acm/lifecycle.js';
import { Paging } from './services/acm/paging.js';
import { ValidationRecords } from './services/acm/validation.js';
import { validatorFor } from './services/acm/validator.js';
import { systemLookups } from './services/acm/dns-checks.js';
import { smtpMailer } from './services/acm/mailer.js';
import { Authorities } from './services/ca/authorities.js';
import { ensureDefaultAccount } from './services/identity/admin.js';
import { pcaService } from './services/pca/service.js';
import { cloudtrailService } from './services/cloudtrail/service.js';
import { EventCursor } from './services/cloudtrail/cursor.js';
import { openStore } from './storage/open.js';
import { PostgresStore } from './storage/postgres/store.js';
import { soleLeadership, type Leadership, type Store } from './storage/ports.js';
import { PgLeadership } from './storage/postgres/leadership.js';
import { CredentialCache } from './auth/credentials.js';
import { openObjectStore, type LocalObjectStore, type ObjectStore } from './objects/index.js';
import { createS3Handler } from './services/s3/service.js';

export interface App {
  server: Server;
  url: string;
  store: Store;
  /** Where trail log files and digests go (certtrail's own buckets unless CERTTRAIL_BUCKETS_ENDPOINT is set). */
  objects: ObjectStore;
  /** certtrail's own buckets (what its S3 API serves). */
  localObjects: LocalObjectStore;
  stop(): Promise<void>;
}

const HOUSEKEEPING_MS = 3_600_000;

/** How long a stop waits for in-flight requests before closing their connections. */
const SHUTDOWN_GRACE_MS = 10_000;

/** Derives independent keys from the master key, one per purpose. */
function subkey(master: Buffer, purpose: string): Buffer {
  return createHash('sha256').update(master).update('\0certtrail:' + purpose).digest();
}

export { openStore };

export class MasterKeyError extends Error {}

/** Something the store holds sealed under the master key (the root CA's key, else an access key's secret). */
async function sealedSample(store: Store): Promise<{ sealed: Buffer; aad: string } | undefined> {
  return store.read(async (tx) => {
    const root = await tx.cas.getByKind('root');
    if (root) return { sealed: root.privateKeySealed, aad: `ca:${root.id}` };
    for (const a of await tx.accounts.list()) {
      const [key] = await tx.accessKeys.list(a.accountId);
      if (key) return { sealed: key.secretSealed, aad: key.accessKeyId };
    }
    return undefined;
  });
}

/**
 * The store and the secret box of a data dir, refusing a master key that is not the one its
 * secrets were sealed with. A key is generated (into the data dir) only for a store that holds no
 * secrets yet: a fresh key for an existing database would seal new secrets under it and fail on
 * every old one.
 */
export async function openDataDir(config: Config): Promise<{ store: Store; box: SecretBox; master: Buffer }> {
  const store = await openStore(config);
  try {
    const sample = await sealedSample(store);
    const keyFile = join(config.dataDir, 'master.key');
    const where = config.databaseUrl ? 'the database' : config.dataDir;
    if (sample && !config.masterKey && !existsSync(keyFile))
      throw new MasterKeyError(`${where === config.dataDir ? where : `${config.dataDir} (${where})`} holds a database but no master.key: set CERTTRAIL_MASTER_KEY to the key it was created with, or restore ${keyFile}`);
    const master = loadMasterKey(config.masterKey, keyFile);
    const box = new SecretBox(master);
    if (sample) {
      try {
        box.open(sample.sealed, sample.aad);
      } catch {
        const source = config.masterKey ? 'CERTTRAIL_MASTER_KEY' : keyFile;
        throw new MasterKeyError(`the master key (${source}) does not match the one ${where} was created with`);
      }
    }
    return { store, box, master };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** The composition root: config → storage → services → pipeline → server. */
export async function startApp(config: Config, opts: { clock?: Clock; ids?: Ids; logger?: Logger } = {}): Promise<App> {
  const clock = opts.clock ?? (config.clockOffsetSeconds ? offsetClock(config.clockOffsetSeconds * 1000) : systemClock);
  const ids = opts.ids ?? systemIds;
  const logger = opts.logger ?? createLogger(config.logLevel);
  const metrics = createMetrics({ nodeId: config.nodeId });
  const { store, box, master } = await openDataDir(config);
  await ensureDefaultAccount({ store, box, clock, ids });
  const objectStores = openObjectStore(config, { clock, ids });
  // Background work runs on one node at a time and writes through the leader's fenced store.
  const leadership: Leadership =
    store instanceof PostgresStore && store.shared ? new PgLeadership(store, { nodeId: config.nodeId, checkMs: config.leaderCheckMs, logger, onChange: metrics.leading }) : soleLeadership(store, metrics.leading);
  const background = leadership.store;

  const authorities = new Authorities({ store, box, clock, ids, publicUrl: config.publicUrl });
  await authorities.ensureHierarchy();
  const keys = new KeyPool({ targets: { RSA_2048: config.keyPoolSize, EC_prime256v1: config.keyPoolSize, EC_secp384r1: Math.ceil(config.keyPoolSize / 4) } });
  keys.start();
  // The event bus: CloudTrail events, PutEvents and ACM's own events to EventBridge rules' targets.
  const bus = createBus({ store: background, box, clock, logger, dataDir: config.dataDir, pollMs: config.busPollMs, expiryScanMs: config.expiryScanSeconds * 1000 });
  const validator = validatorFor(config, () => systemLookups(config.dnsServers), config.smtpUrl ? () => smtpMailer(config.smtpUrl!, config.mailFrom) : undefined);
  // What ACM does by itself goes on the bus (ACM's events) and into CloudTrail (service events), with the change.
  const observe: LifecycleDeps['observe'] = async (tx, before, after) => {
    await bus.observe(tx, before, after);
    const trail = lifecycleServiceEvent(before, after, clock.now());
    if (trail) await tx.events.put(trail);
  };
  const lifecycle = new Lifecycle({ store: background, clock, box, logger, authorities, keys, validator, pollMs: config.lifecyclePollMs, renewalScanMs: config.renewalScanSeconds * 1000, observe });

  const acm = acmService({
    store, clock, ids, box, config, logger, authorities,
    validation: new ValidationRecords(subkey(master, 'dns-validation')),
    validator,
    paging: new Paging(subkey(master, 'paging')),
    wake: () => lifecycle.wake(),
    observe: bus.observe,
  });
  const pca = pcaService({ authorities });
  // Digest signing keys, per region: ListPublicKeys serves them, trail delivery signs with them.
  const digestKeys = new DigestKeys({ store, box, clock });
  const deliverer = new Deliverer({
    store: background, objects: objectStores.objects, clock, ids, logger,
    signer: (region, at) => digestKeys.signerFor(region, at),
    deliveryIntervalMs: config.deliveryIntervalSeconds * 1000,
    digestIntervalMs: config.digestIntervalSeconds * 1000,
    metrics,
  });
  const cloudtrail = cloudtrailService({ store, cursor: new EventCursor(subkey(master, 'cloudtrail-paging')), digestKeys, wakeDelivery: () => deliverer.wake() });
  const events = new EventWriter(store, { metrics });
  const eventbridge = eventsService({ store, ids, box, paging: new EventsPaging(subkey(master, 'events-paging')), publish: bus.publish, wakeBus: () => bus.dispatcher.wake() });
  // IAM decides every call of a principal other than root, on the policies read from the store.
  const authorizer = new Authorizer((p) => policySetFor(store, p), () => clock.now().getTime());
  const credentials = new CredentialCache(store, box, () => clock.now().getTime());
  const handle = createPipeline({ clock, ids, store, box, logger, events, eventProfile: config.eventProfile, services: [acm, integrationService(acm.deps), pca, cloudtrail, eventbridge], authorizer, credentials });
  const query = createQueryPipeline({ clock, ids, store, box, logger, events, eventProfile: config.eventProfile, services: [stsService({ store, box, clock, authorizer }), iamService({ store, ids, box })], authorizer, credentials });

  const s3 = createS3Handler({
    buckets: objectStores.local, clock, ids, logger, events, eventProfile: config.eventProfile,
    credentials,
    authorizer,
  });

  let ready = false;
  const server = createHttpServer({
    handle,
    query,
    s3: { handle: s3.handle, tooLarge: s3.tooLarge, maxBodyBytes: config.s3MaxObjectBytes },
    internal: internalRoutes({ store, clock, logger, authorities, isReady: () => ready, info: { validation: config.validation, version: '0.1.0' }, wake: () => lifecycle.wake(), metrics }),
    maxBodyBytes: config.maxBodyBytes,
    trustedProxies: new Set(config.trustedProxies),
    ids,
    logger,
    metrics,
    date: clock === systemClock ? undefined : () => clock.now().toUTCString(),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const url = `http://${addr.address.includes(':') ? `[${addr.address}]` : addr.address}:${addr.port}`;
  // Housekeeping (the events' partitions on PostgreSQL) by the leader, at once and then hourly.
  const housekeeping = new Poller(async () => void (await background.maintain?.(clock.now())), HOUSEKEEPING_MS, (e) =>
    logger.error('housekeeping failed', { error: e instanceof Error ? e.message : String(e) }),
  );
  leadership.start({
    lead() {
      housekeeping.start();
      lifecycle.start();
      deliverer.start();
      bus.dispatcher.start();
    },
    async follow() {
      await housekeeping.stop();
      await lifecycle.stop();
      await deliverer.stop();
      await bus.dispatcher.stop();
    },
  });
  ready = true;

  let stopping: Promise<void> | undefined;
  return {
    server,
    url,
    store,
    objects: objectStores.objects,
    localObjects: objectStores.local,
    stop() {
      stopping ??= (async () => {
        ready = false;
        await new Promise<void>((resolve) => {
          // In-flight requests finish (their answers close the connection, see http/server.ts);
          // connections that go idle meanwhile are closed as they do; past the grace period,
          // whatever is left (a stalled upload) is cut.
          const sweep = setInterval(() => server.closeIdleConnections(), 50);
          const cut = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
          server.close(() => {
            clearInterval(sweep);
            clearTimeout(cut);
            resolve();
          });
          server.closeIdleConnections();
        });
        await leadership.stop();
        keys.stop();
        await objectStores.close();
        await store.close();
      })();
      return stopping;
    },
  };
}
