/** The PKI module's public surface. */
export type * from './types.js';
export {
  generateKeyPair, keyAlgorithmOf, exportEncryptedPkcs8, isKeyAlgorithm, KEY_ALGORITHMS, KeyPool, type KeyPoolOptions,
} from './keys.js';
export {
  renderName, nameField, formatSerial, serialToHex, signatureAlgorithmName, keyUsageNames, extendedKeyUsageName,
} from './names.js';
export { certificateFacts } from './facts.js';
export { createRootCa, createIntermediateCa, createPrivateCa } from './ca.js';
export { PROFILES, type Profile } from './profile.js';
export { issueLeaf } from './issue.js';
export { buildCrl, crlReasonCode } from './crl.js';
export { parseImport, IMPORT_MESSAGES, type ImportInput, type ParsedImport } from './import.js';
