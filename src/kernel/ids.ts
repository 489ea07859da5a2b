import { randomBytes, randomUUID } from 'node:crypto';

/** Randomness lives here so tests can substitute it. */
export interface Ids {
  uuid(): string;
  bytes(n: number): Buffer;
}

export const systemIds: Ids = {
  uuid: () => randomUUID(),
  bytes: (n) => randomBytes(n),
};

/**
 * A UUID whose first 48 bits are the given instant in epoch milliseconds (RFC 9562 version 7),
 * the other 74 random. Stored keys made of these grow at the end of their index instead of
 * landing on a random page each (CloudTrail eventIDs: one per call, unique-indexed).
 */
export function timeOrderedUuid(ids: Ids, at: Date): string {
  // The random part is a random (version 4) UUID's: its variant bits are already RFC 9562's, and
  // randomUUID draws from a buffered pool where randomBytes(16) is a call into OpenSSL each time.
  const random = ids.uuid();
  const ms = Math.max(0, Math.min(at.getTime(), 2 ** 48 - 1)) || 0;
  const t = ms.toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8)}-7${random.slice(15)}`;
}

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** AWS-style identifiers: a 4-letter prefix and 16 base32 characters (AKIA…, AIDA…). */
export function awsId(ids: Ids, prefix: string): string {
  const b = ids.bytes(16);
  let s = prefix;
  for (let i = 0; i < 16; i++) s += UPPER_ALNUM[b[i] & 31];
  return s;
}

/** A 40-character secret access key (base64 alphabet, as AWS issues). */
export function secretKey(ids: Ids): string {
  return ids.bytes(30).toString('base64').replace(/\+/g, 'A').replace(/\//g, 'b');
}

export function twelveDigitAccountId(ids: Ids): string {
  const b = ids.bytes(12);
  let s = String(1 + (b[0] % 9));
  for (let i = 1; i < 12; i++) s += String(b[i] % 10);
  return s;
}
