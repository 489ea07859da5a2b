/**
 * Reading IAM's query parameters (`UserName=…`, `Tags.member.1.Key=…`, `TagKeys.member.1=…`) and
 * holding them to the IAM API reference's constraints: names `[\w+=,.@-]+`, paths
 * `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)` up to 512 characters, ARNs 20–2048, tags
 * `[\p{L}\p{Z}\p{N}_.:/=+\-@]` (keys 1–128, values 0–256). Members are named in messages as
 * IAM names them: the wire name with a lower-case first letter (`userName`).
 */
import type { IamTagRecord } from '../../storage/records.js';
import * as E from './errors.js';

export type Params = Record<string, string>;

const member = (param: string) => param.charAt(0).toLowerCase() + param.slice(1);

const NAME = /^[\w+=,.@-]+$/;
// The reference allows up to DEL (\u007F), which IAM refuses in practice (aws-cdk#16165).
const PATH = /^(\/|\/[\u0021-\u007E]+\/)$/;
const PATH_PREFIX = /^\/[\u0021-\u007E]*$/;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function required(p: Params, param: string): string {
  const v = p[param];
  if (v === undefined) throw E.required(member(param));
  return v;
}

function checkLength(param: string, v: string, min: number, max: number): string {
  if (v.length < min) throw E.tooShort(member(param), v, min);
  if (v.length > max) throw E.tooLong(member(param), v, max);
  return v;
}

/** A user, group, role (1–64) or policy (1–128) name. */
export function entityName(p: Params, param: string, max = 64): string {
  const v = checkLength(param, required(p, param), 1, max);
  if (!NAME.test(v)) throw E.invalidName(member(param));
  return v;
}

export function optionalEntityName(p: Params, param: string, max = 64): string | undefined {
  return p[param] === undefined ? undefined : entityName(p, param, max);
}

/** A path such as `/division/team/`; `/` when absent. */
export function path(p: Params, param = 'Path'): string {
  const v = p[param];
  if (v === undefined) return '/';
  checkLength(param, v, 1, 512);
  if (!PATH.test(v)) throw E.invalidPath(member(param));
  return v;
}

export function pathPrefix(p: Params, param = 'PathPrefix'): string {
  const v = p[param];
  if (v === undefined) return '/';
  checkLength(param, v, 1, 512);
  if (!PATH_PREFIX.test(v)) throw E.invalidPathPrefix(member(param));
  return v;
}

export function arn(p: Params, param: string): string {
  return checkLength(param, required(p, param), 20, 2048);
}

export function optionalArn(p: Params, param: string): string | undefined {
  return p[param] === undefined ? undefined : arn(p, param);
}

/** A policy document as sent (IAM keeps and returns the text, whitespace and all). */
export function document(p: Params, param: string): string {
  return checkLength(param, required(p, param), 1, 131072);
}

export function text(p: Params, param: string, max: number): string | undefined {
  const v = p[param];
  return v === undefined ? undefined : checkLength(param, v, 0, max);
}

export function oneOf<T extends string>(p: Params, param: string, values: readonly T[], fallback?: T): T {
  const v = fallback !== undefined && p[param] === undefined ? fallback : required(p, param);
  if (!(values as readonly string[]).includes(v)) throw E.constraint(member(param), v, `Member must satisfy enum value set: [${values.join(', ')}]`);
  return v as T;
}

export function integer(p: Params, param: string, min: number, max: number): number | undefined {
  const v = p[param];
  if (v === undefined) return undefined;
  const n = /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (!(n >= min)) throw E.constraint(member(param), v, `Member must have value greater than or equal to ${min}`);
  if (n > max) throw E.constraint(member(param), v, `Member must have value less than or equal to ${max}`);
  return n;
}

export function bool(p: Params, param: string): boolean | undefined {
  const v = p[param];
  return v === undefined ? undefined : v.toLowerCase() === 'true';
}

/** The members of a list parameter (`Param.member.N`), in N's order. */
export function list(p: Params, param: string): string[] {
  const prefix = `${param}.member.`;
  const found: [number, string][] = [];
  for (const [k, v] of Object.entries(p)) {
    if (!k.startsWith(prefix)) continue;
    const n = Number(k.slice(prefix.length));
    if (Number.isInteger(n)) found.push([n, v]);
  }
  return found.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

function tagKey(param: string, k: string): string {
  checkLength(param, k, 1, 128);
  if (!TAG_KEY.test(k)) throw E.constraint(param, k, 'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+');
  return k;
}

/** At most 50 tags a call, keys unique regardless of case (IAM treats `Env` and `env` as one key). */
function uniqueKeys(keys: string[], param: string): void {
  if (keys.length > 50) throw E.constraint(member(param), null, 'Member must have length less than or equal to 50');
  if (new Set(keys.map((k) => k.toLowerCase())).size !== keys.length) throw E.InvalidInput(E.DUPLICATE_TAG_KEYS);
}

/** `Tags.member.N.Key` / `.Value` as tags; `[]` when none. */
export function tags(p: Params, param = 'Tags'): IamTagRecord[] {
  const prefix = `${param}.member.`;
  const byIndex = new Map<number, Partial<IamTagRecord>>();
  for (const [k, v] of Object.entries(p)) {
    if (!k.startsWith(prefix)) continue;
    const m = /^(\d+)\.(Key|Value)$/.exec(k.slice(prefix.length));
    if (!m) continue;
    const t = byIndex.get(Number(m[1])) ?? {};
    t[m[2] === 'Key' ? 'key' : 'value'] = v;
    byIndex.set(Number(m[1]), t);
  }
  const out = [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([n, t]) => {
    const at = `${member(param)}.${n}.member`;
    if (t.key === undefined) throw E.required(`${at}.key`);
    if (t.value === undefined) throw E.required(`${at}.value`);
    const key = tagKey(`${at}.key`, t.key);
    const value = checkLength(`${at}.value`, t.value, 0, 256);
    if (!TAG_VALUE.test(value)) throw E.constraint(`${at}.value`, value, 'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*');
    return { key, value };
  });
  uniqueKeys(out.map((t) => t.key), param);
  return out;
}

/** `TagKeys.member.N`. */
export function tagKeys(p: Params, param = 'TagKeys'): string[] {
  const keys = list(p, param).map((k, i) => tagKey(`${member(param)}.${i + 1}.member`, k));
  if (keys.length > 50) throw E.constraint(member(param), null, 'Member must have length less than or equal to 50');
  return keys;
}
