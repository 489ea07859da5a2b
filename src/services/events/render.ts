import type {
  ApiDestinationRecord, ConnectionHttpParametersRecord, EventConnectionRecord, EventRuleRecord, EventTargetRecord,
} from '../../storage/records.js';

/** DescribeRule's shape (the Rule of ListRules is the same without CreatedBy). */
export function ruleShape(r: EventRuleRecord) {
  return {
    Name: r.name,
    Arn: r.arn,
    EventPattern: r.eventPattern,
    ScheduleExpression: r.scheduleExpression,
    State: r.state,
    Description: r.description,
    RoleArn: r.roleArn,
    ManagedBy: r.managedBy,
    EventBusName: r.eventBusName,
    CreatedBy: r.createdBy,
  };
}

export function ruleListShape(r: EventRuleRecord) {
  const { CreatedBy: _c, ...rest } = ruleShape(r);
  return rest;
}

export function targetShape(t: EventTargetRecord) {
  return {
    Id: t.id,
    Arn: t.arn,
    RoleArn: t.roleArn,
    Input: t.input,
    InputPath: t.inputPath,
    InputTransformer: t.inputTransformer && { InputPathsMap: t.inputTransformer.inputPathsMap, InputTemplate: t.inputTransformer.inputTemplate },
    ...t.otherParameters,
    SqsParameters: t.sqsParameters && { MessageGroupId: t.sqsParameters.messageGroupId },
    HttpParameters: t.httpParameters && {
      PathParameterValues: t.httpParameters.pathParameterValues,
      HeaderParameters: t.httpParameters.headerParameters,
      QueryStringParameters: t.httpParameters.queryStringParameters,
    },
    DeadLetterConfig: t.deadLetterConfig && { Arn: t.deadLetterConfig.arn },
    RetryPolicy: t.retryPolicy && { MaximumRetryAttempts: t.retryPolicy.maximumRetryAttempts, MaximumEventAgeInSeconds: t.retryPolicy.maximumEventAgeInSeconds },
  };
}

function httpParametersShape(p: ConnectionHttpParametersRecord | undefined) {
  if (!p) return undefined;
  const list = (xs: ConnectionHttpParametersRecord['headerParameters']) =>
    xs.length ? xs.map((x) => ({ Key: x.key, Value: x.isValueSecret ? undefined : x.value, IsValueSecret: x.isValueSecret })) : undefined;
  return { HeaderParameters: list(p.headerParameters), QueryStringParameters: list(p.queryStringParameters), BodyParameters: list(p.bodyParameters) };
}

/**
 * DescribeConnection's AuthParameters: the non-secret parts only (AWS returns the API key
 * name, the user name, the client id and endpoint; secret parameter values are left out).
 */
export function authParametersShape(c: EventConnectionRecord) {
  const a = c.authParameters;
  return {
    BasicAuthParameters: a.basic && { Username: a.basic.username },
    ApiKeyAuthParameters: a.apiKey && { ApiKeyName: a.apiKey.apiKeyName },
    OAuthParameters: a.oauth && {
      ClientParameters: { ClientID: a.oauth.clientId },
      AuthorizationEndpoint: a.oauth.authorizationEndpoint,
      HttpMethod: a.oauth.httpMethod,
      OAuthHttpParameters: httpParametersShape(a.oauth.oauthHttpParameters),
    },
    InvocationHttpParameters: httpParametersShape(a.invocationHttpParameters),
  };
}

export function connectionShape(c: EventConnectionRecord) {
  return {
    ConnectionArn: c.arn,
    Name: c.name,
    Description: c.description,
    ConnectionState: c.state,
    StateReason: c.stateReason,
    AuthorizationType: c.authorizationType,
    SecretArn: c.secretArn,
    AuthParameters: authParametersShape(c),
    CreationTime: c.createdAt,
    LastModifiedTime: c.lastModifiedAt,
    LastAuthorizedTime: c.lastAuthorizedAt,
  };
}

/** ListConnections' Connection. */
export function connectionListShape(c: EventConnectionRecord) {
  return {
    ConnectionArn: c.arn,
    Name: c.name,
    ConnectionState: c.state,
    StateReason: c.stateReason,
    AuthorizationType: c.authorizationType,
    CreationTime: c.createdAt,
    LastModifiedTime: c.lastModifiedAt,
    LastAuthorizedTime: c.lastAuthorizedAt,
  };
}

export function apiDestinationShape(a: ApiDestinationRecord) {
  return {
    ApiDestinationArn: a.arn,
    Name: a.name,
    Description: a.description,
    ApiDestinationState: a.state,
    ConnectionArn: a.connectionArn,
    InvocationEndpoint: a.invocationEndpoint,
    HttpMethod: a.httpMethod,
    InvocationRateLimitPerSecond: a.invocationRateLimitPerSecond,
    CreationTime: a.createdAt,
    LastModifiedTime: a.lastModifiedAt,
  };
}

/** ListApiDestinations' ApiDestination: the same without the description. */
export function apiDestinationListShape(a: ApiDestinationRecord) {
  const { Description: _d, ...rest } = apiDestinationShape(a);
  return rest;
}
