import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../kernel/secret-box.js';
import type { Principal, Session } from './principal.js';

/** What an STS call hands out: the ASIA… key, its secret, the token, and when they stop working. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

const AAD = (accessKeyId: string) => `sts-session:${accessKeyId}`;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function temporaryKeyId(): string {
  const b = randomBytes(16);
  return 'ASIA' + Array.from(b, (x) => ALPHABET[x % 32]).join('');
}

/**
 * Issues temporary credentials whose session token is the session itself, sealed with the master
 * key (AES-256-GCM, bound to the key id): certtrail keeps no session table, a token cannot be
 * forged or altered, and it stops working at its expiration, as STS tokens do.
 */
export function issueSession(box: SecretBox, principal: Omit<Principal, 'accessKeyId'>, session: Session): TemporaryCredentials {
  const accessKeyId = temporaryKeyId();
  const secretAccessKey = randomBytes(30).toString('base64').replace(/[+/]/g, 'x').slice(0, 40);
  const body = JSON.stringify({ v: 1, secretAccessKey, principal: { ...principal, accessKeyId, session: { ...session, creationDate: session.creationDate.getTime(), expiresAt: session.expiresAt.getTime() } } });
  const sessionToken = box.seal(body, AAD(accessKeyId)).toString('base64');
  return { accessKeyId, secretAccessKey, sessionToken, expiration: session.expiresAt };
}

/** The session a token holds, or undefined if the token is not one certtrail issued for this key id. */
export function openSession(box: SecretBox, accessKeyId: string, token: string): { secret: string; principal: Principal } | undefined {
  let parsed: { v: number; secretAccessKey: string; principal: Principal & { session: Session & { creationDate: number; expiresAt: number } } };
  try {
    parsed = JSON.parse(box.open(Buffer.from(token, 'base64'), AAD(accessKeyId)).toString('utf8'));
  } catch {
    return undefined;
  }
  if (parsed.v !== 1) return undefined;
  const s = parsed.principal.session;
  return { secret: parsed.secretAccessKey, principal: { ...parsed.principal, session: { ...s, creationDate: new Date(s.creationDate), expiresAt: new Date(s.expiresAt) } } };
}
