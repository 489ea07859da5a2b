import { eventConnectionArn, eventConnectionSecretArn } from '../../kernel/arn.js';
import type { RequestContext } from '../../pipeline/context.js';
import type {
  ConnectionAuthParametersRecord, ConnectionAuthorizationType, ConnectionHttpParametersRecord, ConnectionState, EventConnectionRecord,
} from '../../storage/records.js';
import { sealConnectionAuth } from './connection-auth.js';
import type { EventsDeps } from './deps.js';
import { ResourceAlreadyExistsException, ValidationException, connectionNotFound, limitExceeded } from './errors.js';
import { checkEndpoint } from './endpoints.js';
import { connectionListShape, connectionShape } from './render.js';
import type { WireAuthParameters, WireConnectionHttpParameters } from './shapes.js';

/** Connections per account and region (EventBridge quotas: 50). */
export const MAX_CONNECTIONS = 50;

const PARAMETERS: Record<ConnectionAuthorizationType, keyof WireAuthParameters> = {
  API_KEY: 'ApiKeyAuthParameters',
  BASIC: 'BasicAuthParameters',
  OAUTH_CLIENT_CREDENTIALS: 'OAuthParameters',
};

function httpParameters(p: WireConnectionHttpParameters | undefined): ConnectionHttpParametersRecord | undefined {
  if (!p) return undefined;
  const list = (xs: WireConnectionHttpParameters['HeaderParameters']) =>
    (xs ?? []).map((x) => ({ key: x.Key ?? '', value: x.Value, isValueSecret: x.IsValueSecret ?? false }));
  return { headerParameters: list(p.HeaderParameters), queryStringParameters: list(p.QueryStringParameters), bodyParameters: list(p.BodyParameters) };
}

/** The parameters in the record's form, secrets included (what is sealed). */
function fullParameters(type: ConnectionAuthorizationType, a: WireAuthParameters): ConnectionAuthParametersRecord {
  // "You must include only authorization parameters for the AuthorizationType you specify."
  // The messages are ours, in EventBridge's "Parameter(s) … must be specified" style.
  const mine = PARAMETERS[type];
  if (!a[mine]) throw ValidationException(`Parameter(s) ${mine} must be specified for authorization type ${type}.`);
  const others = Object.values(PARAMETERS).filter((p) => p !== mine && a[p]);
  if (others.length) throw ValidationException(`Parameter(s) ${others.join(', ')} cannot be specified for authorization type ${type}.`);
  const out: ConnectionAuthParametersRecord = { invocationHttpParameters: httpParameters(a.InvocationHttpParameters) };
  if (a.ApiKeyAuthParameters) out.apiKey = { apiKeyName: a.ApiKeyAuthParameters.ApiKeyName, apiKeyValue: a.ApiKeyAuthParameters.ApiKeyValue };
  if (a.BasicAuthParameters) out.basic = { username: a.BasicAuthParameters.Username, password: a.BasicAuthParameters.Password };
  if (a.OAuthParameters) {
    const o = a.OAuthParameters;
    checkEndpoint('AuthorizationEndpoint', o.AuthorizationEndpoint);
    out.oauth = {
      authorizationEndpoint: o.AuthorizationEndpoint,
      httpMethod: o.HttpMethod,
      clientId: o.ClientParameters.ClientID,
      clientSecret: o.ClientParameters.ClientSecret,
      oauthHttpParameters: httpParameters(o.OAuthHttpParameters),
    };
  }
  return out;
}

const publicHttp = (p: ConnectionHttpParametersRecord | undefined): ConnectionHttpParametersRecord | undefined => {
  if (!p) return undefined;
  const hide = (xs: ConnectionHttpParametersRecord['headerParameters']) => xs.map((x) => (x.isValueSecret ? { key: x.key, isValueSecret: true } : x));
  return { headerParameters: hide(p.headerParameters), queryStringParameters: hide(p.queryStringParameters), bodyParameters: hide(p.bodyParameters) };
};

/** The public view: what DescribeConnection may show, secrets left out. */
export function publicParameters(a: ConnectionAuthParametersRecord): ConnectionAuthParametersRecord {
  return {
    apiKey: a.apiKey && { apiKeyName: a.apiKey.apiKeyName },
    basic: a.basic && { username: a.basic.username },
    oauth: a.oauth && {
      authorizationEndpoint: a.oauth.authorizationEndpoint,
      httpMethod: a.oauth.httpMethod,
      clientId: a.oauth.clientId,
      oauthHttpParameters: publicHttp(a.oauth.oauthHttpParameters),
    },
    invocationHttpParameters: publicHttp(a.invocationHttpParameters),
  };
}

