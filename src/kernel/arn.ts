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

export function trailArn(region: string, account: string, name: string): string {
  return `arn:${partitionOf(region)}:cloudtrail:${region}:${account}:trail/${name}`;
}
