import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from './ports.js';
import type { ApiDestinationRecord, EventConnectionRecord, EventRuleRecord } from './records.js';

/**
 * The storage contract for EventBridge: rules with their targets (and the dispatcher's
 * listEnabled), connections with their sealed secrets, API destinations. Part of
 * storeContract (contract.ts), so every backend runs it.
 */
export function eventbridgeContract(name: string, open: () => Promise<Store>, reopen?: (s: Store) => Promise<Store>): void {
  const A = '000000000000';
  const R = 'us-east-1';
  const rule = (n: string, extra: Partial<EventRuleRecord> = {}): EventRuleRecord => ({
    accountId: A,
    region: R,
    eventBusName: 'default',
    name: n,
    arn: `arn:aws:events:${R}:${A}:rule/${n}`,
    eventPattern: '{"source":["my.app"]}',
    state: 'ENABLED',
    createdBy: A,
    tags: [{ key: 'team', value: 'a' }],
    targets: [
      {
        id: 't1',
        arn: `arn:aws:events:${R}:${A}:api-destination/d/11111111-2222-4333-8444-555555555555`,
        inputTransformer: { inputPathsMap: { s: '$.source' }, inputTemplate: '{"s": <s>}' },
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 60 },
        deadLetterConfig: { arn: `arn:aws:sqs:${R}:${A}:dlq` },
        httpParameters: { headerParameters: { 'x-h': 'v' } },
      },
    ],
    createdAt: new Date(Date.UTC(2026, 0, 1)),
    updatedAt: new Date(Date.UTC(2026, 0, 2)),
    ...extra,
  });
  const connection = (n: string, extra: Partial<EventConnectionRecord> = {}): EventConnectionRecord => ({
    accountId: A,
    region: R,
    name: n,
    arn: `arn:aws:events:${R}:${A}:connection/${n}/aaaaaaaa-2222-4333-8444-555555555555`,
    authorizationType: 'API_KEY',
    state: 'AUTHORIZED',
    authParameters: { apiKey: { apiKeyName: 'x-api-key' } },
    authSealed: Buffer.from([1, 2, 3, 250]),
    secretArn: `arn:aws:secretsmanager:${R}:${A}:secret:events!connection/${n}/bbbbbbbb-2222-4333-8444-555555555555-AbCdEf`,
    createdAt: new Date(Date.UTC(2026, 0, 1)),
    lastModifiedAt: new Date(Date.UTC(2026, 0, 1)),
    lastAuthorizedAt: new Date(Date.UTC(2026, 0, 1)),
    ...extra,
  });
  const destination = (n: string, conn: string, extra: Partial<ApiDestinationRecord> = {}): ApiDestinationRecord => ({
    accountId: A,
    region: R,
    name: n,
    arn: `arn:aws:events:${R}:${A}:api-destination/${n}/cccccccc-2222-4333-8444-555555555555`,
    connectionArn: conn,
    invocationEndpoint: 'https://example.com/hook',
    httpMethod: 'POST',
    invocationRateLimitPerSecond: 300,
    state: 'ACTIVE',
    createdAt: new Date(Date.UTC(2026, 0, 1)),
    lastModifiedAt: new Date(Date.UTC(2026, 0, 1)),
    ...extra,
  });

  test(`${name}: event rules round-trip with their targets, list by name, delete`, async () => {
    const s = await open();
    const b = rule('b');
    await s.write(async (tx) => {
      await tx.eventRules.put(b);
      await tx.eventRules.put(rule('a', { scheduleExpression: 'rate(5 minutes)', eventPattern: undefined, targets: [] }));
      await tx.eventRules.put(rule('other-region', { region: 'eu-west-1', arn: `arn:aws:events:eu-west-1:${A}:rule/other-region` }));
    });
    assert.deepEqual(await s.read((tx) => tx.eventRules.get(A, R, 'default', 'b')), b);
    assert.equal(await s.read((tx) => tx.eventRules.get(A, 'eu-west-1', 'default', 'b')), undefined);
    assert.equal(await s.read((tx) => tx.eventRules.get(A, R, 'other-bus', 'b')), undefined);
    assert.deepEqual((await s.read((tx) => tx.eventRules.list(A, R, 'default'))).map((r) => r.name), ['a', 'b']);
    // A put replaces the rule, targets and all.
    await s.write((tx) => tx.eventRules.put({ ...b, targets: [], state: 'DISABLED' }));
    const again = await s.read((tx) => tx.eventRules.get(A, R, 'default', 'b'));
    assert.equal(again?.state, 'DISABLED');
    assert.deepEqual(again?.targets, []);
    await s.write((tx) => tx.eventRules.delete(A, R, 'default', 'b'));
    assert.deepEqual((await s.read((tx) => tx.eventRules.list(A, R, 'default'))).map((r) => r.name), ['a']);
    await s.close();
  });

  test(`${name}: eventRules.listEnabled gives the rules not DISABLED of one account and region, targets included`, async () => {
    const s = await open();
    await s.write(async (tx) => {
      await tx.eventRules.put(rule('on'));
      await tx.eventRules.put(rule('all', { state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' }));
      await tx.eventRules.put(rule('off', { state: 'DISABLED' }));
      await tx.eventRules.put(rule('elsewhere', { accountId: '111111111111', arn: `arn:aws:events:${R}:111111111111:rule/elsewhere` }));
    });
    const enabled = await s.read((tx) => tx.eventRules.listEnabled(A, R));
    assert.deepEqual(enabled.map((r) => r.name), ['all', 'on']);
    assert.deepEqual(enabled[1], rule('on'));
    assert.deepEqual(await s.read((tx) => tx.eventRules.listEnabled(A, 'ap-south-1')), []);
    // After a change the new state is read, not a remembered one.
    await s.write(async (tx) => tx.eventRules.put(rule('on', { state: 'DISABLED' })));
    assert.deepEqual((await s.read((tx) => tx.eventRules.listEnabled(A, R))).map((r) => r.name), ['all']);
    await s.close();
  });

  test(`${name}: connections keep their sealed secrets; found by name and by ARN`, async () => {
    const s = await open();
    const c = connection('c1');
    await s.write(async (tx) => {
      await tx.eventConnections.put(c);
      await tx.eventConnections.put(connection('c0', { arn: `arn:aws:events:${R}:${A}:connection/c0/dddddddd-2222-4333-8444-555555555555` }));
    });
    const got = await s.read((tx) => tx.eventConnections.get(A, R, 'c1'));
    assert.deepEqual(got, c);
    assert.ok(Buffer.isBuffer(got!.authSealed) && got!.authSealed.equals(c.authSealed));
    assert.deepEqual(await s.read((tx) => tx.eventConnections.getByArn(c.arn)), c);
    assert.equal(await s.read((tx) => tx.eventConnections.getByArn(`${c.arn}x`)), undefined);
    assert.deepEqual((await s.read((tx) => tx.eventConnections.list(A, R))).map((x) => x.name), ['c0', 'c1']);
    await s.write((tx) => tx.eventConnections.delete(A, R, 'c1'));
    assert.equal(await s.read((tx) => tx.eventConnections.get(A, R, 'c1')), undefined);
    await s.close();
  });

  test(`${name}: API destinations round-trip; found by name and by ARN`, async () => {
    const s = await open();
    const d = destination('d1', connection('c').arn, { description: 'hook' });
    await s.write(async (tx) => tx.apiDestinations.put(d));
    assert.deepEqual(await s.read((tx) => tx.apiDestinations.get(A, R, 'd1')), d);
    assert.deepEqual(await s.read((tx) => tx.apiDestinations.getByArn(d.arn)), d);
    assert.deepEqual((await s.read((tx) => tx.apiDestinations.list(A, R))).map((x) => x.name), ['d1']);
    assert.deepEqual(await s.read((tx) => tx.apiDestinations.list(A, 'eu-west-1')), []);
    await s.write((tx) => tx.apiDestinations.delete(A, R, 'd1'));
    assert.equal(await s.read((tx) => tx.apiDestinations.getByArn(d.arn)), undefined);
    await s.close();
  });

  if (reopen)
    test(`${name}: EventBridge resources survive reopening`, async () => {
      const s = await open();
      await s.write(async (tx) => {
        await tx.eventRules.put(rule('kept'));
        await tx.eventConnections.put(connection('kept'));
      });
      const again = await reopen(s);
      assert.deepEqual(await again.read((tx) => tx.eventRules.get(A, R, 'default', 'kept')), rule('kept'));
      assert.deepEqual(await again.read((tx) => tx.eventConnections.get(A, R, 'kept')), connection('kept'));
      await again.close();
    });
}
