/**
 * The one error base. A ServiceError is safe to show a client: its message is written for
 * them. Anything else thrown inside a handler becomes InternalFailure, whose detail stays in
 * the server log (never in a response or an event).
 */
export type Fault = 'client' | 'server';

export class ServiceError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fault: Fault;
  /** Member name used for the message in the JSON body (AccessDeniedException models `Message`). */
  readonly messageMember: 'message' | 'Message';
  /** Extra members to serialise beside the message (rare). */
  readonly extra?: Record<string, unknown>;
  /** CloudTrail's errorCode when it differs from the wire's (AccessDeniedException is recorded as AccessDenied). */
  readonly eventCode?: string;

  constructor(code: string, message: string, status = 400, opts: { fault?: Fault; messageMember?: 'message' | 'Message'; extra?: Record<string, unknown>; eventCode?: string } = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
    this.fault = opts.fault ?? (status >= 500 ? 'server' : 'client');
    this.messageMember = opts.messageMember ?? 'message';
    this.extra = opts.extra;
    this.eventCode = opts.eventCode;
  }
}

const make = (code: string, status: number, messageMember: 'message' | 'Message' = 'message') =>
  (message: string) => new ServiceError(code, message, status, { messageMember });

// Errors common to every AWS service, statuses per the "Common Errors" page of the API references
// (UnrecognizedClient/MissingAuthenticationToken 403); UnknownOperationException 400 as real
// responses show it (aws-sdk-js#425, aws-sdk-net#1536; the Common Errors page says 404); signature
// problems answer 400 as observed from JSON services ("Signature expired: …", status code 400).
export const InternalFailure = make('InternalFailure', 500);
export const UnknownOperationException = make('UnknownOperationException', 400);
export const SerializationException = make('SerializationException', 400);
export const ValidationException = make('ValidationException', 400);
export const AccessDeniedException = make('AccessDeniedException', 403, 'Message');
export const InvalidSignatureException = make('InvalidSignatureException', 400);
export const IncompleteSignatureException = make('IncompleteSignatureException', 400);
export const MissingAuthenticationTokenException = make('MissingAuthenticationTokenException', 403);
export const UnrecognizedClientException = make('UnrecognizedClientException', 403);
export const RequestEntityTooLargeException = make('RequestEntityTooLargeException', 413);

export function isServiceError(e: unknown): e is ServiceError {
  return e instanceof ServiceError;
}
