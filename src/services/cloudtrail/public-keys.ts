import type { RequestContext } from '../../pipeline/context.js';
import { InvalidTimeRangeException } from './errors.js';

/** Digest signing keys come with the log-file issue; until then there are none (cloudtrail.md §5.4). */
export async function listPublicKeys(_ctx: RequestContext, input: { StartTime?: Date; EndTime?: Date }) {
  if (input.StartTime && input.EndTime && input.StartTime.getTime() > input.EndTime.getTime())
    throw InvalidTimeRangeException('Start time must be before or equal to end time.');
  return { PublicKeyList: [] };
}
