import { ValidationException } from './errors.js';

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Endpoints certtrail will call: HTTPS, as AWS requires (HttpsEndpoint), and, unlike AWS,
 * plain HTTP to a loopback address, so a receiver on the same machine can be used without a
 * certificate. The dispatcher refuses anything else, so it is refused here already.
 */
export function checkEndpoint(member: string, url: string): void {
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {
    u = undefined;
  }
  const ok = u && (u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.test(u.hostname)));
  if (!ok) throw ValidationException(`Parameter ${member} is not valid. Reason: The endpoint must be an HTTPS URL (certtrail also takes plain HTTP to a loopback address).`);
}
