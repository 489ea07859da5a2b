import { PolicyError, parsePolicy } from '../../auth/policy/parse.js';
import type { PolicyDocument } from '../../auth/policy/types.js';
import { MalformedPolicyDocument } from './errors.js';

/** A permissions policy as IAM accepts it, or MalformedPolicyDocument with the parser's (IAM's) text. */
export function checkPolicy(text: string): PolicyDocument {
  try {
    return parsePolicy(text);
  } catch (e) {
    if (e instanceof PolicyError) throw MalformedPolicyDocument(e.message);
    throw e;
  }
}

/** IAM counts a policy's size without its whitespace (IAM and AWS STS quotas, "IAM and STS character limits"). */
export function policySize(text: string): number {
  return text.replace(/\s/g, '').length;
}
