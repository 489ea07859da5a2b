/**
 * EventBridge event patterns, table-driven: each example of AWS's EventBridge user guide pages on
 * patterns ("Creating event patterns", "Comparison operators for use in event patterns",
 * "Content filtering in Amazon EventBridge event patterns" and its earlier edition, "Arrays",
 * "Matching null values and empty strings"), the aws/event-ruler README examples for the same
 * operators, and the AWS Compute Blog's wildcard examples; each with events it must and must
 * not match. Where a page shows no event, the events are ours, built to the page's description
 * ("Region is not in the US"). Then invalid patterns with the full InvalidEventPatternException
 * message: the first three are messages AWS returned (quoted in public issues), the rest follow
 * event-ruler's compilers and Jackson's parser, whose position the message reports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidEventPatternError, matchAll, matches, parsePattern } from './pattern.ts';
import { cloudTrailEnvelope } from './envelope.ts';

const OPERATORS = 'UG "Comparison operators for use in event patterns"';
const FILTERING = 'UG "Content filtering in Amazon EventBridge event patterns"';
const FILTERING_OLD = 'UG "Content-based Filtering with Event Patterns" (earlier edition)';
const CREATING = 'UG "Creating event patterns"';
const ARRAYS = 'UG "Arrays in Amazon EventBridge event patterns"';
const NULLS = 'UG "Matching null values and empty strings"';
const RULER = 'event-ruler README';
const RULER_CODE = 'event-ruler source';
const BLOG = 'AWS Compute Blog "Filtering events … with wildcard pattern matching"';

type Json = Record<string, unknown>;
interface Case {
  source: string;
  what: string;
  /** An object, or the JSON text where the text matters (a repeated key, a number's spelling). */
  pattern: Json | string;
  match: Json[];
  miss: Json[];
}

// ---------------------------------------------------------------- events of the pages

/** "Creating event patterns": an Amazon EC2 state change. */
const EC2_TERMINATED = {
  version: '0', id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718', 'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2', account: '111122223333', time: '2017-12-22T18:43:48Z', region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};
/** "Creating event patterns" and "Matching null values": an Auto Scaling launch. */
const AUTOSCALING = {
  version: '0', id: '3e3c153a-8339-4e30-8c35-687ebef853fe', 'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling', account: '123456789012', time: '2015-11-11T21:31:47Z', region: 'us-east-1',
  resources: [], detail: { eventVersion: '', responseElements: null },
};
/** "Creating event patterns": a Macie alert (as the page shows it, truncated). */
const MACIE = {
  version: '0', id: '3e355723-fca9-4de3-9fd7-154c289d6b59', 'detail-type': 'Macie Alert', source: 'aws.macie',
  account: '123456789012', time: '2017-04-24T22:28:49Z', region: 'us-east-1',
  resources: ['arn:aws:macie:us-east-1:123456789012:trigger/trigger_id/alert/alert_id', 'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id'],
  detail: {
    'notification-type': 'ALERT_CREATED', name: 'Scanning bucket policies', tags: ['Custom_Alert', 'Insider'],
    url: 'https://lb00.us-east-1.macie.aws.amazon.com/111122223333/posts/alert_id',
    'alert-arn': 'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id/alert/alert_', 'risk-score': 80,
    trigger: { 'rule-arn': 'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id', 'alert-type': 'basic', 'created-at': '2017-01-02 19:54:00.644000', risk: 8 },
    'created-at': '2017-04-18T00:21:12.059000',
  },
};
/** "Content filtering": the EC2 event of the exists example. */
const EC2_PENDING = {
  version: '0', id: '7bf73129-1428-4cd3-a780-95db273d1602', 'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2', account: '123456789012', time: '2015-11-11T21:29:54Z', region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'], detail: { 'instance-id': 'i-abcd1111', state: 'pending' },
};
/** "Content filtering": the event without detail.state. */
const EC2_NO_STATE = {
  'detail-type': ['EC2 Instance State-change Notification'], resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
  detail: { 'c-count': { c1: 100 } },
};
/** The event-ruler README's sample event. */
const RULER_EVENT = {
  version: '0', id: 'ddddd4-aaaa-7777-4444-345dd43cc333', 'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2', account: '012345679012', time: '2017-10-02T16:24:49Z', region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.33', 'instance-id': 'i-000000aaaaaa00000', state: 'running' },
};
/** The README's (and the earlier guide's) events for exists:false, state an array. */
const RULER_EXISTS_1 = {
  'detail-type': ['EC2 Instance State-change Notification'], resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: { state: ['initializing', 'running'] },
};
const RULER_EXISTS_2 = { ...RULER_EXISTS_1, detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } } };
const EMPLOYEES = { employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }, { firstName: 'Peter', lastName: 'Jones' }] };
const EMPLOYEES_NESTED = { employees: [[{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }], [{ firstName: 'Peter', lastName: 'Jones' }]] };

const withDetail = <T extends Json>(e: T, detail: Json) => ({ ...e, detail: { ...(e.detail as Json), ...detail } });
const cw = (x: Json) => ({ source: 'aws.cloudwatch', ...x });

