/** The one place that knows ARN formats. */
export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, account, ...rest] = parts;
  return { partition, service, region, account, resource: rest.join(':') };
}

export function certificateArn(region: string, account: string, id: string): string {
  return `arn:${partitionOf(region)}:acm:${region}:${account}:certificate/${id}`;
}

export function certificateAuthorityArn(region: string, account: string, id: string): string {
  return `arn:${partitionOf(region)}:acm-pca:${region}:${account}:certificate-authority/${id}`;
}

export function rootUserArn(account: string): string {
  return `arn:aws:iam::${account}:root`;
}

export function iamUserArn(account: string, userName: string, path = '/'): string {
  return `arn:aws:iam::${account}:user${path}${userName}`;
}

/** IAM is global: its ARNs have no region, and the path sits between the type and the name. */
export function iamGroupArn(account: string, groupName: string, path = '/'): string {
  return `arn:aws:iam::${account}:group${path}${groupName}`;
}

export function iamRoleArn(account: string, roleName: string, path = '/'): string {
  return `arn:aws:iam::${account}:role${path}${roleName}`;
}

/** A role session: the role path is not in it (cloudtrail.md §2.2). */
export function assumedRoleArn(account: string, roleName: string, sessionName: string): string {
  return `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`;
}

export function federatedUserArn(account: string, name: string): string {
  return `arn:aws:sts::${account}:federated-user/${name}`;
}

export function iamPolicyArn(account: string, policyName: string, path = '/'): string {
  return `arn:aws:iam::${account}:policy${path}${policyName}`;
}

/** The parts of an IAM ARN such as `arn:aws:iam::123456789012:policy/team/Admins`; undefined for anything else. */
export function parseIamArn(arn: string): { account: string; type: string; path: string; name: string } | undefined {
  const m = /^arn:aws:iam::(\d{12}|aws):([a-z-]+)(\/(?:[^/]*\/)*)([^/]+)$/.exec(arn);
  return m ? { account: m[1], type: m[2], path: m[3], name: m[4] } : undefined;
}

export function trailArn(region: string, account: string, name: string): string {
  return `arn:${partitionOf(region)}:cloudtrail:${region}:${account}:trail/${name}`;
}

export function eventBusArn(region: string, account: string, name: string): string {
  return `arn:${partitionOf(region)}:events:${region}:${account}:event-bus/${name}`;
}

/** A rule of the default bus is `rule/<name>`; of another bus, `rule/<bus>/<name>`. */
export function eventRuleArn(region: string, account: string, bus: string, name: string): string {
  return `arn:${partitionOf(region)}:events:${region}:${account}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;
}

export function eventConnectionArn(region: string, account: string, name: string, id: string): string {
  return `arn:${partitionOf(region)}:events:${region}:${account}:connection/${name}/${id}`;
}

export function apiDestinationArn(region: string, account: string, name: string, id: string): string {
  return `arn:${partitionOf(region)}:events:${region}:${account}:api-destination/${name}/${id}`;
}

/** The Secrets Manager secret AWS keeps a connection's credentials in (`events!connection/<name>/<uuid>-<6 chars>`). */
export function eventConnectionSecretArn(region: string, account: string, name: string, id: string, suffix: string): string {
  return `arn:${partitionOf(region)}:secretsmanager:${region}:${account}:secret:events!connection/${name}/${id}-${suffix}`;
}
