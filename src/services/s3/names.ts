/**
 * General purpose bucket naming rules (Amazon S3 User Guide, "Bucket naming rules"): 3–63
 * characters of lowercase letters, digits, dots and hyphens; a letter or digit at each end; no
 * two adjacent dots; not shaped like an IP address; none of the reserved prefixes and suffixes.
 */
export function isValidBucketName(name: string): boolean {
  if (name.length < 3 || name.length > 63) return false;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return false;
  if (name.includes('..')) return false;
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) return false;
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return false;
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)) return false;
  return true;
}

/** A region name as AWS spells them (`us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`). */
export function isRegionName(s: string): boolean {
  return /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/.test(s);
}

/**
 * The region a CreateBucket makes its bucket in, by S3's rules, or the error S3 gives:
 *  - the us-east-1 endpoint takes no constraint (us-east-1) or any other valid region, but not an
 *    explicit "us-east-1" (InvalidLocationConstraint);
 *  - any other region's endpoint needs its own region as the constraint
 *    (IllegalLocationConstraintException otherwise);
 *  - "EU" is the legacy name of eu-west-1.
 * certtrail serves every region on one endpoint, so "the endpoint's region" is the region the
 * request was signed for.
 */
export function bucketRegion(signingRegion: string, constraint: string | undefined):
  { region: string } | { error: 'InvalidLocationConstraint' | 'IllegalLocationConstraintException' } {
  if (constraint === undefined || constraint === '') {
    return signingRegion === 'us-east-1' ? { region: 'us-east-1' } : { error: 'IllegalLocationConstraintException' };
  }
  const region = constraint === 'EU' ? 'eu-west-1' : constraint;
  if (!isRegionName(region) || constraint === 'us-east-1') return { error: 'InvalidLocationConstraint' };
  if (signingRegion === 'us-east-1' || signingRegion === region) return { region };
  return { error: 'IllegalLocationConstraintException' };
}