const CASES: Case[] = [
  // ------------------------------------------------------------ Creating event patterns
  {
    source: CREATING, what: 'source, detail-type and detail.state must all match',
    pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } },
    match: [EC2_TERMINATED],
    miss: [withDetail(EC2_TERMINATED, { state: 'running' }), { ...EC2_TERMINATED, source: 'aws.s3' }, { detail: { state: 'terminated' } }],
  },
  {
    source: CREATING, what: 'a value array is an OR: source aws.ec2 or aws.fargate',
    pattern: { source: ['aws.ec2', 'aws.fargate'] },
    match: [EC2_TERMINATED, { source: 'aws.fargate' }],
    miss: [{ source: 'aws.s3' }, { source: 'AWS.EC2' }, {}],
  },
  {
    source: CREATING, what: 'field matching: responseElements is null',
    pattern: { source: ['aws.autoscaling'], 'detail-type': ['EC2 Instance Launch Successful'], detail: { responseElements: [null] } },
    match: [AUTOSCALING],
    miss: [withDetail(AUTOSCALING, { responseElements: '' }), withDetail(AUTOSCALING, { responseElements: 'null' }), { ...AUTOSCALING, detail: {} }],
  },
  {
    source: CREATING, what: 'value matching: risk score 80 and trigger risk 8',
    pattern: { source: ['aws.macie'], 'detail-type': ['Macie Alert'], detail: { 'risk-score': [80], trigger: { risk: [8] } } },
    match: [MACIE],
    miss: [withDetail(MACIE, { 'risk-score': 79 }), withDetail(MACIE, { 'risk-score': '80' }), withDetail(MACIE, { trigger: { risk: 9 } })],
  },
  {
    // The earlier guide said 300, 300.0 and 3.0e2 are not equal; event-ruler (what EventBridge
    // runs) adds a numeric match for every number in a pattern, so they are.
    source: RULER_CODE, what: 'numbers compare as numbers: 3.0e2 matches 300 (JsonRuleCompiler numericEquals)',
    pattern: '{"price": [3.0e2], "qty": [300.0]}',
    match: [{ price: 300, qty: 300 }, { price: 300.0, qty: 3e2 }],
    miss: [{ price: 300.000001, qty: 300 }, { price: '300', qty: 300 }],
  },
  {
    source: RULER_CODE, what: 'numbers beyond ±5e9 (account ids) still match by value',
    pattern: '{"account": [123456789012]}',
    match: [{ account: 123456789012 }],
    miss: [{ account: '123456789012' }, { account: 123456789013 }],
  },
  // ------------------------------------------------------------ Arrays
  {
    source: ARRAYS, what: 'an event array matches when it intersects the pattern array',
    pattern: { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f', 'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] },
    match: [{ resources: ['arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate', 'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] }],
    miss: [{ resources: ['arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate'] }, { resources: [] }],
  },
  // ------------------------------------------------------------ Null values and empty strings
  {
    source: NULLS, what: 'an empty string matches only an empty string',
    pattern: { detail: { eventVersion: [''] } },
    match: [AUTOSCALING],
    miss: [withDetail(AUTOSCALING, { eventVersion: null }), withDetail(AUTOSCALING, { eventVersion: '1.0' })],
  },
  {
    source: NULLS, what: 'null matches only null',
    pattern: { detail: { responseElements: [null] } },
    match: [AUTOSCALING],
    miss: [withDetail(AUTOSCALING, { responseElements: '' }), { ...AUTOSCALING, detail: { eventVersion: '' } }],
  },
  // ------------------------------------------------------------ Comparison operators (table)
  {
    source: OPERATORS, what: 'And: Location is "New York" and Day is "Monday"',
    pattern: { Location: ['New York'], Day: ['Monday'] },
    match: [{ Location: 'New York', Day: 'Monday' }],
    miss: [{ Location: 'New York', Day: 'Tuesday' }, { Location: 'Boston', Day: 'Monday' }, { Location: 'New York' }],
  },
  {
    source: OPERATORS, what: 'Anything-but: state is any value besides "initializing"',
    pattern: { state: [{ 'anything-but': 'initializing' }] },
    match: [{ state: 'running' }, { state: 'Initializing' }],
    miss: [{ state: 'initializing' }, {}],
  },
  {
    source: OPERATORS, what: 'Anything-but (begins with): Region is not in the US',
    pattern: { Region: [{ 'anything-but': { prefix: 'us-' } }] },
    match: [{ Region: 'eu-west-1' }, { Region: 'ap-south-1' }],
    miss: [{ Region: 'us-east-1' }, { Region: 'us-gov-west-1' }],
  },
  {
    source: OPERATORS, what: 'Anything-but (ends with): FileName does not end with .png',
    pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    match: [{ FileName: 'photo.jpg' }, { FileName: 'photo.PNG' }],
    miss: [{ FileName: 'photo.png' }],
  },
  {
    // The table prints this one with a typo ("state": : [...]}); this is the pattern it means.
    source: OPERATORS, what: 'Anything-but (ignore case): state besides "initializing" in any casing',
    pattern: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
    match: [{ state: 'running' }],
    miss: [{ state: 'initializing' }, { state: 'INITIALIZING' }, { state: 'Initializing' }],
  },
  {
    source: OPERATORS, what: 'Anything-but using a wildcard: FilePath does not include /lib/',
    pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    match: [{ FilePath: '/usr/bin/app' }, { FilePath: 'lib/app' }],
    miss: [{ FilePath: '/usr/lib/app' }, { FilePath: 'x/lib/' }],
  },
  {
    source: OPERATORS, what: 'Begins with: Region is in the US',
    pattern: { Region: [{ prefix: 'us-' }] },
    match: [{ Region: 'us-east-1' }],
    miss: [{ Region: 'eu-west-1' }, { Region: 'US-EAST-1' }],
  },
  {
    source: OPERATORS, what: 'Begins with (ignore case): service starts with "eventb"',
    pattern: { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] },
    match: [{ service: 'EventBridge' }, { service: 'EVENTBRIDGE' }, { service: 'eventb' }],
    miss: [{ service: 'Events' }, { service: 'MyEventBridge' }],
  },
  {
    source: OPERATORS, what: 'Empty: LastName is empty',
    pattern: { LastName: [''] },
    match: [{ LastName: '' }],
    miss: [{ LastName: 'Smith' }, { LastName: null }, {}],
  },
  {
    source: OPERATORS, what: 'Equals: Name is "Alice"',
    pattern: { Name: ['Alice'] },
    match: [{ Name: 'Alice' }, { Name: ['Bob', 'Alice'] }],
    miss: [{ Name: 'alice' }, { Name: 'Alice ' }],
  },
  {
    source: OPERATORS, what: 'Equals (ignore case): Name is "Alice"',
    pattern: { Name: [{ 'equals-ignore-case': 'alice' }] },
    match: [{ Name: 'Alice' }, { Name: 'ALICE' }, { Name: 'alice' }],
    miss: [{ Name: 'Alicia' }, { Name: 'Alic' }],
  },
  {
    source: OPERATORS, what: 'Ends with: FileName ends with .png',
    pattern: { FileName: [{ suffix: '.png' }] },
    match: [{ FileName: 'image.png' }],
    miss: [{ FileName: 'image.PNG' }, { FileName: 'image.jpg' }],
  },
  {
    source: OPERATORS, what: 'Ends with (ignore case): service ends with "tbridge"',
    pattern: { service: [{ suffix: { 'equals-ignore-case': 'tBridge' } }] },
    match: [{ service: 'EventBridge' }, { service: 'EVENTBRIDGE' }],
    miss: [{ service: 'EventBus' }, { service: 'bridge' }],
  },
  {
    source: OPERATORS, what: 'Exists: ProductName exists (any leaf value, null included)',
    pattern: { ProductName: [{ exists: true }] },
    match: [{ ProductName: 'widget' }, { ProductName: null }, { ProductName: 0 }],
    miss: [{}, { ProductName: { name: 'widget' } }, { ProductName: [] }],
  },
  {
    source: OPERATORS, what: 'Does not exist: ProductName does not exist',
    pattern: { ProductName: [{ exists: false }] },
    match: [{}, { Other: 1 }, { ProductName: { name: 'widget' } }],
    miss: [{ ProductName: 'widget' }, { ProductName: null }],
  },
  {
    source: OPERATORS, what: 'Not: Weather is anything but "Raining"',
    pattern: { Weather: [{ 'anything-but': ['Raining'] }] },
    match: [{ Weather: 'Sunny' }],
    miss: [{ Weather: 'Raining' }],
  },
  {
    source: OPERATORS, what: 'Null: UserID is null',
    pattern: { UserID: [null] },
    match: [{ UserID: null }],
    miss: [{ UserID: 'null' }, { UserID: '' }, {}],
  },
  {
    source: OPERATORS, what: 'Numeric (equals): Price is 100',
    pattern: { Price: [{ numeric: ['=', 100] }] },
    match: [{ Price: 100 }, { Price: 100.0 }],
    miss: [{ Price: 100.5 }, { Price: '100' }, { Price: 99 }],
  },
  {
    source: OPERATORS, what: 'Numeric (range): Price is more than 10 and at most 20',
    pattern: { Price: [{ numeric: ['>', 10, '<=', 20] }] },
    match: [{ Price: 20 }, { Price: 10.000001 }, { Price: 15 }],
    miss: [{ Price: 10 }, { Price: 20.000001 }, { Price: '15' }],
  },
  {
    source: OPERATORS, what: 'Or: PaymentType is "Credit" or "Debit"',
    pattern: { PaymentType: ['Credit', 'Debit'] },
    match: [{ PaymentType: 'Credit' }, { PaymentType: 'Debit' }],
    miss: [{ PaymentType: 'Cash' }],
  },
  {
    source: OPERATORS, what: 'Or (multiple fields): Location is "New York", or Day is "Monday"',
    pattern: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
    match: [{ Location: 'New York', Day: 'Tuesday' }, { Location: 'Boston', Day: 'Monday' }, { Day: 'Monday' }],
    miss: [{ Location: 'Boston', Day: 'Friday' }, {}],
  },
  {
    source: OPERATORS, what: 'Wildcard: any .png file within the folder "dir"',
    pattern: { FileName: [{ wildcard: 'dir/*.png' }] },
    match: [{ FileName: 'dir/a.png' }, { FileName: 'dir/sub/a.png' }, { FileName: 'dir/.png' }],
    miss: [{ FileName: 'dir/a.jpg' }, { FileName: 'other/a.png' }, { FileName: 'dir/a.png.bak' }],
  },
  // ------------------------------------------------------------ Content filtering
  {
    source: FILTERING, what: 'prefix matching on time',
    pattern: { time: [{ prefix: '2017-10-02' }] },
    match: [{ time: '2017-10-02T18:43:48Z' }],
    miss: [{ time: '2017-10-03T18:43:48Z' }, { time: 20171002 }],
  },
  {
    source: FILTERING, what: 'prefix matching while ignoring case: service begins with EventB',
    pattern: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
    match: [{ service: 'EventBridge' }, { service: 'EVENTBRIDGE' }, { service: 'eventbridge' }],
    miss: [{ service: 'Event' }, { service: 'SNS' }],
  },
  {
    source: FILTERING, what: 'suffix matching: FileName ends with .png',
    pattern: { FileName: [{ suffix: '.png' }] },
    match: [{ FileName: 'photo.png' }, { FileName: '.png' }],
    miss: [{ FileName: 'photo.png.txt' }],
  },
  {
    source: FILTERING, what: 'suffix matching while ignoring case: .png in any casing',
    pattern: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] },
    match: [{ FileName: 'photo.png' }, { FileName: 'photo.PNG' }, { FileName: 'photo.Png' }],
    miss: [{ FileName: 'photo.jpg' }],
  },
  {
    source: FILTERING, what: 'anything-but with a string',
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    match: [RULER_EVENT, EC2_PENDING],
    miss: [withDetail(RULER_EVENT, { state: 'initializing' })],
  },
  {
    source: FILTERING, what: 'anything-but with a number',
    pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    match: [RULER_EVENT, withDetail(RULER_EVENT, { 'x-limit': '123' })],
    miss: [withDetail(RULER_EVENT, { 'x-limit': 123 }), withDetail(RULER_EVENT, { 'x-limit': 123.0 })],
  },
  {
    source: FILTERING, what: 'anything-but with a list of strings',
    pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    match: [RULER_EVENT],
    miss: [withDetail(RULER_EVENT, { state: 'stopped' }), withDetail(RULER_EVENT, { state: 'overloaded' })],
  },
  {
    source: FILTERING, what: 'anything-but with a list of numbers',
    pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    match: [RULER_EVENT],
    miss: [withDetail(RULER_EVENT, { 'x-limit': 200 }), withDetail(RULER_EVENT, { 'x-limit': 300.0 })],
  },
  {
    source: FILTERING, what: 'anything-but a prefix: state does not begin with "init"',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    match: [RULER_EVENT],
    miss: [withDetail(RULER_EVENT, { state: 'initializing' }), withDetail(RULER_EVENT, { state: 'init' })],
  },
  {
    source: FILTERING, what: 'anything-but a suffix: FileName does not end with .txt',
    pattern: { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } },
    match: [{ detail: { FileName: 'notes.md' } }],
    miss: [{ detail: { FileName: 'notes.txt' } }],
  },
  {
    source: FILTERING, what: 'anything-but ignoring case, a list',
    pattern: { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] } },
    match: [{ detail: { state: 'running' } }],
    miss: [{ detail: { state: 'stopped' } }, { detail: { state: 'STOPPED' } }, { detail: { state: 'overloaded' } }],
  },
  {
    source: FILTERING, what: 'anything-but a wildcard, and a list of them',
    pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } },
    match: [{ detail: { FilePath: '/usr/share/app' } }],
    miss: [{ detail: { FilePath: '/usr/lib/app' } }, { detail: { FilePath: '/usr/bin/app' } }],
  },
  {
    source: FILTERING, what: 'numeric matching: every field must hold',
    pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } },
    match: [RULER_EVENT],
    miss: [withDetail(RULER_EVENT, { 'c-count': 0 }), withDetail(RULER_EVENT, { 'd-count': 10 }), withDetail(RULER_EVENT, { 'x-limit': 301.9 }), withDetail(RULER_EVENT, { 'c-count': '5' })],
  },
  {
    source: FILTERING, what: 'IP address matching: 10.0.0.0/24',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    match: [{ detail: { sourceIPAddress: '10.0.0.0' } }, { detail: { sourceIPAddress: '10.0.0.255' } }],
    miss: [{ detail: { sourceIPAddress: '10.0.1.0' } }, { detail: { sourceIPAddress: '9.255.255.255' } }, { detail: { sourceIPAddress: 'example.com' } }, { detail: { sourceIPAddress: 167772161 } }],
  },
  {
    source: FILTERING, what: 'IP address matching also works with IPv6',
    pattern: { detail: { sourceIPAddress: [{ cidr: '2001:db8::/32' }] } },
    match: [{ detail: { sourceIPAddress: '2001:db8::1' } }, { detail: { sourceIPAddress: '2001:DB8:FFFF:0:0:0:0:1' } }],
    miss: [{ detail: { sourceIPAddress: '2001:db9::1' } }, { detail: { sourceIPAddress: '10.0.0.1' } }],
  },
  {
    source: FILTERING, what: 'exists matching: detail.state exists',
    pattern: { detail: { state: [{ exists: true }] } },
    match: [EC2_PENDING],
    miss: [EC2_NO_STATE],
  },
  {
    source: FILTERING, what: 'equals-ignore-case matching on detail-type',
    pattern: { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
    match: [EC2_PENDING, { 'detail-type': 'EC2 INSTANCE STATE-CHANGE NOTIFICATION' }],
    miss: [AUTOSCALING],
  },
  {
    source: FILTERING, what: 'wildcard matching on an event bus ARN',
    pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    match: [{ EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' }],
    miss: [{ EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/default' }, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:rule/x' }],
  },
  {
    source: FILTERING, what: 'complex example: prefix, anything-but and numeric together',
    pattern: {
      time: [{ prefix: '2017-10-02' }],
      detail: { state: [{ 'anything-but': 'initializing' }], 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ 'anything-but': [100, 200, 300] }] },
    },
    match: [RULER_EVENT],
    miss: [{ ...RULER_EVENT, time: '2017-10-03T00:00:00Z' }, withDetail(RULER_EVENT, { state: 'initializing' }), withDetail(RULER_EVENT, { 'x-limit': 300 })],
  },
  {
    source: FILTERING, what: 'a key given twice: only the last is used',
    pattern: '{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}',
    match: [{ detail: { location: 'eu-west-1' } }, { detail: { location: 'us-west-2' } }],
    miss: [{ detail: { location: 'us-east' } }],
  },
  {
    // The page's pattern for $or across fields (also in event-ruler's JsonRuleCompiler).
    source: FILTERING, what: 'complex example with $or: c-count, d-count or x-limit',
    pattern: { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }] } },
    match: [RULER_EVENT, { detail: { 'c-count': 1 } }, { detail: { 'd-count': 9 } }, { detail: { 'x-limit': 301.8 } }],
    miss: [{ detail: { 'c-count': 6, 'd-count': 10, 'x-limit': 301 } }, { detail: {} }],
  },
  // ------------------------------------------------------------ Content filtering, earlier edition
  {
    source: FILTERING_OLD, what: 'Auto Scaling events from European regions',
    pattern: { source: ['aws.autoscaling'], region: [{ prefix: 'eu-' }] },
    match: [{ ...AUTOSCALING, region: 'eu-west-1' }],
    miss: [AUTOSCALING, { ...EC2_PENDING, region: 'eu-west-1' }],
  },
  {
    source: FILTERING_OLD, what: 'everything but CloudTrail reports of API calls',
    pattern: { 'detail-type': [{ 'anything-but': 'AWS API Call via CloudTrail' }] },
    match: [EC2_PENDING],
    miss: [{ 'detail-type': 'AWS API Call via CloudTrail' }],
  },
  {
    source: FILTERING_OLD, what: 'everything but events from Amazon EC2 or Amazon S3',
    pattern: { source: [{ 'anything-but': ['aws.ec2', 'aws.s3'] }] },
    match: [AUTOSCALING],
    miss: [EC2_PENDING, { source: 'aws.s3' }],
  },
  {
    source: FILTERING_OLD, what: 'only your own events: source does not begin with "aws."',
    pattern: { source: [{ 'anything-but': { prefix: 'aws.' } }] },
    match: [{ source: 'com.example.orders' }],
    miss: [EC2_PENDING],
  },
  {
    source: FILTERING_OLD, what: 'exists:false on detail.c-count, which is no leaf in the second event',
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    match: [RULER_EXISTS_1, RULER_EXISTS_2],
    miss: [RULER_EVENT],
  },
  {
    // The page writes this one with a trailing comma, which EventBridge refuses; without it.
    source: FILTERING_OLD, what: 'events that have a description field',
    pattern: { detail: { description: [{ exists: true }] } },
    match: [{ detail: { description: 'text' } }],
    miss: [{ detail: {} }],
  },
  // ------------------------------------------------------------ event-ruler README
  {
    source: RULER, what: 'simple matching: detail-type, resources and detail.state',
    pattern: { 'detail-type': ['EC2 Instance State-change Notification'], resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'], detail: { state: ['initializing', 'running'] } },
    match: [RULER_EVENT, withDetail(RULER_EVENT, { state: 'initializing' })],
    miss: [withDetail(RULER_EVENT, { state: 'stopped' }), { ...RULER_EVENT, resources: [] }],
  },
  {
    source: RULER, what: 'suffix matching on source',
    pattern: { source: [{ suffix: 'ec2' }] },
    match: [RULER_EVENT],
    miss: [AUTOSCALING],
  },
  {
    source: RULER, what: 'equals-ignore-case matching',
    pattern: { source: [{ 'equals-ignore-case': 'EC2' }] },
    match: [{ source: 'ec2' }, { source: 'Ec2' }],
    miss: [RULER_EVENT],
  },
  {
    source: RULER, what: 'wildcard matching: Simple*Service',
    pattern: { source: [{ wildcard: 'Simple*Service' }] },
    match: [{ source: 'SimpleQueueService' }, { source: 'SimpleService' }],
    miss: [{ source: 'simplequeueservice' }, { source: 'SimpleQueueServices' }],
  },
  {
    source: RULER, what: 'a wildcard escapes a literal star with a backslash',
    pattern: { source: [{ wildcard: 'a\\*b*' }] },
    match: [{ source: 'a*b' }, { source: 'a*bc' }],
    miss: [{ source: 'axb' }, { source: 'ab' }],
  },
  {
    source: RULER, what: 'anything-but a prefix',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    match: [RULER_EVENT],
    miss: [withDetail(RULER_EVENT, { state: 'initializing' })],
  },
  {
    source: RULER, what: 'exists:true on detail.c-count',
    pattern: { detail: { 'c-count': [{ exists: true }] } },
    match: [RULER_EVENT],
    miss: [RULER_EXISTS_1, RULER_EXISTS_2],
  },
  {
    source: RULER, what: 'complex example, with cidr',
    pattern: {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }], 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }], 'source-ip': [{ cidr: '10.0.0.0/8' }],
      },
    },
    match: [RULER_EVENT],
    miss: [withDetail(RULER_EVENT, { 'source-ip': '11.0.0.33' }), withDetail(RULER_EVENT, { 'd-count': 10 })],
  },
  {
    source: RULER, what: '$or: source && (metricName || namespace)',
    pattern: { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] },
    match: [cw({ metricName: 'CPUUtilization' }), cw({ namespace: 'AWS/ES' }), cw({ metricName: 'ReadLatency', namespace: 'AWS/EC2' })],
    miss: [{ source: 'aws.ec2', metricName: 'CPUUtilization' }, cw({ metricName: 'Other' }), cw({})],
  },
  {
    source: RULER, what: 'parallel $or: (metricName || namespace) && (detail.source || detail.detail-type)',
    pattern: {
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
      detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
    },
    match: [{ metricName: 'CPUUtilization', detail: { source: 'aws.cloudwatch' } }, { namespace: 'AWS/EC2', detail: { 'detail-type': 'CloudWatch Alarm State Change' } }],
    miss: [{ metricName: 'CPUUtilization', detail: { source: 'aws.ec2' } }, { detail: { source: 'aws.cloudwatch' } }],
  },
  {
    source: RULER, what: '$or with an And inside: source && (metricName || (metricType && namespace) || scope)',
    pattern: { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] }, { scope: ['Service'] }] },
    match: [cw({ metricName: 'ReadLatency' }), cw({ metricType: 'MetricType', namespace: 'AWS/ES' }), cw({ scope: 'Service' })],
    miss: [cw({ metricType: 'MetricType' }), cw({ namespace: 'AWS/ES' }), cw({ scope: 'Resource' })],
  },
  {
    source: RULER, what: 'nested $or and And',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
        { scope: ['Service'] },
      ],
    },
    match: [cw({ metricType: 'MetricType', namespace: 'AWS/EC2', metricId: 1234 }), cw({ metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1000 }), cw({ scope: 'Service' })],
    miss: [cw({ metricType: 'MetricType', namespace: 'AWS/EC2' }), cw({ metricType: 'MetricType', namespace: 'AWS/EC2', metricId: 1 })],
  },
  {
    source: RULER, what: '"$or" followed by an object stays a field name (backward compatibility)',
    pattern: { source: ['aws.cloudwatch'], $or: { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] } },
    match: [cw({ $or: { metricType: 'MetricType', namespace: 'AWS/EC2' } })],
    miss: [cw({ metricType: 'MetricType', namespace: 'AWS/EC2' })],
  },
  {
    // Reserved names inside "$or" make it a field again: here a field "$or" whose values are
    // a prefix or a suffix match (GenericMachine retries with the legacy RuleCompiler).
    source: RULER, what: '"$or" holding reserved names is a field with match expressions',
    pattern: { $or: [{ prefix: 'abc' }, { suffix: 'xyz' }] },
    match: [{ $or: 'abcd' }, { $or: '_xyz' }],
    miss: [{ $or: 'zzz' }, { prefix: 'abc' }],
  },
  {
    source: RULER, what: 'array matching: objects in an array are matched one at a time',
    pattern: { employees: { firstName: ['Anna'] } },
    match: [EMPLOYEES, EMPLOYEES_NESTED],
    miss: [{ employees: [{ firstName: 'John' }] }],
  },
  {
    source: RULER, what: 'array consistency: no match across two elements of one array',
    pattern: { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
    match: [{ employees: [{ firstName: 'Anna', lastName: 'Jones' }] }],
    miss: [EMPLOYEES, EMPLOYEES_NESTED],
  },
  {
    source: RULER, what: 'array consistency allows fields of the same element',
    pattern: { employees: { firstName: ['Anna'], lastName: ['Smith'] } },
    match: [EMPLOYEES, EMPLOYEES_NESTED],
    miss: [{ employees: [{ firstName: 'Anna' }, { lastName: 'Smith' }] }],
  },
  {
    source: RULER, what: 'keys with dots equal nested keys, in patterns and in events',
    pattern: { detail: { 'state.status': ['running'] } },
    match: [{ detail: { state: { status: 'running' } } }, { detail: { 'state.status': 'running' } }],
    miss: [{ detail: { state: { status: 'stopped' } } }],
  },
  {
    source: RULER, what: 'nested keys equal keys with dots',
    pattern: { detail: { state: { status: ['running'] } } },
    match: [{ detail: { state: { status: 'running' } } }, { detail: { 'state.status': 'running' } }],
    miss: [{ detail: { state: 'running' } }],
  },
  // ------------------------------------------------------------ AWS Compute Blog (wildcards)
  {
    source: BLOG, what: '"*.png" matches strings that end with .png',
    pattern: { key: [{ wildcard: '*.png' }] },
    match: [{ key: 'a.png' }, { key: '.png' }],
    miss: [{ key: 'a.jpg' }, { key: 5 }],
  },
  {
    source: BLOG, what: '"*Title*" matches strings with Title in them',
    pattern: { key: [{ wildcard: '*Title*' }] },
    match: [{ key: 'MyTitleHere' }, { key: 'Title' }],
    miss: [{ key: 'title' }],
  },
  // ------------------------------------------------------------ event-ruler semantics (source)
  {
    source: RULER_CODE, what: 'anything-but fails only on an equal value of its own kind; a missing field fails',
    pattern: { a: [{ 'anything-but': 'x' }] },
    match: [{ a: null }, { a: 5 }, { a: true }, { a: ['x', 'y'] }],
    miss: [{ a: 'x' }, { a: ['x'] }, {}],
  },
  {
    source: RULER_CODE, what: 'prefix, suffix, wildcard and equals-ignore-case apply to strings only',
    pattern: { a: [{ prefix: '1' }, { suffix: '1' }, { wildcard: '*' }, { 'equals-ignore-case': 'true' }] },
    match: [{ a: '1' }, { a: '' }],
    miss: [{ a: 1 }, { a: true }, { a: null }],
  },
  {
    source: RULER_CODE, what: 'equals-ignore-case folds each character to its lower or upper case',
    pattern: { a: [{ 'equals-ignore-case': 'straße' }] },
    match: [{ a: 'STRASSE' }, { a: 'Straße' }],
    miss: [{ a: 'strasse' }],
  },
  {
    source: RULER_CODE, what: 'an IP address literal matches the same address however written',
    pattern: { a: ['2001:db8::1', '10.0.0.1'] },
    match: [{ a: '2001:0DB8:0:0:0:0:0:1' }, { a: '10.0.0.1' }],
    miss: [{ a: '2001:db8::2' }, { a: '10.0.0.10' }],
  },
  {
    source: RULER_CODE, what: '{"exactly": …} matches the string as written',
    pattern: { a: [{ exactly: '10.0.0.1' }] },
    match: [{ a: '10.0.0.1' }],
    miss: [{ a: '010.0.0.1' }],
  },
  {
    source: RULER_CODE, what: 'a CIDR range starts at the address as written, not at the network',
    pattern: { a: [{ cidr: '10.0.0.5/24' }] },
    match: [{ a: '10.0.0.5' }, { a: '10.0.0.255' }],
    miss: [{ a: '10.0.0.4' }],
  },
  {
    source: RULER_CODE, what: 'numeric limits: ±5e9, compared to six decimals',
    pattern: { a: [{ numeric: ['>=', -5e9, '<', 0.000001] }] },
    match: [{ a: -5e9 }, { a: 0 }, { a: 0.0000009 }],
    miss: [{ a: 0.000001 }, { a: -5.000000001e9 }, { a: 6e9 }],
  },
  {
    source: RULER_CODE, what: 'exists:false with arrays: a value counts unless in another element of an array already chosen',
    pattern: { a: { z: [{ exists: false }], c: ['1'] } },
    match: [{ a: [{ c: '1' }, { z: 2 }] }, { a: { c: '1' } }],
    miss: [{ a: [{ c: '1', z: 2 }] }, { a: { c: '1', z: null } }],
  },
  {
    // Fields are taken in path order: a.b comes before a.c, so when a.b's absence is checked
    // no element is chosen yet and the b of the second element counts (ACFinder).
    source: RULER_CODE, what: 'exists:false with arrays: a field checked before the others sees every element',
    pattern: { a: { b: [{ exists: false }], c: ['1'] } },
    match: [{ a: [{ c: '1' }] }],
    miss: [{ a: [{ c: '1' }, { b: 2 }] }],
  },
  {
    source: RULER_CODE, what: 'values and exists:false in one list are alternatives',
    pattern: { a: ['x', { exists: false }] },
    match: [{ a: 'x' }, {}],
    miss: [{ a: 'y' }],
  },
  {
    source: RULER_CODE, what: 'true and false match the JSON literals only',
    pattern: { a: [true], b: [false] },
    match: [{ a: true, b: false }],
    miss: [{ a: 'true', b: false }, { a: true, b: 0 }],
  },
];

