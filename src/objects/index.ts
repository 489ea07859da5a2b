import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Clock } from '../kernel/clock.js';
import type { Ids } from '../kernel/ids.js';
import { LocalObjectStore } from './local.js';
import type { ObjectStore } from './ports.js';
import { S3ObjectStore } from './remote.js';

export { LocalObjectStore } from './local.js';
export { S3ObjectStore } from './remote.js';
export { ObjectStoreError, type ObjectStore } from './ports.js';

export interface OpenObjectStores {
  /** Where trail log files and digests go: `local`, or the external store of CERTTRAIL_BUCKETS_ENDPOINT. */
  objects: ObjectStore;
  /** certtrail's own buckets under `<dataDir>/objects/`, which its S3 API serves in either case. */
  local: LocalObjectStore;
  close(): Promise<void>;
}

export function openObjectStore(config: Config, opts: { clock?: Clock; ids?: Ids } = {}): OpenObjectStores {
  const local = new LocalObjectStore(join(config.dataDir, 'objects'), opts);
  const remote = config.buckets.endpoint
    ? new S3ObjectStore({
        endpoint: config.buckets.endpoint,
        region: config.buckets.region,
        accessKeyId: config.buckets.accessKeyId,
        secretAccessKey: config.buckets.secretAccessKey,
      })
    : undefined;
  return {
    objects: remote ?? local,
    local,
    async close() {
      remote?.close();
      await local.close();
    },
  };
}
