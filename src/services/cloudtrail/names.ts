import { CloudTrailARNInvalidException, InvalidTrailNameException } from './errors.js';

/**
 * Trail names (InvalidTrailNameException doc): 3–128 of [A-Za-z0-9._-], starting and ending
 * alphanumeric, no adjacent `.`, `_` or `-`, not shaped like an IP address. The first five
 * messages are AWS's wording as mirrored by moto (getmoto/moto#4410, checked against AWS);
 * the last two are ours.
 */
export function checkTrailName(name: string): void {
  if (name.length < 3) throw InvalidTrailNameException(`Trail name too short. Minimum allowed length: 3 characters. Specified name length: ${name.length} characters.`);
  if (name.length > 128) throw InvalidTrailNameException(`Trail name too long. Maximum allowed length: 128 characters. Specified name length: ${name.length} characters.`);
  if (!/^[A-Za-z0-9]/.test(name)) throw InvalidTrailNameException('Trail name must starts with a letter or number.');
  if (!/[A-Za-z0-9]$/.test(name)) throw InvalidTrailNameException('Trail name must ends with a letter or number.');
  if (!/^[A-Za-z0-9._-]+$/.test(name))
    throw InvalidTrailNameException('Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).');
  if (/[._-]{2}/.test(name)) throw InvalidTrailNameException('Trail name cannot contain adjacent periods, underscores or dashes.');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) throw InvalidTrailNameException('Trail name cannot be in IP address format.');
}

export interface CloudTrailArn {
  partition: string;
  region: string;
  account: string;
  /** `trail`, `eventdatastore`, `channel`, `dashboard`, … */
  type: string;
  id: string;
}

const ARN = /^arn:(aws|aws-cn|aws-us-gov):cloudtrail:([a-z0-9-]{1,64}):(\d{12}):([a-z]+)\/(.{1,1024})$/;

function invalidArn(arn: string) {
  return CloudTrailARNInvalidException(`${arn.slice(0, 2048)} is not a valid ARN. A trail ARN has the form arn:aws:cloudtrail:<region>:<account-id>:trail/<name>.`);
}

/** Any CloudTrail resource ARN (tags take trails, event data stores, channels, dashboards). */
export function parseCloudTrailArn(arn: string): CloudTrailArn {
  const m = ARN.exec(arn);
  if (!m) throw invalidArn(arn);
  return { partition: m[1], region: m[2], account: m[3], type: m[4], id: m[5] };
}

export function parseTrailArn(arn: string): CloudTrailArn {
  const p = parseCloudTrailArn(arn);
  if (p.type !== 'trail') throw invalidArn(arn);
  try {
    checkTrailName(p.id);
  } catch {
    throw invalidArn(arn);
  }
  return p;
}

export const isArn = (s: string) => s.startsWith('arn:');