for (const c of CASES) {
  test(`${c.source}: ${c.what}`, () => {
    const p = parsePattern(typeof c.pattern === 'string' ? c.pattern : JSON.stringify(c.pattern));
    for (const e of c.match) assert.equal(matches(p, e), true, `should match ${JSON.stringify(e)}`);
    for (const e of c.miss) assert.equal(matches(p, e), false, `should not match ${JSON.stringify(e)}`);
  });
}

test('matchAll answers as matches() does, for every pattern and event of the table', () => {
  const patterns = CASES.map((c) => parsePattern(typeof c.pattern === 'string' ? c.pattern : JSON.stringify(c.pattern)));
  const events = CASES.flatMap((c) => [...c.match, ...c.miss]);
  for (const e of events) assert.deepEqual(matchAll(patterns, e), patterns.map((p) => matches(p, e)), JSON.stringify(e));
  assert.deepEqual(matchAll(patterns, 'not an object'), patterns.map(() => false));
  assert.equal(matches(patterns[0]!, [EC2_TERMINATED]), false, 'an event is a JSON object');
});

// ---------------------------------------------------------------- invalid patterns

const PREFIX = 'Event pattern is not valid. Reason: ';
/** Jackson's location suffix for a pattern with no control characters, at most 500 long. */
const at = (pattern: string, line: number, column: number) => `\n at [Source: (String)"${pattern}"; line: ${line}, column: ${column}]`;

