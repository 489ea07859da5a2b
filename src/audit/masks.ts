/**
 * What an event shows of sensitive and binary members, one table per event profile
 * (../shared/reference/cloudtrail.md §3). Nothing else decides masking: the event builder
 * asks here for every blob and every listed member.
 */
export type EventProfile = 'current' | '2016';

export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** Java ByteBuffer as 2016-era ACM events serialised blobs: real lengths, contents elided. */
function byteBuffer(length: number, hb: unknown[]) {
  return { hb, offset: 0, isReadOnly: false, bigEndian: true, nativeByteOrder: false, mark: -1, position: 0, limit: length, capacity: length, address: 0 };
}

type Masker = (value: Buffer | string) => unknown;

const elided: Masker = (v) => byteBuffer(Buffer.byteLength(v), ['byte', 'byte', 'byte', '...']);
const asterisks: Masker = (v) => {
  const n = Buffer.byteLength(v);
  return byteBuffer(n, Array.from({ length: n }, () => 42));
};
const hidden: Masker = () => HIDDEN;
/** Certificates are public: shown as PEM text, but only when they are exactly that. */
const pemText: Masker = (v) => {
  const text = Buffer.isBuffer(v) ? v.toString('utf8') : v;
  return /^\s*-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s-]*$/.test(text) && !containsKey(text) ? text : HIDDEN;
};

/** A last line of defence: whatever the member, text that carries a private key is never shown. */
export function containsKey(text: string): boolean {
  return /PRIVATE KEY/i.test(text);
}

/** A structure member whose nested values are masked: it gets the member's value, gives what the event shows. */
export type DeepMasker = (value: unknown) => unknown;

/**
 * Hides the values at the given member paths (wire names; `[]` steps into each element of a
 * list) of a structure, leaving the rest as it is. A copy: the input is not changed.
 */
export function hidePaths(paths: readonly string[]): DeepMasker {
  return maskPaths(paths, false);
}

/**
 * Leaves the members at the given paths out altogether, as AWS's own events do where they show a
 * structure without its secret member. A copy.
 */
export function omitPaths(paths: readonly string[]): DeepMasker {
  return maskPaths(paths, true);
}

function maskPaths(paths: readonly string[], omit: boolean): DeepMasker {
  const split = paths.map((p) => p.split('.'));
  const walk = (v: unknown, rest: string[][]): unknown => {
    if (!rest.length || v === null || typeof v !== 'object' || Buffer.isBuffer(v) || v instanceof Date) return v;
    if (Array.isArray(v)) {
      const inner = rest.filter((p) => p[0] === '[]').map((p) => p.slice(1));
      return inner.length ? v.map((x) => walk(x, inner)) : v;
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const here = rest.filter((p) => p[0] === k);
      if (x !== undefined && here.some((p) => p.length === 1)) {
        if (!omit) out[k] = HIDDEN;
      } else out[k] = here.length ? walk(x, here.map((p) => p.slice(1))) : x;
    }
    return out;
  };
  return (v) => walk(v, split);
}

/**
 * Secrets inside response structures. IAM CreateAccessKey's event shows the new key as
 * `accessKey: {accessKeyId, status, userName, createDate}`: the secret access key is never in it.
 */
const DEEP_RESPONSE: Record<string, DeepMasker> = {
  'CreateAccessKey.AccessKey': omitPaths(['SecretAccessKey']),
};

/** Every value of a connection's extra HTTP parameters is model-sensitive (HeaderValueSensitive, …). */
const httpParameterValues = (prefix: string) => ['HeaderParameters', 'QueryStringParameters', 'BodyParameters'].map((l) => `${prefix}.${l}.[].Value`);

/**
 * Model-sensitive members inside request structures, the same in every profile: EventBridge
 * CreateConnection's credentials (AuthHeaderParametersSensitive and the sensitive parameter
 * values) and PutTargets' sensitive target parameters. The rest of the structure is shown.
 */
const DEEP_REQUEST: Record<string, DeepMasker> = {
  'CreateConnection.AuthParameters': hidePaths([
    'BasicAuthParameters.Password',
    'ApiKeyAuthParameters.ApiKeyValue',
    'OAuthParameters.ClientParameters.ClientSecret',
    ...httpParameterValues('OAuthParameters.OAuthHttpParameters'),
    ...httpParameterValues('InvocationHttpParameters'),
  ]),
  // Targets' model-sensitive members: Redshift SQL and AppSync operations.
  'PutTargets.Targets': hidePaths(['[].RedshiftDataParameters.Sql', '[].RedshiftDataParameters.Sqls', '[].AppSyncParameters.GraphQLOperation']),
};

interface ProfileTable {
  eventVersion: string;
  /** request member path (`Operation.member`) → how it is shown. */
  request: Record<string, Masker>;
  /** request structure member (`Operation.member`) → its masked copy (nested sensitive members). */
  requestDeep: Record<string, DeepMasker>;
  response: Record<string, Masker>;
  /** response structure member (`Operation.member`) → its masked copy (nested secrets). */
  responseDeep: Record<string, DeepMasker>;
  /** Any other blob. */
  blob: Masker;
  /** The 2016 records predate readOnly/managementEvent/eventCategory in ACM's examples. */
  modernFields: boolean;
}

export const PROFILES: Record<EventProfile, ProfileTable> = {
  current: {
    eventVersion: '1.11',
    request: {
      'ImportCertificate.PrivateKey': hidden,
      'ImportCertificate.Certificate': pemText,
      'ImportCertificate.CertificateChain': pemText,
      'ExportCertificate.Passphrase': hidden,
    },
    requestDeep: DEEP_REQUEST,
    responseDeep: DEEP_RESPONSE,
    response: { 'ExportCertificate.PrivateKey': hidden },
    blob: hidden,
    modernFields: true,
  },
  '2016': {
    eventVersion: '1.04',
    request: {
      'ImportCertificate.PrivateKey': elided,
      'ImportCertificate.Certificate': elided,
      'ImportCertificate.CertificateChain': elided,
      'ExportCertificate.Passphrase': asterisks,
    },
    requestDeep: DEEP_REQUEST,
    responseDeep: DEEP_RESPONSE,
    response: { 'ExportCertificate.PrivateKey': () => '**********' },
    blob: elided,
    modernFields: false,
  },
};
