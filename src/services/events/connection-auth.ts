import type { SecretBox } from '../../kernel/secret-box.js';
import type { ConnectionAuthParametersRecord, ConnectionHttpParametersRecord, EventConnectionRecord } from '../../storage/records.js';

/** A connection's extra parameters with every value, secret ones too. */
export interface OpenHttpParameters {
  headerParameters: Record<string, string>;
  queryStringParameters: Record<string, string>;
  bodyParameters: Record<string, string>;
}

/**
 * What a request to an API destination needs of its connection, secrets opened. For OAuth,
 * the extra parameters are those sent to the authorization endpoint; `invocationHttpParameters`
 * go with every invocation (and win over a target's HttpParameters, PutTargets doc).
 */
export type ConnectionAuth = (
  | { apiKey: { name: string; value: string } }
  | { basic: { username: string; password: string } }
  | {
      oauth: {
        authorizationEndpoint: string;
        httpMethod: string;
        clientId: string;
        clientSecret: string;
        bodyParameters?: Record<string, string>;
        headerParameters?: Record<string, string>;
        queryStringParameters?: Record<string, string>;
      };
    }
) & { invocationHttpParameters?: OpenHttpParameters };

const aad = (arn: string) => `events-connection:${arn}`;

export function sealConnectionAuth(box: SecretBox, arn: string, auth: ConnectionAuthParametersRecord): Buffer {
  return box.seal(JSON.stringify(auth), aad(arn));
}

/** The full authorization parameters, secrets included. Never put them in a response, an event or a log. */
export function openConnectionAuthParameters(c: EventConnectionRecord, box: SecretBox): ConnectionAuthParametersRecord {
  return JSON.parse(box.open(c.authSealed, aad(c.arn)).toString('utf8')) as ConnectionAuthParametersRecord;
}

function open(p: ConnectionHttpParametersRecord | undefined): OpenHttpParameters | undefined {
  if (!p) return undefined;
  const obj = (xs: ConnectionHttpParametersRecord['headerParameters']) => Object.fromEntries(xs.map((x) => [x.key, x.value ?? '']));
  return { headerParameters: obj(p.headerParameters), queryStringParameters: obj(p.queryStringParameters), bodyParameters: obj(p.bodyParameters) };
}

/**
 * A connection's credentials for the dispatcher: the sealed parameters opened (the SecretBox
 * checks they belong to this connection's ARN) and put in the form a request is built from.
 */
export function openConnectionAuth(c: EventConnectionRecord, box: SecretBox): ConnectionAuth {
  const a = openConnectionAuthParameters(c, box);
  const invocationHttpParameters = open(a.invocationHttpParameters);
  const extra = invocationHttpParameters ? { invocationHttpParameters } : {};
  if (c.authorizationType === 'API_KEY' && a.apiKey) return { apiKey: { name: a.apiKey.apiKeyName, value: a.apiKey.apiKeyValue ?? '' }, ...extra };
  if (c.authorizationType === 'BASIC' && a.basic) return { basic: { username: a.basic.username, password: a.basic.password ?? '' }, ...extra };
  if (c.authorizationType === 'OAUTH_CLIENT_CREDENTIALS' && a.oauth) {
    const o = open(a.oauth.oauthHttpParameters);
    return {
      oauth: {
        authorizationEndpoint: a.oauth.authorizationEndpoint,
        httpMethod: a.oauth.httpMethod,
        clientId: a.oauth.clientId,
        clientSecret: a.oauth.clientSecret ?? '',
        ...(o ? { bodyParameters: o.bodyParameters, headerParameters: o.headerParameters, queryStringParameters: o.queryStringParameters } : {}),
      },
      ...extra,
    };
  }
  throw new Error(`connection ${c.arn} has no ${c.authorizationType} parameters`);
}
