import type { Config } from '../../config.js';
import type { Clock } from '../../kernel/clock.js';
import type { Ids } from '../../kernel/ids.js';
import type { Logger } from '../../kernel/logger.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import type { Repositories, Store } from '../../storage/ports.js';
import type { CertificateRecord } from '../../storage/records.js';
import type { Authorities } from '../ca/authorities.js';
import type { ValidationRecords } from './validation.js';
import type { Paging } from './paging.js';
import type { DomainValidator } from './validator.js';

/** What ACM handlers may use; wired in main.ts. */
export interface AcmDeps {
  store: Store;
  clock: Clock;
  ids: Ids;
  box: SecretBox;
  config: Config;
  logger: Logger;
  authorities: Authorities;
  validation: ValidationRecords;
  /** Decides when a pending request is looked at (auto or real validation). */
  validator: DomainValidator;
  paging: Paging;
  /** Nudges the background lifecycle (new pending certificate, renewal requested). */
  wake: () => void;
  /** Sees a change a call made to a certificate, in its transaction (import and revocation put ACM's events on the bus). */
  observe?: CertificateObserver;
}

/** One change of a certificate (`before` absent for a new one), seen inside the transaction that makes it. */
export type CertificateObserver = (tx: Repositories, before: CertificateRecord | undefined, after: CertificateRecord) => Promise<void>;
