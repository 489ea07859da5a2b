import type { RequestContext } from '../../pipeline/context.js';
import type { EventsDeps } from './deps.js';
import { InvalidEventPatternException, ValidationException } from './errors.js';
import { InvalidEventPatternError, matches, parsePattern } from './pattern.js';

/**
 * The envelope fields an Event must have. The API reference lists `resources` too, but AWS
 * does not require it (localstack's AWS-validated tests); a missing one fails with AWS's
 * "Parameter Event is not valid." like an Event that is not a JSON object.
 */
const REQUIRED = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

export async function testEventPattern(_ctx: RequestContext, input: { EventPattern: string; Event: string }, _d: EventsDeps) {
  let pattern: ReturnType<typeof parsePattern>;
  try {
    pattern = parsePattern(input.EventPattern);
  } catch (e) {
    if (e instanceof InvalidEventPatternError) throw InvalidEventPatternException(e.message);
    throw e;
  }
  let event: unknown;
  try {
    event = JSON.parse(input.Event);
  } catch {
    event = undefined;
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event) || REQUIRED.some((f) => !Object.hasOwn(event as object, f)))
    throw ValidationException('Parameter Event is not valid.');
  return { Result: matches(pattern, event as Record<string, unknown>) };
}
