/**
 * S3's errors, named and worded as S3 answers them (Amazon S3 API Reference, "Error responses":
 * code, HTTP status, description). Each is a ServiceError whose `extra` members become the
 * further elements of the XML <Error> (BucketName, Key, …), in order.
 */
import { ServiceError } from '../../kernel/errors.js';

type Extra = Record<string, string | number | undefined>;

function s3(code: string, status: number, message: string, extra: Extra = {}): ServiceError {
  const defined = Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined));
  return new ServiceError(code, message, status, { extra: defined });
}

export const AccessDenied = (message = 'Access Denied', extra?: Extra) => s3('AccessDenied', 403, message, extra);
export const AuthorizationHeaderMalformed = (detail: string) =>
  s3('AuthorizationHeaderMalformed', 400, `The authorization header is malformed; ${detail}`);
export const AuthorizationQueryParametersError = (message: string) => s3('AuthorizationQueryParametersError', 400, message);
export const BadDigest = (message = 'The Content-MD5 you specified did not match what we received.', extra?: Extra) =>
  s3('BadDigest', 400, message, extra);
export const BucketAlreadyExists = (bucket: string) =>
  s3('BucketAlreadyExists', 409, 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', { BucketName: bucket });
export const BucketAlreadyOwnedByYou = (bucket: string) =>
  s3('BucketAlreadyOwnedByYou', 409, 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: bucket });
export const BucketNotEmpty = (bucket: string) => s3('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', { BucketName: bucket });
export const EntityTooLarge = (proposed: number, max: number) =>
  s3('EntityTooLarge', 400, 'Your proposed upload exceeds the maximum allowed size', { ProposedSize: proposed, MaxSizeAllowed: max });
export const IllegalLocationConstraintException = (constraint: string | undefined) =>
  s3('IllegalLocationConstraintException', 400,
    `The ${constraint === undefined ? 'unspecified' : constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`);
export const IncompleteBody = (message = 'You did not provide the number of bytes specified by the Content-Length HTTP header') =>
  s3('IncompleteBody', 400, message);
export const InternalError = (requestId: string) => s3('InternalError', 500, `We encountered an internal error. Please try again. Request ID: ${requestId}`);
export const InvalidAccessKeyId = (accessKeyId: string) =>
  s3('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: accessKeyId });
export const InvalidArgument = (message: string, name?: string, value?: string) =>
  s3('InvalidArgument', 400, message, { ArgumentName: name, ArgumentValue: value });
export const InvalidBucketName = (bucket: string) => s3('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: bucket });
export const InvalidDigest = (message = 'The Content-MD5 you specified is not valid.') => s3('InvalidDigest', 400, message);
export const InvalidLocationConstraint = (constraint: string) =>
  s3('InvalidLocationConstraint', 400, 'The specified location-constraint is not valid', { LocationConstraint: constraint });
export const InvalidRange = (requested: string, size: number) =>
  s3('InvalidRange', 416, 'The requested range is not satisfiable', { RangeRequested: requested, ActualObjectSize: size });
export const InvalidRequest = (message: string) => s3('InvalidRequest', 400, message);
export const InvalidURI = () => s3('InvalidURI', 400, "Couldn't parse the specified URI.");
export const KeyTooLongError = (size: number, max: number) => s3('KeyTooLongError', 400, 'Your key is too long', { Size: size, MaxSizeAllowed: max });
export const MalformedXML = () =>
  s3('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema');
export const MetadataTooLarge = (size: number, max: number) =>
  s3('MetadataTooLarge', 400, 'Your metadata headers exceed the maximum allowed metadata size', { Size: size, MaxSizeAllowed: max });
export const MethodNotAllowed = (method: string, resourceType: string) =>
  s3('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.', { Method: method, ResourceType: resourceType });
export const NoSuchBucket = (bucket: string) => s3('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket });
export const NoSuchKey = (key: string) => s3('NoSuchKey', 404, 'The specified key does not exist.', { Key: key });
export const NotImplemented = (operation: string) =>
  s3('NotImplemented', 501, `${operation} is not implemented by certtrail.`);
export const PreconditionFailed = (condition: string) =>
  s3('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', { Condition: condition });
export const RequestTimeTooSkewed = (requestTime: string, serverTime: string, maxSkewMs: number) =>
  s3('RequestTimeTooSkewed', 403, 'The difference between the request time and the current time is too large.', {
    RequestTime: requestTime, ServerTime: serverTime, MaxAllowedSkewMilliseconds: maxSkewMs,
  });
export const SignatureDoesNotMatch = (extra: Extra) =>
  s3('SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', extra);
export const XAmzContentSHA256Mismatch = (client: string, computed: string) =>
  s3('XAmzContentSHA256Mismatch', 400, "The provided 'x-amz-content-sha256' header does not match what was computed.", {
    ClientComputedContentSHA256: client, S3ComputedContentSHA256: computed,
  });
