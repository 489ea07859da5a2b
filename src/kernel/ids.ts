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
