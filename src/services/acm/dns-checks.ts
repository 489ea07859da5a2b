import { Resolver } from 'node:dns/promises';

/**
 * The DNS questions a CA asks before issuing: does the validation CNAME answer with the value
 * ACM handed out, and does CAA let this CA issue for the name (RFC 8659)?
 */
export interface DnsLookups {
  cname(name: string): Promise<string[]>;
  /** CAA records at exactly `name` (no tree climbing): [] when there are none. */
  caa(name: string): Promise<CaaRecord[]>;
}

export interface CaaRecord {
  critical: number;
  tag: string;
  value: string;
}

/** No such name or no records of that type: an answer, not a failure. */
const EMPTY_ANSWERS = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN']);

export class LookupFailed extends Error {}

/** Node's resolver, on the servers given (`host` or `host:port`), else the system's. */
export function systemLookups(servers: string[], timeoutMs = 2000): DnsLookups {
  const r = new Resolver({ timeout: timeoutMs, tries: 2 });
  if (servers.length) r.setServers(servers);
  const ask = async <T>(q: () => Promise<T[]>): Promise<T[]> => {
    try {
      return await q();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (EMPTY_ANSWERS.has(code)) return [];
      throw new LookupFailed(code || String(e));
    }
  };
  return {
    cname: (name) => ask(() => r.resolveCname(name)),
    caa: async (name) =>
      (await ask(() => r.resolveCaa(name))).map((c) => {
        const { critical, ...rest } = c as unknown as Record<string, unknown>;
        const [tag, value] = Object.entries(rest)[0] ?? ['', ''];
        return { critical: Number(critical) || 0, tag: tag.toLowerCase(), value: String(value) };
      }),
  };
}

const canonical = (name: string) => name.toLowerCase().replace(/\.$/, '');

/** Whether `name` has a CNAME to `value` (case and the final dot do not matter). */
export async function cnameAnswers(dns: DnsLookups, name: string, value: string): Promise<boolean> {
  const want = canonical(value);
  return (await dns.cname(canonical(name))).some((v) => canonical(v) === want);
}

/**
 * The four CA identities ACM accepts in a CAA value ("ACM cannot issue a certificate for your
 * domain or subdomain if there is no CAA record that specifies one of the following four Amazon
 * CAs": https://docs.aws.amazon.com/acm/latest/userguide/setup-caa.html): any of them admits
 * certtrail. The same page: an `issuewild` record without an Amazon CA blocks wildcards, and
 * without `issuewild` the `issue` records govern them.
 */
export const ACM_CAA_IDENTITIES: ReadonlySet<string> = new Set(['amazon.com', 'amazontrust.com', 'awstrust.com', 'amazonaws.com']);

/**
 * RFC 8659 §3: the relevant record set is the first non-empty one found climbing from the name
 * towards the root; none at all lets anyone issue. A wildcard name is governed by `issuewild`
 * when the set has one, else by `issue`; a critical property the CA does not know forbids
 * issuance. Returns whether this CA may issue for `domain`.
 */
export async function caaAllows(dns: DnsLookups, domain: string, identities: ReadonlySet<string> = ACM_CAA_IDENTITIES): Promise<boolean> {
  const wildcard = domain.startsWith('*.');
  const labels = canonical(wildcard ? domain.slice(2) : domain).split('.');
  for (let i = 0; i < labels.length; i++) {
    const set = await dns.caa(labels.slice(i).join('.'));
    if (set.length === 0) continue;
    if (set.some((r) => (r.critical & 128) !== 0 && !['issue', 'issuewild', 'iodef', 'issuemail'].includes(r.tag))) return false;
    const wild = set.filter((r) => r.tag === 'issuewild');
    const governing = wildcard && wild.length ? wild : set.filter((r) => r.tag === 'issue');
    if (governing.length === 0) return true;
    return governing.some((r) => identities.has(r.value.split(';')[0]!.trim().toLowerCase()));
  }
  return true;
}
