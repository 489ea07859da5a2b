import { ServiceError, ValidationException } from '../../kernel/errors.js';

/**
 * EventBridge's modelled errors (botocore events/2015-10-07). Their shapes declare no status,
 * so all are HTTP 400 (the JSON protocol's default for a client error), and the text is
 * `message`. Wording marked AWS is AWS's observed text (quoted by moto, localstack's
 * AWS-validated snapshots and provider issues); the rest is ours, in its style.
 */
const e = (code: string) => (message: string) => new ServiceError(code, message, 400);

export const ResourceNotFoundException = e('ResourceNotFoundException');
export const ResourceAlreadyExistsException = e('ResourceAlreadyExistsException');
export const LimitExceededException = e('LimitExceededException');
export const ConcurrentModificationException = e('ConcurrentModificationException');
export const ManagedRuleException = e('ManagedRuleException');
export const InvalidEventPatternException = e('InvalidEventPatternException');
export { ValidationException };

/** AWS: "Rule my-rule does not exist on EventBus default." */
export const ruleNotFound = (name: string, bus: string) => ResourceNotFoundException(`Rule ${name} does not exist on EventBus ${bus}.`);

/** AWS: "Event bus my-bus does not exist." */
export const busNotFound = (name: string) => ResourceNotFoundException(`Event bus ${name} does not exist.`);

/** AWS: "Failed to describe the connection(s). Connection 'x' does not exist." */
export const connectionNotFound = (name: string) => ResourceNotFoundException(`Failed to describe the connection(s). Connection '${name}' does not exist.`);

/** AWS: "Failed to describe the api-destination(s). An api-destination 'x' does not exist." */
export const apiDestinationNotFound = (name: string) =>
  ResourceNotFoundException(`Failed to describe the api-destination(s). An api-destination '${name}' does not exist.`);

/** AWS (rules per bus, targets per rule): "The requested resource exceeds the maximum number allowed." */
export const limitExceeded = () => LimitExceededException('The requested resource exceeds the maximum number allowed.');
