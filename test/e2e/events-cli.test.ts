/**
 * The EventBridge API through the real AWS CLI v2 (/usr/bin/aws): put-rule with an event
 * pattern and a schedule, describe-rule, list-rules with the CLI's own paging, put-targets in
 * shorthand and JSON, list-targets-by-rule, remove-targets, test-event-pattern, put-events,
 * create-connection with --auth-parameters, create-api-destination, and errors as the CLI
 * reports them. Each CLI run costs about a second of Python start-up, so calls are few.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { assertCliError, awsCli, type AwsCli } from '../helpers/aws-cli.ts';
import { ACCOUNT } from '../helpers/acm.ts';
import { waitForEvent } from '../helpers/events.ts';

const REGION = 'us-east-1';
const PATTERN = '{"source":["my.app"],"detail":{"status":["placed"]}}';
const QUEUE = `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`;

let server: RunningServer;
let aws: AwsCli;

before(async () => {
  server = await startServer();
  aws = awsCli(server.url);
});
after(async () => {
  await server?.dispose();
});

describe('rules and targets', () => {
  test('put-rule, describe-rule and list-rules (the CLI pages through --max-items)', async () => {
    const r = await aws.json('events', 'put-rule', '--name', 'cli-orders', '--event-pattern', PATTERN, '--description', 'from the CLI');
    assert.deepEqual(r, { RuleArn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/cli-orders` });
    await aws.json('events', 'put-rule', '--name', 'cli-nightly', '--schedule-expression', 'rate(1 day)', '--state', 'DISABLED');
    const d = await aws.json('events', 'describe-rule', '--name', 'cli-orders');
    assert.deepEqual(d, {
      Name: 'cli-orders', Arn: r.RuleArn, EventPattern: PATTERN, State: 'ENABLED', Description: 'from the CLI', EventBusName: 'default', CreatedBy: ACCOUNT,
    });
    const page = await aws.json('events', 'list-rules', '--name-prefix', 'cli-', '--max-items', '1');
    assert.deepEqual(page.Rules.map((x: any) => x.Name), ['cli-nightly']);
    assert.ok(page.NextToken);
    const rest = await aws.json('events', 'list-rules', '--name-prefix', 'cli-', '--max-items', '1', '--starting-token', page.NextToken);
    assert.deepEqual(rest.Rules.map((x: any) => x.Name), ['cli-orders']);
    const all = await aws.json('events', 'list-rules', '--page-size', '1');
    assert.deepEqual(all.Rules.map((x: any) => [x.Name, x.State]), [['cli-nightly', 'DISABLED'], ['cli-orders', 'ENABLED']]);
  });

  test('put-targets in shorthand and in JSON; list-targets-by-rule; remove-targets', async () => {
    const short = await aws.json('events', 'put-targets', '--rule', 'cli-orders', '--targets', `Id=queue,Arn=${QUEUE}`);
    assert.deepEqual(short, { FailedEntryCount: 0, FailedEntries: [] });
    const transformed = {
      Id: 'shaped',
      Arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/certtrail/orders`,
      InputTransformer: { InputPathsMap: { status: '$.detail.status' }, InputTemplate: '{"status": <status>}' },
      RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 },
      DeadLetterConfig: { Arn: `${QUEUE}-dlq` },
    };
    await aws.json('events', 'put-targets', '--rule', 'cli-orders', '--targets', JSON.stringify([transformed]));
    const listed = await aws.json('events', 'list-targets-by-rule', '--rule', 'cli-orders');
    assert.deepEqual(listed, { Targets: [{ Id: 'queue', Arn: QUEUE }, transformed] });
    const removed = await aws.json('events', 'remove-targets', '--rule', 'cli-orders', '--ids', 'queue');
    assert.deepEqual(removed, { FailedEntryCount: 0, FailedEntries: [] });
    assert.deepEqual((await aws.json('events', 'list-targets-by-rule', '--rule', 'cli-orders')).Targets.map((t: any) => t.Id), ['shaped']);
  });

  test('errors as the CLI reports them', async () => {
    assertCliError(await aws.run('events', 'describe-rule', '--name', 'nope'), 'ResourceNotFoundException', 'DescribeRule', 'Rule nope does not exist on EventBus default.');
    assertCliError(await aws.run('events', 'put-rule', '--name', 'bad name', '--event-pattern', PATTERN), 'ValidationException', 'PutRule',
      "1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+");
    assertCliError(await aws.run('events', 'put-rule', '--name', 'bad', '--schedule-expression', 'rate(5 weeks)'), 'ValidationException', 'PutRule', 'Parameter ScheduleExpression is not valid.');
    assertCliError(await aws.run('events', 'put-rule', '--name', 'bad', '--event-pattern', '{"source": "my.app"}'), 'InvalidEventPatternException', 'PutRule');
    assertCliError(await aws.run('events', 'delete-rule', '--name', 'cli-orders'), 'ValidationException', 'DeleteRule', "Rule can't be deleted since it has targets.");
    assertCliError(await aws.run('events', 'put-targets', '--rule', 'cli-orders', '--targets', 'Id=x,Arn=not-an-arn'), 'ValidationException', 'PutTargets',
      'Parameter not-an-arn is not valid. Reason: Provided Arn is not in correct format.');
  });

  test('the CloudTrail event of put-rule', async () => {
    const e = await waitForEvent(server.dataDir, { eventName: 'PutRule' });
    assert.equal(e.record.eventSource, 'events.amazonaws.com');
    assert.equal(e.record.readOnly, false);
    assert.match(e.record.userAgent, /^aws-cli\/2/);
    assert.equal(e.record.requestParameters.name, 'cli-orders');
  });
});

describe('events and patterns', () => {
  test('test-event-pattern', async () => {
    const event = JSON.stringify({ id: '1', account: ACCOUNT, source: 'my.app', time: '2026-01-01T00:00:00Z', region: REGION, resources: [], 'detail-type': 'Order', detail: { status: 'placed' } });
    assert.deepEqual(await aws.json('events', 'test-event-pattern', '--event-pattern', PATTERN, '--event', event), { Result: true });
    assert.deepEqual(await aws.json('events', 'test-event-pattern', '--event-pattern', '{"source":["other"]}', '--event', event), { Result: false });
    assertCliError(await aws.run('events', 'test-event-pattern', '--event-pattern', PATTERN, '--event', '{"source": "my.app"}'), 'ValidationException', 'TestEventPattern', 'Parameter Event is not valid.');
  });

  test('put-events answers per entry', async () => {
    const r = await aws.json('events', 'put-events', '--entries', JSON.stringify([
      { Source: 'my.app', DetailType: 'Order', Detail: '{"status":"placed"}' },
      { Source: 'aws.s3', DetailType: 'Order', Detail: '{}' },
    ]));
    assert.equal(r.FailedEntryCount, 1);
    assert.match(r.Entries[0].EventId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(r.Entries[1], { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' });
  });
});

describe('connections and API destinations', () => {
  test('create-connection with --auth-parameters, describe-connection, create-api-destination', async () => {
    const c = await aws.json('events', 'create-connection', '--name', 'cli-key', '--authorization-type', 'API_KEY',
      '--auth-parameters', JSON.stringify({ ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'cli-secret-value' } }));
    assert.match(c.ConnectionArn, new RegExp(`^arn:aws:events:${REGION}:${ACCOUNT}:connection/cli-key/[0-9a-f-]{36}$`));
    assert.equal(c.ConnectionState, 'AUTHORIZED');
    const basic = await aws.json('events', 'create-connection', '--name', 'cli-basic', '--authorization-type', 'BASIC',
      '--auth-parameters', 'BasicAuthParameters={Username=u,Password=cli-secret-value}');
    assert.equal(basic.ConnectionState, 'AUTHORIZED');
    const d = await aws.run('events', 'describe-connection', '--name', 'cli-key');
    assert.equal(d.code, 0);
    assert.ok(!d.stdout.includes('cli-secret-value'));
    assert.deepEqual(JSON.parse(d.stdout).AuthParameters, { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' } });

    const a = await aws.json('events', 'create-api-destination', '--name', 'cli-hook', '--connection-arn', c.ConnectionArn,
      '--invocation-endpoint', 'https://hooks.example.com/orders', '--http-method', 'POST', '--invocation-rate-limit-per-second', '10');
    assert.match(a.ApiDestinationArn, new RegExp(`^arn:aws:events:${REGION}:${ACCOUNT}:api-destination/cli-hook/[0-9a-f-]{36}$`));
    assert.equal(a.ApiDestinationState, 'ACTIVE');
    const listed = await aws.json('events', 'list-api-destinations');
    assert.deepEqual(listed.ApiDestinations.map((x: any) => [x.Name, x.InvocationRateLimitPerSecond, x.ConnectionArn]), [['cli-hook', 10, c.ConnectionArn]]);

    assertCliError(await aws.run('events', 'create-connection', '--name', 'cli-key', '--authorization-type', 'API_KEY',
      '--auth-parameters', JSON.stringify({ ApiKeyAuthParameters: { ApiKeyName: 'x', ApiKeyValue: 'y' } })), 'ResourceAlreadyExistsException', 'CreateConnection', 'Connection cli-key already exists.');
    assertCliError(await aws.run('events', 'describe-api-destination', '--name', 'nope'), 'ResourceNotFoundException', 'DescribeApiDestination',
      "Failed to describe the api-destination(s). An api-destination 'nope' does not exist.");
    const e = await waitForEvent(server.dataDir, { eventName: 'CreateConnection' });
    assert.ok(!e.raw.includes('cli-secret-value'));
  });
});