function refusal(pattern: string): InvalidEventPatternError {
  try {
    parsePattern(pattern);
  } catch (e) {
    assert.ok(e instanceof InvalidEventPatternError, `not an InvalidEventPatternError: ${e}`);
    return e;
  }
  assert.fail(`accepted: ${pattern}`);
}

test('AWS\'s own answers: the message, the reason and the place, as EventBridge returned them', () => {
  // cloud-custodian#6507 (PutRule)
  assert.equal(refusal('{"source": ["aws.health"], "detail": {}}').message,
    'Event pattern is not valid. Reason: Empty objects are not allowed\n at [Source: (String)"{"source": ["aws.health"], "detail": {}}"; line: 1, column: 40]');
  // awslabs/aws-deployment-framework#455 (CloudFormation → PutRule)
  const adf = '{"detail-type":["CodeCommit Repository State Change"],"resources":"arn:aws:codecommit:eu-west-1:<removed>:aws-deployment-framework-pipelines","source":["aws.codecommit"],"detail":{"referenceType":["branch"],"event":["referenceCreated","referenceUpdated"],"referenceName":["master"]}}';
  assert.equal(refusal(adf).message, `Event pattern is not valid. Reason: "resources" must be an object or an array\n at [Source: (String)"${adf}"; line: 1, column: 68]`);
  // buildkite/docs#896: the pattern as the docs had it, two-space indented; AWS placed it at line 5, column 16.
  const buildkite = '{\n  "detail-type": [ "Build Started", "Build Finished" ],\n  "detail": {\n    "pipeline": {\n      "slug": "some-pipeline"\n    }\n  }\n}';
  const e = refusal(buildkite);
  assert.equal(e.reason, '"slug" must be an object or an array');
  assert.equal(e.message, PREFIX + e.reason + at(buildkite, 5, 16));
});

