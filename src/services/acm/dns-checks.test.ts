import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LookupFailed, caaAllows, cnameAnswers, type CaaRecord, type DnsLookups } from './dns-checks.js';

function zone(caa: Record<string, CaaRecord[]>, cnames: Record<string, string[]> = {}, failing: string[] = []): DnsLookups & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async cname(name) {
      return cnames[name] ?? [];
    },
    async caa(name) {
      asked.push(name);
      if (failing.includes(name)) throw new LookupFailed('ESERVFAIL');
      return caa[name] ?? [];
    },
  };
}
const rec = (tag: string, value: string, critical = 0): CaaRecord => ({ tag, value, critical });

// RFC 8659 §3 and its examples (§4), with ACM's identities (amazon.com, amazontrust.com, awstrust.com, amazonaws.com).
const cases: [string, Record<string, CaaRecord[]>, string, boolean][] = [
  ['no CAA anywhere: anyone may issue', {}, 'www.example.com', true],
  ['issue amazon.com at the name', { 'www.example.com': [rec('issue', 'amazon.com')] }, 'www.example.com', true],
  ['issue for another CA at the parent forbids', { 'example.com': [rec('issue', 'letsencrypt.org')] }, 'a.b.example.com', false],
  ['the closest non-empty set governs, not the parent', { 'example.com': [rec('issue', 'letsencrypt.org')], 'b.example.com': [rec('issue', 'amazontrust.com')] }, 'a.b.example.com', true],
  ['parameters after the identity are allowed', { 'example.com': [rec('issue', 'amazonaws.com; accounturi=https://x')] }, 'example.com', true],
  ['identities compare without case', { 'example.com': [rec('issue', 'Amazon.COM')] }, 'example.com', true],
  ['an empty issuer (";") lets nobody issue', { 'example.com': [rec('issue', ';')] }, 'example.com', false],
  ['any of several issue records', { 'example.com': [rec('issue', 'letsencrypt.org'), rec('issue', 'awstrust.com')] }, 'example.com', true],
  ['only iodef: issuance is not restricted', { 'example.com': [rec('iodef', 'mailto:sec@example.com')] }, 'example.com', true],
  ['a critical unknown property forbids', { 'example.com': [rec('issue', 'amazon.com'), rec('tbs', 'x', 128)] }, 'example.com', false],
  ['a non-critical unknown property is ignored', { 'example.com': [rec('issue', 'amazon.com'), rec('tbs', 'x', 0)] }, 'example.com', true],
  ['wildcard: issuewild governs when present', { 'example.com': [rec('issue', 'amazon.com'), rec('issuewild', 'letsencrypt.org')] }, '*.example.com', false],
  ['wildcard: issuewild naming Amazon allows', { 'example.com': [rec('issue', 'letsencrypt.org'), rec('issuewild', 'amazon.com')] }, '*.example.com', true],
  ['wildcard: issue governs without issuewild', { 'example.com': [rec('issue', 'amazon.com')] }, '*.example.com', true],
  ['non-wildcard: issuewild is not consulted', { 'example.com': [rec('issue', 'amazon.com'), rec('issuewild', ';')] }, 'example.com', true],
  ['non-wildcard with only issuewild: unrestricted for it', { 'example.com': [rec('issuewild', 'letsencrypt.org')] }, 'www.example.com', true],
];

for (const [what, records, domain, allowed] of cases) {
  test(`CAA: ${what}`, async () => {
    assert.equal(await caaAllows(zone(records), domain), allowed);
  });
}

test('CAA climbs from the name towards the root and stops at the first set', async () => {
  const z = zone({ 'example.com': [rec('issue', 'amazon.com')] });
  await caaAllows(z, '*.a.b.example.com');
  assert.deepEqual(z.asked, ['a.b.example.com', 'b.example.com', 'example.com']);
});

test('a CAA lookup that fails is an error, not an empty answer', async () => {
  await assert.rejects(caaAllows(zone({}, {}, ['example.com']), 'www.example.com'), LookupFailed);
});

test('CNAME answers compare without case or the final dot', async () => {
  const z = zone({}, { '_a.example.com': ['_B.xyz.acm-validations.aws'] });
  assert.equal(await cnameAnswers(z, '_a.example.com.', '_b.xyz.acm-validations.aws.'), true);
  assert.equal(await cnameAnswers(z, '_A.EXAMPLE.COM', '_c.xyz.acm-validations.aws.'), false);
  assert.equal(await cnameAnswers(z, '_missing.example.com.', '_b.xyz.acm-validations.aws.'), false);
});
