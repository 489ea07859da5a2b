import type { Ids } from '../../kernel/ids.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import type { Store } from '../../storage/ports.js';

/** What the IAM handlers need: the store, randomness for ids and secrets, the box that seals secrets. */
export interface IamDeps {
  store: Store;
  ids: Ids;
  box: SecretBox;
}