test('invalid patterns: event-ruler\'s reasons at Jackson\'s positions', () => {
  const cases: [pattern: string, reason: string, line: number, column: number][] = [
    ['["a"]', 'Filter is not an object', 1, 2],
    ['', 'Filter is not an object', 1, 1],
    ['{"source":"aws.ec2"}', '"source" must be an object or an array', 1, 12],
    ['{"source":[]}', 'Empty arrays are not allowed', 1, 13],
    ['{"source":[["a"]]}', 'Match value must be String, number, true, false, or null', 1, 13],
    ['{"a":[{}]}', 'Match expression name not found', 1, 9],
    ['{"a":[{"regex":"x"}]}', 'Unrecognized match type regex', 1, 17],
    ['{"a":[{"prefix":1}]}', 'prefix match pattern must be a string', 1, 18],
    // aws/aws-cdk#32492 reports this reason from EventBridge for a suffix given as an array.
    ['{"detail":{"matchSuffix":[{"suffix":[":created"]}]}}', 'suffix match pattern must be a string', 1, 38],
    ['{"a":[{"prefix":"x","suffix":"y"}]}', 'Only one key allowed in match expression', 1, 31],
    ['{"a":[{"prefix":{"exactly":"x"}}]}', 'Unsupported prefix pattern: exactly', 1, 29],
    ['{"a":[{"suffix":{}}]}', 'Suffix expression name not found', 1, 19],
    ['{"a":[{"equals-ignore-case":5}]}', 'equals-ignore-case match pattern must be a string', 1, 30],
    ['{"a":[{"exactly":5}]}', 'exact match pattern must be a string', 1, 19],
    ['{"a":[{"wildcard":"a**b"}]}', 'Consecutive wildcard characters at pos 2', 1, 25],
    ['{"a":[{"wildcard":"a\\\\b"}]}', 'Invalid escape character at pos 2', 1, 25],
    ['{"a":[{"wildcard":7}]}', 'wildcard match pattern must be a string', 1, 20],
    ['{"a":[{"numeric":5}]}', 'Value of numeric must be an array.', 1, 19],
    ['{"a":[{"numeric":[]}]}', 'Invalid member in numeric match: ]', 1, 20],
    ['{"a":[{"numeric":["=","5"]}]}', 'Value of equals must be numeric', 1, 24],
    ['{"a":[{"numeric":[">",5,"<",1]}]}', 'Bottom must be less than top', 1, 31],
    ['{"a":[{"numeric":[">",0,">",5]}]}', 'Bad numeric range operator: >', 1, 28],
    ['{"a":[{"numeric":[">",0,5]}]}', 'Bad value in numeric range: 5', 1, 26],
    ['{"a":[{"numeric":["<",5,">",1]}]}', 'Too many elements in numeric expression', 1, 26],
    ['{"a":[{"numeric":[">",0,"<",5,6]}]}', 'Too many terms in numeric range expression', 1, 32],
    ['{"a":[{"numeric":["!=",5]}]}', 'Unrecognized numeric range operator: !=', 1, 25],
    ['{"a":[{"numeric":["=",5e10]}]}', 'Value must be between -5.0E9 and 5.0E9, inclusive', 1, 28],
    ['{"a":[{"numeric":["=",1.0000001]}]}', 'Only values upto 6 decimals are supported1.0000001 1.0000001 0x1.0p0', 1, 33],
    ['{"a":[{"anything-but":null}]}', 'Value of anything-but must be an array or single string/number value.', 1, 27],
    ['{"a":[{"anything-but":[1,"a"]}]}', 'Inside anything but list, either all values are number or string, mixed type is not supported', 1, 30],
    ['{"a":[{"anything-but":[]}]}', 'Inside anything but list, either all values are number or string, mixed type is not supported', 1, 25],
    ['{"a":[{"anything-but":{"exists":true}}]}', 'Unsupported anything-but pattern: exists', 1, 37],
    ['{"a":[{"anything-but":{}}]}', 'Anything-But expression name not found', 1, 25],
    ['{"a":[{"anything-but":{"prefix":""}}]}', 'Null prefix/suffix not allowed', 1, 35],
    ['{"a":[{"anything-but":{"prefix":5}}]}', 'prefix/suffix match pattern must be a string', 1, 34],
    ['{"a":[{"anything-but":{"wildcard":"a**"}}]}', 'Consecutive wildcard characters at pos 2', 1, 40],
    ['{"a":[{"anything-but":{"wildcard":["x","a**"]}}]}', 'Consecutive wildcard characters at pos 2', 1, 46],
    ['{"a":[{"anything-but":[1e10]}]}', 'Value must be between -5.0E9 and 5.0E9, inclusive', 1, 28],
    ['{"a":[{"exists":"true"}]}', 'exists match pattern must be either true or false.', 1, 18],
    ['{"a":[{"exists":true,"prefix":"x"}]}', 'Only one key allowed in match expression', 1, 32],
    ['{"a":[{"cidr":5}]}', 'prefix match pattern must be a string', 1, 16],
    // "$or" the current compiler refuses is a field name to the legacy one, whose reason is given.
    ['{"$or":"x"}', '"$or" must be an object or an array', 1, 9],
    ['{"$or":[{"a":["b"]}]}', 'Unrecognized match type a', 1, 15],
    ['{"$or":[{"prefix":["b"]},{"c":["d"]}]}', 'prefix match pattern must be a string', 1, 20],
    // The README's counter-example (reserved names inside $or), as written there.
    ['{ \n  "$or": [ {"numeric" : 123}, {"prefix": "abc"} ] \n}', 'Value of numeric must be an array.', 2, 28],
    // Jackson's syntax errors
    ['{"a":["b"],}', "Unexpected character ('}' (code 125)): was expecting double-quote to start field name", 1, 13],
    ["{'a':[\"b\"]}", "Unexpected character (''' (code 39)): was expecting double-quote to start field name", 1, 3],
    ['{"a" ["b"]}', "Unexpected character ('[' (code 91)): was expecting a colon to separate field name and value", 1, 7],
    ['{"a":["b"] "c":["d"]}', "Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries", 1, 13],
    ['{"a":["b" "c"]}', "Unexpected character ('\"' (code 34)): was expecting comma to separate Array entries", 1, 12],
    ['{"a":[tru]}', "Unrecognized token 'tru': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", 1, 10],
    ['{"a":[01]}', 'Invalid numeric value: Leading zeroes not allowed', 1, 8],
    ['{"a":["\\x"]}', "Unrecognized character escape 'x' (code 120)", 1, 10],
    ['{"a":[1,]}', "Unexpected character (']' (code 93)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", 1, 10],
    ['{"a":[1.]}', "Unexpected character (']' (code 93)) in numeric value: Decimal point not followed by a digit", 1, 9],
    ['{"a":}', "Unexpected character ('}' (code 125)): expected a value", 1, 7],
    ['{/*x*/}', "Unexpected character ('/' (code 47)): maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)", 1, 3],
  ];
  for (const [pattern, reason, line, column] of cases) {
    const e = refusal(pattern);
    assert.equal(e.reason, reason, pattern);
    assert.equal(e.message, PREFIX + reason + at(pattern, line, column), pattern);
  }
});