const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface CreateConnectionInput {
  Name: string;
  Description?: string;
  AuthorizationType: ConnectionAuthorizationType;
  AuthParameters: WireAuthParameters;
  InvocationConnectivityParameters?: unknown;
  KmsKeyIdentifier?: string;
}

/**
 * A new connection keeps its credentials sealed (AWS keeps them in a Secrets Manager secret,
 * whose ARN it reports; certtrail reports such an ARN and stores nothing there). API key and
 * basic connections are AUTHORIZED at once. An OAuth connection answers AUTHORIZING, as AWS
 * does while it fetches the first token; certtrail fetches tokens when it invokes, so the
 * stored state is AUTHORIZED (the dispatcher may set DEAUTHORIZED when the endpoint refuses).
 */
export async function createConnection(ctx: RequestContext, input: CreateConnectionInput, d: EventsDeps) {
  if (input.InvocationConnectivityParameters || input.AuthParameters.ConnectivityParameters)
    throw ValidationException('Parameter(s) InvocationConnectivityParameters are not supported: certtrail has no private (VPC Lattice) endpoints.');
  const full = fullParameters(input.AuthorizationType, input.AuthParameters);
  const account = ctx.principal.accountId;
  return d.store.write(async (tx) => {
    // AWS (localstack's snapshots): "Connection my-conn already exists."
    if (await tx.eventConnections.get(account, ctx.region, input.Name)) throw ResourceAlreadyExistsException(`Connection ${input.Name} already exists.`);
    if ((await tx.eventConnections.list(account, ctx.region)).length >= MAX_CONNECTIONS) throw limitExceeded();
    const id = d.ids.uuid();
    const arn = eventConnectionArn(ctx.region, account, input.Name, id);
    const suffix = [...d.ids.bytes(6)].map((b) => SUFFIX[b % SUFFIX.length]).join('');
    const c: EventConnectionRecord = {
      accountId: account,
      region: ctx.region,
      name: input.Name,
      arn,
      description: input.Description,
      authorizationType: input.AuthorizationType,
      state: 'AUTHORIZED',
      authParameters: publicParameters(full),
      authSealed: sealConnectionAuth(d.box, arn, full),
      secretArn: eventConnectionSecretArn(ctx.region, account, input.Name, d.ids.uuid(), suffix),
      createdAt: ctx.now,
      lastModifiedAt: ctx.now,
      lastAuthorizedAt: ctx.now,
    };
    await tx.eventConnections.put(c);
    const state: ConnectionState = input.AuthorizationType === 'OAUTH_CLIENT_CREDENTIALS' ? 'AUTHORIZING' : c.state;
    return { ConnectionArn: c.arn, ConnectionState: state, CreationTime: c.createdAt, LastModifiedTime: c.lastModifiedAt };
  });
}

export async function describeConnection(ctx: RequestContext, input: { Name: string }, d: EventsDeps) {
  const c = await d.store.read((tx) => tx.eventConnections.get(ctx.principal.accountId, ctx.region, input.Name));
  if (!c) throw connectionNotFound(input.Name);
  return connectionShape(c);
}

export async function listConnections(ctx: RequestContext, input: { NamePrefix?: string; ConnectionState?: ConnectionState; NextToken?: string; Limit?: number }, d: EventsDeps) {
  const all = await d.store.read((tx) => tx.eventConnections.list(ctx.principal.accountId, ctx.region));
  const prefix = input.NamePrefix ?? '';
  const wanted = all.filter((c) => c.name.startsWith(prefix) && (!input.ConnectionState || c.state === input.ConnectionState));
  const page = d.paging.page(wanted, input.NextToken, input.Limit, `ListConnections\0${ctx.principal.accountId}\0${ctx.region}\0${prefix}\0${input.ConnectionState ?? ''}`);
  return { Connections: page.items.map(connectionListShape), NextToken: page.next };
}

/** The answer describes the connection as it was, in state DELETING (AWS's DeleteConnection response). */
export async function deleteConnection(ctx: RequestContext, input: { Name: string }, d: EventsDeps) {
  return d.store.write(async (tx) => {
    const c = await tx.eventConnections.get(ctx.principal.accountId, ctx.region, input.Name);
    if (!c) throw connectionNotFound(input.Name);
    await tx.eventConnections.delete(c.accountId, c.region, c.name);
    return { ConnectionArn: c.arn, ConnectionState: 'DELETING', CreationTime: c.createdAt, LastModifiedTime: ctx.now, LastAuthorizedTime: c.lastAuthorizedAt };
  });
}
