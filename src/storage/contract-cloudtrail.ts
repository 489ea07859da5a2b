import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from './ports.js';
import type { EventQuery, EventRecord, LookupAttributeKey, TrailRecord } from './records.js';

/**
 * The storage contract for CloudTrail: events.lookup (LookupEvents' index) and trails. Part of
 * storeContract (contract.ts), so every backend runs it.
 */
export function cloudtrailContract(name: string, open: () => Promise<Store>): void {
  const T0 = Date.UTC(2026, 0, 1);
  let n = 0;
  const ev = (extra: Partial<EventRecord> = {}): EventRecord => {
    n++;
    return {
      eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      accountId: '000000000000',
      region: 'us-east-1',
      eventTime: new Date(T0 + n * 1000),
      eventSource: 'acm.amazonaws.com',
      eventName: 'DescribeCertificate',
      readOnly: true,
      username: 'root',
      accessKeyId: 'AKIAROOT',
      record: JSON.stringify({ n }),
      ...extra,
    };
  };
  const q = (extra: Partial<EventQuery> = {}): EventQuery => ({ accountId: '000000000000', region: 'us-east-1', limit: 100, ...extra });
  const ids = (rows: EventRecord[]) => rows.map((r) => r.eventId);

  test(`${name}: events.lookup filters on each LookupEvents attribute, newest first`, async () => {
    const s = await open();
    const arn = 'arn:aws:acm:us-east-1:000000000000:certificate/c1';
    const a = ev({ eventName: 'RequestCertificate', readOnly: false, resourceType: 'AWS::ACM::Certificate', resourceName: arn });
    const b = ev({ username: 'alice', accessKeyId: 'AKIAALICE', resourceType: 'AWS::ACM::Certificate', resourceName: arn });
    const c = ev({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'CreateTrail', readOnly: false, resourceType: 'AWS::CloudTrail::Trail', resourceName: 'arn:aws:cloudtrail:us-east-1:000000000000:trail/t1' });
    const d = ev({ username: undefined, accessKeyId: undefined });
    // Same attributes, other account and other region: never seen.
    const other = [ev({ ...a, eventId: 'other-account', accountId: '111111111111' }), ev({ ...a, eventId: 'other-region', region: 'eu-west-1' })];
    await s.write(async (tx) => {
      for (const e of [a, b, c, d, ...other]) await tx.events.put(e);
    });
    const by = (key: LookupAttributeKey, value: string) => s.read((tx) => tx.events.lookup(q({ attribute: { key, value } })));
    assert.deepEqual(ids(await s.read((tx) => tx.events.lookup(q()))), ids([d, c, b, a]));
    assert.deepEqual(ids(await by('EventId', b.eventId)), [b.eventId]);
    assert.deepEqual(ids(await by('EventName', 'RequestCertificate')), [a.eventId]);
    assert.deepEqual(ids(await by('ReadOnly', 'true')), ids([d, b]));
    assert.deepEqual(ids(await by('ReadOnly', 'false')), ids([c, a]));
    assert.deepEqual(ids(await by('Username', 'alice')), [b.eventId]);
    assert.deepEqual(ids(await by('Username', 'root')), ids([c, a]));
    assert.deepEqual(ids(await by('ResourceType', 'AWS::ACM::Certificate')), ids([b, a]));
    assert.deepEqual(ids(await by('ResourceName', arn)), ids([b, a]));
    assert.deepEqual(ids(await by('EventSource', 'cloudtrail.amazonaws.com')), [c.eventId]);
    assert.deepEqual(ids(await by('AccessKeyId', 'AKIAALICE')), [b.eventId]);
    assert.deepEqual(await by('EventName', 'requestcertificate'), [], 'values are case-sensitive');
    assert.deepEqual(ids(await s.read((tx) => tx.events.lookup({ ...q(), accountId: '111111111111' }))), ['other-account']);
    // Everything stored comes back as it went in, with a storage position.
    const [got] = await by('EventId', a.eventId);
    assert.ok(typeof got.seq === 'number' && got.seq > 0);
    const { seq: _seq, ...rest } = got;
    assert.deepEqual(rest, a);
    await s.close();
  });

  test(`${name}: events.lookup time bounds are inclusive`, async () => {
    const s = await open();
    const rows = [ev(), ev(), ev(), ev()];
    await s.write(async (tx) => {
      for (const e of rows) await tx.events.put(e);
    });
    const [, b, c] = rows;
    const look = (startTime?: Date, endTime?: Date) => s.read((tx) => tx.events.lookup(q({ startTime, endTime })));
    assert.deepEqual(ids(await look(b.eventTime, c.eventTime)), ids([c, b]));
    assert.deepEqual(ids(await look(b.eventTime, b.eventTime)), [b.eventId]);
    assert.deepEqual(ids(await look(new Date(b.eventTime.getTime() + 1), new Date(c.eventTime.getTime() - 1))), []);
    assert.deepEqual(ids(await look(c.eventTime)), ids([rows[3], c]));
    assert.deepEqual(ids(await look(undefined, b.eventTime)), ids([b, rows[0]]));
    await s.close();
  });

  test(`${name}: events.lookup pages by (eventTime, seq) cursor, ties included`, async () => {
    const s = await open();
    // Seven events in the same millisecond and three later: the cursor must split the tie by seq.
    const same = new Date(T0 + 10_000_000);
    const rows = [...Array.from({ length: 7 }, () => ev({ eventTime: same, eventName: 'ListCertificates' })), ...Array.from({ length: 3 }, () => ev({ eventName: 'ListCertificates' }))];
    await s.write(async (tx) => {
      for (const e of rows) await tx.events.put(e);
    });
    const attribute = { key: 'EventName' as const, value: 'ListCertificates' };
    const all = await s.read((tx) => tx.events.lookup(q({ attribute })));
    assert.equal(all.length, 10);
    for (let i = 1; i < all.length; i++) {
      const [p, c] = [all[i - 1], all[i]];
      assert.ok(p.eventTime > c.eventTime || (p.eventTime.getTime() === c.eventTime.getTime() && p.seq! > c.seq!), 'newest first, then by storage order');
    }
    const paged: EventRecord[] = [];
    let before: EventQuery['before'];
    for (;;) {
      const page = await s.read((tx) => tx.events.lookup(q({ attribute, before, limit: 3 })));
      paged.push(...page);
      if (page.length < 3) break;
      const last = page[page.length - 1];
      before = { time: last.eventTime.getTime(), seq: last.seq! };
    }
    assert.deepEqual(ids(paged), ids(all));
    await s.close();
  });

  const trail = (name: string, extra: Partial<TrailRecord> = {}): TrailRecord => ({
    accountId: '000000000000',
    homeRegion: 'us-east-1',
    name,
    arn: `arn:aws:cloudtrail:${extra.homeRegion ?? 'us-east-1'}:${extra.accountId ?? '000000000000'}:trail/${name}`,
    s3BucketName: 'logs-bucket',
    includeGlobalServiceEvents: true,
    isMultiRegionTrail: false,
    logFileValidationEnabled: false,
    isOrganizationTrail: false,
    isLogging: false,
    tags: [],
    createdAt: new Date(T0),
    ...extra,
  });

  test(`${name}: trails round-trip, list across home regions, delete`, async () => {
    const s = await open();
    const full = trail('full', {
      s3KeyPrefix: 'p', snsTopicName: 'topic', snsTopicArn: 'arn:aws:sns:us-east-1:000000000000:topic', kmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/k',
      cloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:g:*', cloudWatchLogsRoleArn: 'arn:aws:iam::000000000000:role/r',
      eventSelectors: [{ readWriteType: 'ReadOnly', includeManagementEvents: true, dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }], excludeManagementEventSources: [] }],
      isLogging: true, startLoggingTime: new Date(T0 + 5), stopLoggingTime: new Date(T0 + 3), tags: [{ key: 'k', value: 'v' }, { key: 'bare' }],
    });
    const west = trail('full', { homeRegion: 'us-west-2', isMultiRegionTrail: true, advancedEventSelectors: [{ name: 'm', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] }] });
    const otherAccount = trail('mine', { accountId: '111111111111' });
    await s.write(async (tx) => {
      for (const t of [full, west, trail('alpha'), otherAccount]) await tx.trails.put(t);
    });
    assert.deepEqual(await s.read((tx) => tx.trails.get('000000000000', 'us-east-1', 'full')), full);
    assert.deepEqual(await s.read((tx) => tx.trails.get('000000000000', 'us-west-2', 'full')), west);
    assert.equal(await s.read((tx) => tx.trails.get('000000000000', 'us-east-1', 'FULL')), undefined, 'names are case-sensitive');
    assert.equal(await s.read((tx) => tx.trails.get('111111111111', 'us-east-1', 'full')), undefined);
    const listed = await s.read((tx) => tx.trails.list('000000000000'));
    assert.deepEqual(listed.map((t) => `${t.name}@${t.homeRegion}`), ['alpha@us-east-1', 'full@us-east-1', 'full@us-west-2']);
    // put replaces.
    await s.write(async (tx) => tx.trails.put({ ...full, isLogging: false, tags: [] }));
    assert.equal((await s.read((tx) => tx.trails.get('000000000000', 'us-east-1', 'full')))!.isLogging, false);
    await s.write(async (tx) => tx.trails.delete('000000000000', 'us-east-1', 'full'));
    assert.equal(await s.read((tx) => tx.trails.get('000000000000', 'us-east-1', 'full')), undefined);
    assert.deepEqual((await s.read((tx) => tx.trails.list('000000000000'))).map((t) => t.arn), [trail('alpha').arn, west.arn]);
    assert.deepEqual((await s.read((tx) => tx.trails.list('111111111111'))).map((t) => t.name), ['mine']);
    await s.close();
  });
}
