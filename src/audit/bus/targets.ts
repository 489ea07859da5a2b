import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../kernel/clock.js';
import type { BusInvocationRecord } from '../../storage/records.js';
import type { ConnectionAuth } from '../../services/events/connection-auth.js';
import { InvocationError, type BusTarget } from './dispatcher.js';

export interface ApiDestinationTarget {
  invocationEndpoint: string;
  httpMethod: string;
  invocationRateLimitPerSecond: number;
  connectionArn: string;
}

export interface TargetLookup {
  apiDestination(arn: string): Promise<ApiDestinationTarget | undefined>;
  connectionAuth(arn: string): Promise<ConnectionAuth | undefined>;
}

const lower = (h: Record<string, string> | undefined) => Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k.toLowerCase(), v]));

/** AWS retries these statuses and gives up on other 4xx (EventBridge API destinations docs). */
const RETRYABLE = new Set([401, 407, 409, 429]);
const isLoopback = (host: string) => host === 'localhost' || host === '[::1]' || /^127\./.test(host);

/**
 * Target invocation: API destinations (HTTP with the connection's auth, at most the
 * destination's rate per second), and CloudWatch Logs log groups as a local sink — a JSON line
 * per event in `<dataDir>/event-sinks/<group>.jsonl`, or on stdout for `/certtrail/stdout`.
 */
export class Targets {
  private readonly tokens = new Map<string, { token: string; until: number }>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly d: { lookup: TargetLookup; clock: Clock; sinkDir: string; stdout?: (line: string) => void; timeoutMs?: number }) {}

  invoke = async (target: BusTarget, payload: string, _inv: BusInvocationRecord): Promise<void> => {
    const arn = target.arn;
    if (/^arn:[^:]+:events:[^:]*:\d{12}:api-destination\//.test(arn)) return this.apiDestination(target, payload);
    const group = /^arn:[^:]+:logs:[^:]*:\d{12}:log-group:([^:]+)(:\*)?$/.exec(arn)?.[1];
    if (group) return this.sink(group, payload);
    throw new InvocationError('TARGET_NOT_SUPPORTED', `certtrail does not deliver to ${arn.split(':')[2]} targets`, false);
  };

  private async sink(group: string, payload: string): Promise<void> {
    const line = payload.replace(/\n/g, ' ') + '\n';
    if (group === '/certtrail/stdout') return void (this.d.stdout ?? ((l) => process.stdout.write(l)))(line);
    await mkdir(this.d.sinkDir, { recursive: true });
    await appendFile(join(this.d.sinkDir, group.replace(/^\/+/, '').replace(/[^A-Za-z0-9._-]/g, '_') + '.jsonl'), line);
  }

  private async apiDestination(target: BusTarget, payload: string): Promise<void> {
    const arn = target.arn;
    const dest = await this.d.lookup.apiDestination(arn);
    if (!dest) throw new InvocationError('RESOURCE_NOT_FOUND', `API destination ${arn} does not exist.`, false);
    const url = new URL(dest.invocationEndpoint);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname)))
      throw new InvocationError('INVALID_ENDPOINT', 'API destination endpoints must use HTTPS (plain HTTP only to loopback).', false);
    await this.admit(arn, dest.invocationRateLimitPerSecond);
    const auth = await this.d.lookup.connectionAuth(dest.connectionArn);
    if (!auth) throw new InvocationError('CONNECTION_NOT_FOUND', `Connection ${dest.connectionArn} does not exist.`, false);
    // The target's HttpParameters, then the connection's (which win, PutTargets doc); `*` in the endpoint takes the path parameters in order.
    let path = 0;
    const params = target.httpParameters ?? {};
    const endpoint = new URL(dest.invocationEndpoint.replace(/\*/g, () => encodeURIComponent(params.pathParameterValues?.[path++] ?? '')));
    const extra = auth.invocationHttpParameters;
    for (const [k, v] of Object.entries({ ...params.queryStringParameters, ...extra?.queryStringParameters })) endpoint.searchParams.set(k, v);
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Amazon/EventBridge/ApiDestinations',
      ...lower(params.headerParameters),
      ...lower(extra?.headerParameters),
    };
    if ('apiKey' in auth) headers[auth.apiKey.name.toLowerCase()] = auth.apiKey.value;
    else if ('basic' in auth) headers.authorization = 'Basic ' + Buffer.from(`${auth.basic.username}:${auth.basic.password}`).toString('base64');
    else headers.authorization = 'Bearer ' + (await this.oauthToken(dest.connectionArn, auth.oauth));
    const r = await this.fetch(endpoint.toString(), { method: dest.httpMethod, headers, body: dest.httpMethod === 'GET' || dest.httpMethod === 'HEAD' ? undefined : payload });
    if (r.status === 401) this.tokens.delete(dest.connectionArn);
    if (r.status >= 200 && r.status < 300) return;
    throw new InvocationError(`HTTP_${r.status}`, `The API destination answered HTTP ${r.status}.`, r.status >= 500 || RETRYABLE.has(r.status));
  }

  private async fetch(url: string, init: RequestInit): Promise<{ status: number; text: string }> {
    try {
      const r = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(this.d.timeoutMs ?? 5_000) });
      return { status: r.status, text: await r.text() };
    } catch (e) {
      throw new InvocationError('SDK_CLIENT_ERROR', `The API destination could not be reached: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Client credentials at the authorization endpoint (Basic client id:secret), cached until expires_in. */
  private async oauthToken(key: string, o: Extract<ConnectionAuth, { oauth: unknown }>['oauth']): Promise<string> {
    const cached = this.tokens.get(key);
    const now = this.d.clock.now().getTime();
    if (cached && cached.until > now) return cached.token;
    const url = new URL(o.authorizationEndpoint);
    for (const [k, v] of Object.entries(o.queryStringParameters ?? {})) url.searchParams.set(k, v);
    const body = new URLSearchParams(o.bodyParameters ?? {});
    const r = await this.fetch(url.toString(), {
      method: o.httpMethod,
      headers: {
        ...(o.headerParameters ?? {}),
        authorization: 'Basic ' + Buffer.from(`${o.clientId}:${o.clientSecret}`).toString('base64'),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: o.httpMethod === 'GET' ? undefined : body.toString(),
    });
    if (r.status < 200 || r.status >= 300) throw new InvocationError('AUTHORIZATION_FAILED', `The authorization endpoint answered HTTP ${r.status}.`);
    let json: { access_token?: string; expires_in?: number } = {};
    try {
      json = JSON.parse(r.text);
    } catch {
      /* not JSON: no token */
    }
    if (!json.access_token) throw new InvocationError('AUTHORIZATION_FAILED', 'The authorization endpoint gave no access_token.');
    this.tokens.set(key, { token: json.access_token, until: now + Math.max(0, (json.expires_in ?? 3600) - 30) * 1000 });
    return json.access_token;
  }

  /** A token bucket per destination: at most `rate` invocations a second. */
  private async admit(key: string, rate: number): Promise<void> {
    for (;;) {
      const now = Date.now();
      const b = this.buckets.get(key) ?? { tokens: rate, at: now };
      b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
      b.at = now;
      this.buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.ceil(((1 - b.tokens) / rate) * 1000)));
    }
  }
}