test('invalid patterns: errors event-ruler raises again inside a list carry the place twice', () => {
  // The AWS message quoted in public posts ("Inside anything but list, start|null|boolean is
  // not supported.") for several prefixes inside one anything-but.
  const posted = '{"detail":{"userIdentity":{"sessionContext":{"sessionIssuer":{"userName":[{"anything-but":[{"prefix":"abc-"},{"prefix":"xyz-"}]}]}}}}}';
  const cases: [string, string, number][] = [
    [posted, 'Inside anything but list, start|null|boolean is not supported.', 93],
    ['{"a":[{"anything-but":[null]}]}', 'Inside anything but list, start|null|boolean is not supported.', 28],
    ['{"a":[{"anything-but":{"suffix":[""]}}]}', 'Null prefix/suffix not allowed', 36],
    ['{"a":[{"anything-but":{"equals-ignore-case":[1]}}]}', 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.', 47],
  ];
  for (const [pattern, reason, column] of cases) {
    const e = refusal(pattern);
    const once = reason + at(pattern, 1, column);
    assert.equal(e.reason, once, pattern);
    assert.equal(e.message, PREFIX + once + at(pattern, 1, column), pattern);
  }
});

test('invalid patterns: exceptions event-ruler does not locate (CIDR, numbers past a Java long)', () => {
  const cases: [string, string][] = [
    ['{"a":[{"cidr":"10.0.0.0"}]}', "Malformed CIDR, one '/' required"],
    ['{"a":[{"cidr":"10.0.0.0/33"}]}', 'IPv4 mask bits must be < 32'],
    ['{"a":[{"cidr":"10.0.0.1/32"}]}', 'IPv4 mask bits must be < 32'],
    ['{"a":[{"cidr":"::/128"}]}', 'IPv6 mask bits must be < 128'],
    ['{"a":[{"cidr":"10.0.0.0/x"}]}', 'Malformed CIDR, mask bits must be an integer'],
    ['{"a":[{"cidr":"10.0.0.0/-1"}]}', 'Malformed CIDR, mask bits must not be negative'],
    ['{"a":[{"cidr":"host/24"}]}', 'Nonstandard IP address: host'],
    ['{"a":[{"cidr":"10.0.0.256/24"}]}', 'Invalid IP address: 10.0.0.256'],
    ['{"a":[{"anything-but":1e10}]}', 'Value must be between -5.0E9 and 5.0E9, inclusive'],
    ['{"a":[{"numeric":["=",1e30]}]}', 'Overflow'],
  ];
  for (const [pattern, reason] of cases) {
    const e = refusal(pattern);
    assert.equal(e.reason, reason, pattern);
    assert.equal(e.message, PREFIX + reason, pattern);
  }
});

test('invalid patterns: the source in the message is cut at 500 characters, control characters escaped', () => {
  const long = `{"a":["${'x'.repeat(600)}"], "b": 1}`;
  const e = refusal(long);
  assert.equal(e.message, `${PREFIX}"b" must be an object or an array\n at [Source: (String)"${long.slice(0, 500)}"[truncated ${long.length - 500} chars]; line: 1, column: ${long.length}]`);
  const tab = '{"a":\t"b"}';
  assert.equal(refusal(tab).message, `${PREFIX}"a" must be an object or an array\n at [Source: (String)"{"a":\\u0009"b"}"; line: 1, column: 8]`);
});

test('a pattern is parsed once and matched many times; what follows the closing brace is not read', () => {
  const p = parsePattern('{"source": ["aws.acm"]} and then anything');
  assert.equal(p.source, '{"source": ["aws.acm"]} and then anything');
  for (let i = 0; i < 3; i++) assert.equal(matches(p, { source: 'aws.acm' }), true);
});

test('cloudTrailEnvelope: the EventBridge event of a CloudTrail record, and the ACM pattern of the reference matches it', () => {
  const record = {
    eventVersion: '1.11', eventTime: '2026-01-31T12:00:00Z', eventSource: 'acm.amazonaws.com', eventName: 'RequestCertificate',
    awsRegion: 'eu-west-1', sourceIPAddress: '127.0.0.1', recipientAccountId: '123456789012', eventID: 'not-the-envelope-id',
  };
  const env = cloudTrailEnvelope(record, '0f6ed7c9-2f49-4f33-9c0a-2a8f2f2b0c11');
  assert.deepEqual(Object.keys(env), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
  assert.deepEqual(env, {
    version: '0', id: '0f6ed7c9-2f49-4f33-9c0a-2a8f2f2b0c11', 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.acm',
    account: '123456789012', time: '2026-01-31T12:00:00Z', region: 'eu-west-1', resources: [], detail: record,
  });
  const acm = parsePattern('{"source":["aws.acm"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventSource":["acm.amazonaws.com"],"eventName":["RequestCertificate"]}}');
  assert.equal(matches(acm, env), true);
  assert.equal(matches(acm, cloudTrailEnvelope({ ...record, eventName: 'DeleteCertificate' }, 'x')), false);
  assert.equal(cloudTrailEnvelope({ ...record, eventSource: 'sts.amazonaws.com' }, 'x').source, 'aws.sts');
});
