import type { QueryService } from '../../pipeline/service.js';
import { getCallerIdentity } from './identity.js';

/**
 * AWS STS over the query protocol. One global endpoint: certtrail answers whatever region the
 * scope names (the SDKs and CLI sign STS for us-east-1 unless told to use a regional endpoint).
 */
export function stsService(): QueryService<Record<string, never>> {
  return {
    signingName: 'sts',
    version: '2011-06-15',
    xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/',
    eventSource: 'sts.amazonaws.com',
    operations: {
      GetCallerIdentity: { handler: getCallerIdentity, unauthorized: true },
    },
    deps: {},
  };
}
