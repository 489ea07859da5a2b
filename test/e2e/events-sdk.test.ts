/**
 * The EventBridge API through @aws-sdk/client-eventbridge: rules (PutRule with a pattern or a
 * schedule, Describe/List/Enable/Disable/Delete), targets (Put/Remove/ListTargetsByRule),
 * PutEvents' per-entry answers, TestEventPattern, DescribeEventBus, connections and API
 * destinations, each with its documented errors; and the CloudTrail events of these calls
 * (eventSource events.amazonaws.com, read-only classification, no credentials recorded).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateApiDestinationCommand, CreateConnectionCommand, CreateEventBusCommand, DeleteApiDestinationCommand, DeleteConnectionCommand,
  DeleteRuleCommand, DescribeApiDestinationCommand, DescribeConnectionCommand, DescribeEventBusCommand, DescribeRuleCommand,
  DisableRuleCommand, EnableRuleCommand, EventBridgeClient, ListApiDestinationsCommand, ListConnectionsCommand, ListRulesCommand,
  ListTargetsByRuleCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand, TestEventPatternCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { ACCOUNT, expectError } from '../helpers/acm.ts';
import { waitForEvent } from '../helpers/events.ts';

const REGION = 'us-east-1';
const CREDS = { accessKeyId: 'test', secretAccessKey: 'test' };
const SECRET = 'k3y-that-must-not-leak';
const PATTERN = '{"source": ["my.app"], "detail-type": ["order placed"]}';
const NAME_PATTERN = '[\\.\\-_A-Za-z0-9]+';
const CONNECTION_ARN = new RegExp(`^arn:aws:events:${REGION}:${ACCOUNT}:connection/[\\w.-]+/[0-9a-f-]{36}$`);
const DESTINATION_ARN = new RegExp(`^arn:aws:events:${REGION}:${ACCOUNT}:api-destination/[\\w.-]+/[0-9a-f-]{36}$`);

let server: RunningServer;
let eb: EventBridgeClient;
const clients: { destroy(): void }[] = [];
const client = (region = REGION) => {
  const c = new EventBridgeClient({ endpoint: server.url, region, credentials: CREDS, maxAttempts: 1 });
  clients.push(c);
  return c;
};
const ruleArn = (name: string, region = REGION) => `arn:aws:events:${region}:${ACCOUNT}:rule/${name}`;

before(async () => {
  server = await startServer();
  eb = client();
});
after(async () => {
  for (const c of clients) c.destroy();
  await server?.dispose();
});

describe('rules', () => {
  test('PutRule with a pattern creates an ENABLED rule on the default bus; DescribeRule gives it back exactly', async () => {
    const r = await eb.send(new PutRuleCommand({ Name: 'orders', EventPattern: PATTERN, Description: 'new orders' }));
    assert.equal(r.RuleArn, ruleArn('orders'));
    const d = await eb.send(new DescribeRuleCommand({ Name: 'orders' }));
    assert.deepEqual(
      { Name: d.Name, Arn: d.Arn, EventPattern: d.EventPattern, State: d.State, Description: d.Description, EventBusName: d.EventBusName, CreatedBy: d.CreatedBy, ScheduleExpression: d.ScheduleExpression },
      { Name: 'orders', Arn: ruleArn('orders'), EventPattern: PATTERN, State: 'ENABLED', Description: 'new orders', EventBusName: 'default', CreatedBy: ACCOUNT, ScheduleExpression: undefined },
    );
    // The bus may be named by its ARN too.
    const byArn = await eb.send(new DescribeRuleCommand({ Name: 'orders', EventBusName: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default` }));
    assert.equal(byArn.Arn, ruleArn('orders'));
  });

  test('a schedule rule, and the state given; each region has its own rules', async () => {
    await eb.send(new PutRuleCommand({ Name: 'nightly', ScheduleExpression: 'cron(0 3 * * ? *)', State: 'DISABLED', RoleArn: `arn:aws:iam::${ACCOUNT}:role/r` }));
    const d = await eb.send(new DescribeRuleCommand({ Name: 'nightly' }));
    assert.equal(d.ScheduleExpression, 'cron(0 3 * * ? *)');
    assert.equal(d.State, 'DISABLED');
    assert.equal(d.RoleArn, `arn:aws:iam::${ACCOUNT}:role/r`);
    await expectError(client('eu-west-1').send(new DescribeRuleCommand({ Name: 'nightly' })), 'ResourceNotFoundException', 400, 'Rule nightly does not exist on EventBus default.');
  });

  test('PutRule on an existing rule replaces its settings and keeps its targets', async () => {
    await eb.send(new PutRuleCommand({ Name: 'replaced', EventPattern: PATTERN, Description: 'first' }));
    await eb.send(new PutTargetsCommand({ Rule: 'replaced', Targets: [{ Id: 't', Arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:q` }] }));
    await eb.send(new PutRuleCommand({ Name: 'replaced', EventPattern: '{"source": ["other"]}', State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' }));
    const d = await eb.send(new DescribeRuleCommand({ Name: 'replaced' }));
    assert.equal(d.Description, undefined);
    assert.equal(d.EventPattern, '{"source": ["other"]}');
    assert.equal(d.State, 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    assert.deepEqual((await eb.send(new ListTargetsByRuleCommand({ Rule: 'replaced' }))).Targets?.map((t) => t.Id), ['t']);
  });

  test('EnableRule and DisableRule set the state', async () => {
    await eb.send(new PutRuleCommand({ Name: 'toggle', EventPattern: PATTERN }));
    await eb.send(new DisableRuleCommand({ Name: 'toggle' }));
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: 'toggle' }))).State, 'DISABLED');
    await eb.send(new EnableRuleCommand({ Name: 'toggle' }));
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: 'toggle' }))).State, 'ENABLED');
    for (const c of [new EnableRuleCommand({ Name: 'missing' }), new DisableRuleCommand({ Name: 'missing' })])
      await expectError(eb.send(c as EnableRuleCommand), 'ResourceNotFoundException', 400, 'Rule missing does not exist on EventBus default.');
  });

  test('ListRules: by name, NamePrefix, and pages of Limit with NextToken', async () => {
    const r = client('ap-south-1');
    for (const n of ['list-c', 'list-a', 'list-b', 'other']) await r.send(new PutRuleCommand({ Name: n, EventPattern: PATTERN }));
    const all = await r.send(new ListRulesCommand({}));
    assert.deepEqual(all.Rules?.map((x) => x.Name), ['list-a', 'list-b', 'list-c', 'other']);
    assert.equal(all.NextToken, undefined);
    const first = all.Rules![0];
    assert.deepEqual(first, { Name: 'list-a', Arn: ruleArn('list-a', 'ap-south-1'), EventPattern: PATTERN, State: 'ENABLED', EventBusName: 'default' });
    const p1 = await r.send(new ListRulesCommand({ NamePrefix: 'list-', Limit: 2 }));
    assert.deepEqual(p1.Rules?.map((x) => x.Name), ['list-a', 'list-b']);
    assert.ok(p1.NextToken);
    const p2 = await r.send(new ListRulesCommand({ NamePrefix: 'list-', Limit: 2, NextToken: p1.NextToken }));
    assert.deepEqual(p2.Rules?.map((x) => x.Name), ['list-c']);
    assert.equal(p2.NextToken, undefined);
    // A token is for the query it came from.
    await expectError(r.send(new ListRulesCommand({ NamePrefix: 'other', NextToken: p1.NextToken })), 'ValidationException', 400, 'The provided NextToken is not valid.');
    await expectError(r.send(new ListRulesCommand({ Limit: 101 })), 'ValidationException', 400,
      "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100");
  });

  test('DeleteRule: a rule with targets is refused, a missing one is no error', async () => {
    await eb.send(new PutRuleCommand({ Name: 'doomed', EventPattern: PATTERN }));
    await eb.send(new PutTargetsCommand({ Rule: 'doomed', Targets: [{ Id: 't', Arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:q` }] }));
    await expectError(eb.send(new DeleteRuleCommand({ Name: 'doomed' })), 'ValidationException', 400, "Rule can't be deleted since it has targets.");
    await eb.send(new RemoveTargetsCommand({ Rule: 'doomed', Ids: ['t'] }));
    await eb.send(new DeleteRuleCommand({ Name: 'doomed' }));
    await expectError(eb.send(new DescribeRuleCommand({ Name: 'doomed' })), 'ResourceNotFoundException', 400, 'Rule doomed does not exist on EventBus default.');
    await eb.send(new DeleteRuleCommand({ Name: 'doomed' }));
  });

  test('PutRule errors: names, neither pattern nor schedule, bad schedule, bad pattern, bad state, other buses', async () => {
    await expectError(eb.send(new PutRuleCommand({ Name: 'has space', EventPattern: PATTERN })), 'ValidationException', 400,
      `1 validation error detected: Value 'has space' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ${NAME_PATTERN}`);
    await expectError(eb.send(new PutRuleCommand({ Name: 'x'.repeat(65), EventPattern: PATTERN })), 'ValidationException', 400,
      `1 validation error detected: Value '${'x'.repeat(65)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 64`);
    await expectError(eb.send(new PutRuleCommand({ Name: 'empty' })), 'ValidationException', 400, 'Parameter(s) EventPattern or ScheduleExpression must be specified.');
    for (const s of ['rate(1 minutes)', 'rate(0 minutes)', 'cron(0 12 * * * *)', 'every day'])
      await expectError(eb.send(new PutRuleCommand({ Name: 'sched', ScheduleExpression: s })), 'ValidationException', 400, 'Parameter ScheduleExpression is not valid.');
    await expectError(eb.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source": "not-an-array"}' })), 'InvalidEventPatternException', 400,
      /^Event pattern is not valid\. Reason: "source" must be an object or an array/);
    await expectError(eb.send(new PutRuleCommand({ Name: 'bad', EventPattern: 'not json' })), 'InvalidEventPatternException', 400, /^Event pattern is not valid\. Reason: /);
    await expectError(eb.send(new PutRuleCommand({ Name: 'bad', EventPattern: PATTERN, State: 'ON' as never })), 'ValidationException', 400,
      "1 validation error detected: Value 'ON' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]");
    await expectError(eb.send(new PutRuleCommand({ Name: 'bad', EventPattern: PATTERN, EventBusName: 'custom' })), 'ResourceNotFoundException', 400, 'Event bus custom does not exist.');
    await expectError(eb.send(new DescribeRuleCommand({ Name: 'orders', EventBusName: `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default` })), 'ResourceNotFoundException', 400, 'Event bus default does not exist.');
    await expectError(eb.send(new PutRuleCommand({ Name: 'dup-tags', EventPattern: PATTERN, Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] })), 'ValidationException', 400,
      'Invalid parameter: Duplicated keys are not allowed.');
  });

  test('a bus holds at most 300 rules (LimitExceededException)', async () => {
    const r = client('sa-east-1');
    for (let i = 0; i < 300; i++) await r.send(new PutRuleCommand({ Name: `r${i}`, EventPattern: PATTERN }));
    await expectError(r.send(new PutRuleCommand({ Name: 'one-too-many', EventPattern: PATTERN })), 'LimitExceededException', 400, 'The requested resource exceeds the maximum number allowed.');
    // Replacing an existing rule is not a new one.
    await r.send(new PutRuleCommand({ Name: 'r0', EventPattern: PATTERN, Description: 'still fine' }));
  });
});

describe('targets', () => {
  const queue = `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`;
  const full: Target = {
    Id: 'hook',
    Arn: `arn:aws:events:${REGION}:${ACCOUNT}:api-destination/hook/11111111-2222-4333-8444-555555555555`,
    RoleArn: `arn:aws:iam::${ACCOUNT}:role/invoke`,
    InputTransformer: { InputPathsMap: { order: '$.detail.order', src: '$.source' }, InputTemplate: '{"order": <order>, "from": "<src>"}' },
    RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 120 },
    DeadLetterConfig: { Arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:dlq` },
    HttpParameters: { HeaderParameters: { 'x-team': 'orders' }, QueryStringParameters: { v: '1' }, PathParameterValues: ['a'] },
  };

  before(async () => {
    await eb.send(new PutRuleCommand({ Name: 'with-targets', EventPattern: PATTERN }));
  });

  test('PutTargets stores every member; ListTargetsByRule gives them back as given', async () => {
    const ecs: Target = { Id: 'task', Arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/c`, EcsParameters: { TaskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/t:1`, TaskCount: 2, LaunchType: 'FARGATE' } };
    const fifo: Target = { Id: 'fifo', Arn: `${queue}.fifo`, SqsParameters: { MessageGroupId: 'g' }, Input: '{"fixed": true}' };
    const r = await eb.send(new PutTargetsCommand({ Rule: 'with-targets', Targets: [full, ecs, fifo] }));
    assert.equal(r.FailedEntryCount, 0);
    assert.deepEqual(r.FailedEntries, []);
    const listed = await eb.send(new ListTargetsByRuleCommand({ Rule: 'with-targets' }));
    assert.deepEqual(listed.Targets, [full, ecs, fifo]);
  });

  test('a target with an existing Id is replaced in place; pages of Limit', async () => {
    await eb.send(new PutTargetsCommand({ Rule: 'with-targets', Targets: [{ Id: 'task', Arn: queue, InputPath: '$.detail' }, { Id: 'four', Arn: queue }] }));
    const listed = await eb.send(new ListTargetsByRuleCommand({ Rule: 'with-targets' }));
    assert.deepEqual(listed.Targets?.map((t) => [t.Id, t.Arn, t.InputPath]), [['hook', full.Arn, undefined], ['task', queue, '$.detail'], ['fifo', `${queue}.fifo`, undefined], ['four', queue, undefined]]);
    const p1 = await eb.send(new ListTargetsByRuleCommand({ Rule: 'with-targets', Limit: 3 }));
    assert.deepEqual(p1.Targets?.map((t) => t.Id), ['hook', 'task', 'fifo']);
    const p2 = await eb.send(new ListTargetsByRuleCommand({ Rule: 'with-targets', Limit: 3, NextToken: p1.NextToken }));
    assert.deepEqual(p2.Targets?.map((t) => t.Id), ['four']);
    assert.equal(p2.NextToken, undefined);
  });

  test('at most five targets per rule', async () => {
    await eb.send(new PutTargetsCommand({ Rule: 'with-targets', Targets: [{ Id: 'five', Arn: queue }] }));
    await expectError(eb.send(new PutTargetsCommand({ Rule: 'with-targets', Targets: [{ Id: 'six', Arn: queue }] })), 'LimitExceededException', 400,
      'The requested resource exceeds the maximum number allowed.');
    // Replacing one of the five is fine.
    await eb.send(new PutTargetsCommand({ Rule: 'with-targets', Targets: [{ Id: 'five', Arn: `${queue}-2` }] }));
  });

  test('PutTargets errors: Coral constraints, ARN format, FIFO queues, the rule', async () => {
    const put = (t: Target, rule = 'with-targets') => eb.send(new PutTargetsCommand({ Rule: rule, Targets: [t] }));
    await expectError(put({ Id: 'x'.repeat(65), Arn: queue }), 'ValidationException', 400,
      `1 validation error detected: Value '${'x'.repeat(65)}' at 'targets.1.member.id' failed to satisfy constraint: Member must have length less than or equal to 64`);
    await expectError(put({ Id: 'a b', Arn: queue }), 'ValidationException', 400,
      `1 validation error detected: Value 'a b' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: ${NAME_PATTERN}`);
    await expectError(put({ Id: 'r', Arn: queue, RetryPolicy: { MaximumRetryAttempts: 186, MaximumEventAgeInSeconds: 59 } }), 'ValidationException', 400,
      "2 validation errors detected: Value '186' at 'targets.1.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 185; " +
      "Value '59' at 'targets.1.member.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60");
    await expectError(put({ Id: 'r', Arn: queue, RetryPolicy: { MaximumEventAgeInSeconds: 86401 } }), 'ValidationException', 400, /Member must have value less than or equal to 86400$/);
    await expectError(put({ Id: 'r', Arn: 'not-an-arn' }), 'ValidationException', 400, 'Parameter not-an-arn is not valid. Reason: Provided Arn is not in correct format.');
    await expectError(put({ Id: 'r', Arn: `${queue}.fifo` }), 'ValidationException', 400, 'Parameter(s) SqsParameters must be specified for target: r.');
    await expectError(put({ Id: 'r', Arn: queue, Input: '{"a":1}', InputPath: '$.detail' }), 'ValidationException', 400);
    await expectError(put({ Id: 'r', Arn: queue, Input: 'not json' }), 'ValidationException', 400);
    await expectError(eb.send(new PutTargetsCommand({ Rule: 'with-targets', Targets: [] })), 'ValidationException', 400,
      "1 validation error detected: Value '[]' at 'targets' failed to satisfy constraint: Member must have length greater than or equal to 1");
    await expectError(put({ Id: 'r', Arn: queue }, 'no-such-rule'), 'ResourceNotFoundException', 400, 'Rule no-such-rule does not exist on EventBus default.');
    await expectError(eb.send(new PutTargetsCommand({ Rule: ruleArn('with-targets'), Targets: [{ Id: 'r', Arn: queue }] })), 'ValidationException', 400,
      `1 validation error detected: Value '${ruleArn('with-targets')}' at 'rule' failed to satisfy constraint: Member must satisfy regular expression pattern: ${NAME_PATTERN}`);
  });

  test('RemoveTargets takes ids off the rule; unknown ids are no error', async () => {
    const r = await eb.send(new RemoveTargetsCommand({ Rule: 'with-targets', Ids: ['four', 'never-there'] }));
    assert.equal(r.FailedEntryCount, 0);
    assert.deepEqual((await eb.send(new ListTargetsByRuleCommand({ Rule: 'with-targets' }))).Targets?.map((t) => t.Id), ['hook', 'task', 'fifo', 'five']);
    await expectError(eb.send(new RemoveTargetsCommand({ Rule: 'missing', Ids: ['x'] })), 'ResourceNotFoundException', 400, 'Rule missing does not exist on EventBus default.');
    await expectError(eb.send(new ListTargetsByRuleCommand({ Rule: 'missing' })), 'ResourceNotFoundException', 400, 'Rule missing does not exist on EventBus default.');
  });
});

describe('PutEvents', () => {
  const good = { Source: 'my.app', DetailType: 'order placed', Detail: '{"order": 1}' };

  test('each entry succeeds or fails alone, with AWS error codes in its place', async () => {
    const r = await eb.send(new PutEventsCommand({
      Entries: [
        good,
        { Source: 'my.app', DetailType: 'x' },
        { Source: 'my.app', DetailType: 'x', Detail: '[1, 2]' },
        { Source: 'my.app', DetailType: 'x', Detail: 'not json' },
        { Source: 'aws.ec2', DetailType: 'x', Detail: '{}' },
        { DetailType: 'x', Detail: '{}' },
        { Source: 'my.app', Detail: '{}' },
        { ...good, Time: new Date('2026-01-01T00:00:00Z'), Resources: ['arn:aws:s3:::b'] },
      ],
    }));
    assert.equal(r.FailedEntryCount, 6);
    const e = r.Entries!;
    assert.equal(e.length, 8);
    assert.match(e[0].EventId!, /^[0-9a-f-]{36}$/);
    assert.equal(e[0].ErrorCode, undefined);
    assert.deepEqual(e[1], { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' });
    assert.deepEqual(e[2], { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
    assert.deepEqual(e[3], { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
    assert.deepEqual(e[4], { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' });
    assert.deepEqual(e[5], { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' });
    assert.deepEqual(e[6], { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' });
    assert.match(e[7].EventId!, /^[0-9a-f-]{36}$/);
    assert.notEqual(e[0].EventId, e[7].EventId);
  });

  test('at most 10 entries and 256 KB', async () => {
    await expectError(eb.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => good) })), 'ValidationException', 400,
      /^1 validation error detected: Value '.*' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10$/);
    const big = JSON.stringify({ pad: 'x'.repeat(140 * 1024) });
    await expectError(eb.send(new PutEventsCommand({ Entries: [{ ...good, Detail: big }, { ...good, Detail: big }] })), 'ValidationException', 400,
      'Total size of the entries in the request is over the limit.');
    const ok = await eb.send(new PutEventsCommand({ Entries: [{ ...good, Detail: big }] }));
    assert.equal(ok.FailedEntryCount, 0);
  });
});

describe('TestEventPattern', () => {
  const event = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({ id: '1', account: ACCOUNT, source: 'my.app', time: '2026-01-01T00:00:00Z', region: REGION, resources: [], 'detail-type': 'order placed', detail: {}, ...extra });

  test('matches and does not match', async () => {
    assert.equal((await eb.send(new TestEventPatternCommand({ EventPattern: PATTERN, Event: event() }))).Result, true);
    assert.equal((await eb.send(new TestEventPatternCommand({ EventPattern: PATTERN, Event: event({ source: 'other' }) }))).Result, false);
  });

  test('an invalid pattern or event', async () => {
    await expectError(eb.send(new TestEventPatternCommand({ EventPattern: '{"source": "my.app"}', Event: event() })), 'InvalidEventPatternException', 400,
      /^Event pattern is not valid\. Reason: "source" must be an object or an array/);
    // The pattern is checked first.
    await expectError(eb.send(new TestEventPatternCommand({ EventPattern: 'nope', Event: 'nope' })), 'InvalidEventPatternException', 400);
    await expectError(eb.send(new TestEventPatternCommand({ EventPattern: PATTERN, Event: 'not json' })), 'ValidationException', 400, 'Parameter Event is not valid.');
    const missing = JSON.parse(event());
    delete missing.account;
    await expectError(eb.send(new TestEventPatternCommand({ EventPattern: PATTERN, Event: JSON.stringify(missing) })), 'ValidationException', 400, 'Parameter Event is not valid.');
  });
});

describe('event bus', () => {
  test('DescribeEventBus: the default bus, by name or ARN; no other', async () => {
    const busArn = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`;
    const d = await eb.send(new DescribeEventBusCommand({}));
    assert.equal(d.Name, 'default');
    assert.equal(d.Arn, busArn);
    assert.equal((await eb.send(new DescribeEventBusCommand({ Name: busArn }))).Name, 'default');
    await expectError(eb.send(new DescribeEventBusCommand({ Name: 'custom' })), 'ResourceNotFoundException', 400, 'Event bus custom does not exist.');
  });

  test('operations certtrail has not built say so', async () => {
    await expectError(eb.send(new CreateEventBusCommand({ Name: 'custom' })), 'UnknownOperationException', 400, 'Operation CreateEventBus is not implemented by certtrail yet.');
  });
});

describe('connections and API destinations', () => {
  let keyArn = '';

  test('CreateConnection: API key, basic and OAuth; DescribeConnection shows no secret', async () => {
    const key = await eb.send(new CreateConnectionCommand({
      Name: 'key', Description: 'an API key', AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: SECRET },
        InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-env', Value: 'test' }, { Key: 'x-token', Value: SECRET, IsValueSecret: true }] },
      },
    }));
    keyArn = key.ConnectionArn!;
    assert.match(keyArn, CONNECTION_ARN);
    assert.equal(key.ConnectionState, 'AUTHORIZED');
    assert.ok(key.CreationTime instanceof Date && key.LastModifiedTime instanceof Date);
    const basic = await eb.send(new CreateConnectionCommand({ Name: 'basic', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: SECRET } } }));
    assert.equal(basic.ConnectionState, 'AUTHORIZED');
    const oauth = await eb.send(new CreateConnectionCommand({
      Name: 'oauth', AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
      AuthParameters: { OAuthParameters: { ClientParameters: { ClientID: 'client', ClientSecret: SECRET }, AuthorizationEndpoint: 'https://auth.example.com/token', HttpMethod: 'POST' } },
    }));
    assert.equal(oauth.ConnectionState, 'AUTHORIZING');

    const d = await eb.send(new DescribeConnectionCommand({ Name: 'key' }));
    const { $metadata: _m, ...shown } = d;
    assert.ok(!JSON.stringify(shown).includes(SECRET));
    assert.equal(d.ConnectionArn, keyArn);
    assert.equal(d.Description, 'an API key');
    assert.equal(d.AuthorizationType, 'API_KEY');
    assert.equal(d.ConnectionState, 'AUTHORIZED');
    assert.deepEqual(d.AuthParameters, {
      ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' },
      InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-env', Value: 'test', IsValueSecret: false }, { Key: 'x-token', IsValueSecret: true }] },
    });
    assert.match(d.SecretArn!, new RegExp(`^arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:events!connection/key/[0-9a-f-]{36}-[A-Za-z0-9]{6}$`));
    assert.ok(d.LastAuthorizedTime instanceof Date);
    assert.deepEqual((await eb.send(new DescribeConnectionCommand({ Name: 'basic' }))).AuthParameters, { BasicAuthParameters: { Username: 'u' } });
    assert.deepEqual((await eb.send(new DescribeConnectionCommand({ Name: 'oauth' }))).AuthParameters, {
      OAuthParameters: { ClientParameters: { ClientID: 'client' }, AuthorizationEndpoint: 'https://auth.example.com/token', HttpMethod: 'POST' },
    });
  });

  test('the CloudTrail event of CreateConnection hides the credentials', async () => {
    const e = await waitForEvent(server.dataDir, { eventName: 'CreateConnection' });
    assert.ok(!e.raw.includes(SECRET));
    assert.equal(e.record.eventSource, 'events.amazonaws.com');
    assert.equal(e.record.requestParameters.authParameters.apiKeyAuthParameters.apiKeyValue, 'HIDDEN_DUE_TO_SECURITY_REASONS');
    assert.equal(e.record.requestParameters.authParameters.apiKeyAuthParameters.apiKeyName, 'x-api-key');
  });

  test('ListConnections: NamePrefix and ConnectionState', async () => {
    const all = await eb.send(new ListConnectionsCommand({}));
    assert.deepEqual(all.Connections?.map((c) => [c.Name, c.AuthorizationType, c.ConnectionState]), [['basic', 'BASIC', 'AUTHORIZED'], ['key', 'API_KEY', 'AUTHORIZED'], ['oauth', 'OAUTH_CLIENT_CREDENTIALS', 'AUTHORIZED']]);
    assert.deepEqual((await eb.send(new ListConnectionsCommand({ NamePrefix: 'k' }))).Connections?.map((c) => c.Name), ['key']);
    assert.deepEqual((await eb.send(new ListConnectionsCommand({ ConnectionState: 'DEAUTHORIZED' }))).Connections, []);
    const p1 = await eb.send(new ListConnectionsCommand({ Limit: 2 }));
    const p2 = await eb.send(new ListConnectionsCommand({ Limit: 2, NextToken: p1.NextToken }));
    assert.deepEqual([...p1.Connections!, ...p2.Connections!].map((c) => c.Name), ['basic', 'key', 'oauth']);
  });

  test('CreateConnection errors', async () => {
    await expectError(eb.send(new CreateConnectionCommand({ Name: 'key', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } })),
      'ResourceAlreadyExistsException', 400, 'Connection key already exists.');
    await expectError(eb.send(new CreateConnectionCommand({ Name: 'c', AuthorizationType: 'INVALID_AUTH_TYPE' as never, AuthParameters: {} })), 'ValidationException', 400,
      "1 validation error detected: Value 'INVALID_AUTH_TYPE' at 'authorizationType' failed to satisfy constraint: Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]");
    await expectError(eb.send(new CreateConnectionCommand({ Name: 'Invalid Name With Spaces!', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } })),
      'ValidationException', 400,
      "1 validation error detected: Value 'Invalid Name With Spaces!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+");
    await expectError(eb.send(new CreateConnectionCommand({ Name: 'mismatch', AuthorizationType: 'API_KEY', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } })),
      'ValidationException', 400, /ApiKeyAuthParameters must be specified/);
    // A failed call's event hides the password as well.
    const failed = await expectError(eb.send(new CreateConnectionCommand({ Name: 'bad name', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: SECRET } } })),
      'ValidationException', 400);
    const e = await waitForEvent(server.dataDir, { requestId: (failed as unknown as { $metadata: { requestId: string } }).$metadata.requestId });
    assert.equal(e.record.errorCode, 'ValidationException');
    assert.ok(!e.raw.includes(SECRET));
  });

  let destArn = '';

  test('CreateApiDestination: ACTIVE with its connection, 300 a second by default; Describe and List', async () => {
    const r = await eb.send(new CreateApiDestinationCommand({ Name: 'hook', Description: 'orders hook', ConnectionArn: keyArn, InvocationEndpoint: 'https://hooks.example.com/orders', HttpMethod: 'POST' }));
    destArn = r.ApiDestinationArn!;
    assert.match(destArn, DESTINATION_ARN);
    assert.equal(r.ApiDestinationState, 'ACTIVE');
    const d = await eb.send(new DescribeApiDestinationCommand({ Name: 'hook' }));
    assert.deepEqual(
      { ...d, $metadata: undefined, CreationTime: undefined, LastModifiedTime: undefined },
      {
        $metadata: undefined, CreationTime: undefined, LastModifiedTime: undefined, ApiDestinationArn: destArn, Name: 'hook', Description: 'orders hook', ApiDestinationState: 'ACTIVE',
        ConnectionArn: keyArn, InvocationEndpoint: 'https://hooks.example.com/orders', HttpMethod: 'POST', InvocationRateLimitPerSecond: 300,
      },
    );
    // Plain HTTP to loopback is taken (a local receiver), with a rate.
    await eb.send(new CreateApiDestinationCommand({ Name: 'local', ConnectionArn: keyArn, InvocationEndpoint: 'http://127.0.0.1:9/x', HttpMethod: 'PUT', InvocationRateLimitPerSecond: 5 }));
    const all = await eb.send(new ListApiDestinationsCommand({}));
    assert.deepEqual(all.ApiDestinations?.map((a) => [a.Name, a.HttpMethod, a.InvocationRateLimitPerSecond]), [['hook', 'POST', 300], ['local', 'PUT', 5]]);
    assert.deepEqual((await eb.send(new ListApiDestinationsCommand({ NamePrefix: 'lo' }))).ApiDestinations?.map((a) => a.Name), ['local']);
    assert.deepEqual((await eb.send(new ListApiDestinationsCommand({ ConnectionArn: keyArn }))).ApiDestinations?.length, 2);
  });

  test('CreateApiDestination errors', async () => {
    await expectError(eb.send(new CreateApiDestinationCommand({ Name: 'hook', ConnectionArn: keyArn, InvocationEndpoint: 'https://x.example.com', HttpMethod: 'POST' })),
      'ResourceAlreadyExistsException', 400, "An api-destination 'hook' already exists.");
    await expectError(eb.send(new CreateApiDestinationCommand({ Name: 'bad', ConnectionArn: 'invalid-connection-arn', InvocationEndpoint: 'https://x.example.com', HttpMethod: 'INVALID_METHOD' as never })),
      'ValidationException', 400,
      "2 validation errors detected: Value 'invalid-connection-arn' at 'connectionArn' failed to satisfy constraint: Member must satisfy regular expression pattern: " +
      "^arn:aws([a-z]|\\-)*:events:([a-z]|\\d|\\-)*:([0-9]{12})?:connection\\/[\\.\\-_A-Za-z0-9]+\\/[\\-A-Za-z0-9]+$; " +
      "Value 'INVALID_METHOD' at 'httpMethod' failed to satisfy constraint: Member must satisfy enum value set: [HEAD, POST, PATCH, DELETE, PUT, GET, OPTIONS]");
    const unknown = keyArn.replace(/\/key\//, '/gone/');
    await expectError(eb.send(new CreateApiDestinationCommand({ Name: 'orphan', ConnectionArn: unknown, InvocationEndpoint: 'https://x.example.com', HttpMethod: 'POST' })),
      'ResourceNotFoundException', 400, "Failed to describe the connection(s). Connection 'gone' does not exist.");
    await expectError(eb.send(new CreateApiDestinationCommand({ Name: 'plain', ConnectionArn: keyArn, InvocationEndpoint: 'http://hooks.example.com/x', HttpMethod: 'POST' })),
      'ValidationException', 400, /^Parameter InvocationEndpoint is not valid\./);
    await expectError(eb.send(new CreateApiDestinationCommand({ Name: 'slow', ConnectionArn: keyArn, InvocationEndpoint: 'https://x.example.com', HttpMethod: 'POST', InvocationRateLimitPerSecond: 0 })),
      'ValidationException', 400, "1 validation error detected: Value '0' at 'invocationRateLimitPerSecond' failed to satisfy constraint: Member must have value greater than or equal to 1");
    await expectError(eb.send(new DescribeApiDestinationCommand({ Name: 'nope' })), 'ResourceNotFoundException', 400, "Failed to describe the api-destination(s). An api-destination 'nope' does not exist.");
  });

  test('DeleteApiDestination and DeleteConnection', async () => {
    await eb.send(new DeleteApiDestinationCommand({ Name: 'local' }));
    await expectError(eb.send(new DeleteApiDestinationCommand({ Name: 'local' })), 'ResourceNotFoundException', 400, "Failed to describe the api-destination(s). An api-destination 'local' does not exist.");
    const d = await eb.send(new DeleteConnectionCommand({ Name: 'basic' }));
    assert.match(d.ConnectionArn!, CONNECTION_ARN);
    assert.equal(d.ConnectionState, 'DELETING');
    await expectError(eb.send(new DescribeConnectionCommand({ Name: 'basic' })), 'ResourceNotFoundException', 400, "Failed to describe the connection(s). Connection 'basic' does not exist.");
    await expectError(eb.send(new DeleteConnectionCommand({ Name: 'basic' })), 'ResourceNotFoundException', 400, "Failed to describe the connection(s). Connection 'basic' does not exist.");
  });
});

describe('CloudTrail events of EventBridge calls', () => {
  test('PutRule is a write event of events.amazonaws.com about the rule; DescribeRule and TestEventPattern are read-only', async () => {
    const put = await eb.send(new PutRuleCommand({ Name: 'audited', EventPattern: PATTERN }));
    const e = await waitForEvent(server.dataDir, { requestId: put.$metadata.requestId });
    assert.equal(e.record.eventSource, 'events.amazonaws.com');
    assert.equal(e.record.eventName, 'PutRule');
    assert.equal(e.record.readOnly, false);
    assert.equal(e.record.awsRegion, REGION);
    assert.deepEqual(e.record.requestParameters, { name: 'audited', eventPattern: PATTERN });
    assert.deepEqual(e.record.responseElements, { ruleArn: ruleArn('audited') });
    const described = await eb.send(new DescribeRuleCommand({ Name: 'audited' }));
    assert.equal((await waitForEvent(server.dataDir, { requestId: described.$metadata.requestId })).record.readOnly, true);
    const tested = await eb.send(new TestEventPatternCommand({ EventPattern: PATTERN, Event: JSON.stringify({ id: '1', account: ACCOUNT, source: 's', time: 't', region: REGION, 'detail-type': 'd' }) }));
    assert.equal((await waitForEvent(server.dataDir, { requestId: tested.$metadata.requestId })).record.readOnly, true);
    const sent = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'my.app', DetailType: 'x', Detail: '{}' }] }));
    assert.equal((await waitForEvent(server.dataDir, { requestId: sent.$metadata.requestId })).record.readOnly, false);

    const ct = new CloudTrailClient({ endpoint: server.url, region: REGION, credentials: CREDS, maxAttempts: 1 });
    clients.push(ct);
    const found = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: ruleArn('audited') }] }));
    assert.deepEqual(found.Events?.map((x) => [x.EventName, x.EventSource, x.Resources?.[0]?.ResourceType]), [
      ['DescribeRule', 'events.amazonaws.com', 'AWS::Events::Rule'],
      ['PutRule', 'events.amazonaws.com', 'AWS::Events::Rule'],
    ]);
  });

  test('a failed call is recorded with its error', async () => {
    const err = await expectError(eb.send(new DescribeRuleCommand({ Name: 'never' })), 'ResourceNotFoundException', 400);
    const e = await waitForEvent(server.dataDir, { requestId: (err as unknown as { $metadata: { requestId: string } }).$metadata.requestId });
    assert.equal(e.record.errorCode, 'ResourceNotFoundException');
    assert.equal(e.record.errorMessage, 'Rule never does not exist on EventBus default.');
  });
});
