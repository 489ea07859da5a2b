import type { RequestContext } from '../../pipeline/context.js';
import type { CertificateRecord } from '../../storage/records.js';
import type { AcmDeps } from './deps.js';
import type { Paging } from './paging.js';
import { InvalidArgsException } from './errors.js';
import { EncodedOutput } from '../../protocol/json11.js';
import { deepFreeze } from '../../storage/doc-cache.js';
import { renderedSummary, usageNames } from './render.js';

interface ListInput {
  CertificateStatuses?: string[];
  Includes?: { extendedKeyUsage?: string[]; keyUsage?: string[]; keyTypes?: string[]; exportOption?: string; managedBy?: string };
  NextToken?: string;
  MaxItems?: number;
  SortBy?: 'CREATED_AT';
  SortOrder?: 'ASCENDING' | 'DESCENDING';
}

/**
 * Without `Includes.keyTypes` ACM lists only RSA_1024 and RSA_2048 certificates (Filters doc;
 * users see EC certificates missing from a plain list — acm.md §2.3 ListCertificates).
 */
const DEFAULT_KEY_TYPES = ['RSA_1024', 'RSA_2048'];
const DEFAULT_PAGE = 1000;

export function matchesIncludes(c: CertificateRecord, inc: ListInput['Includes']): boolean {
  const keyTypes = inc?.keyTypes ?? DEFAULT_KEY_TYPES;
  if (!keyTypes.includes(c.keyAlgorithm)) return false;
  if (inc?.keyUsage || inc?.extendedKeyUsage) {
    const { ku, eku } = usageNames(c);
    if (inc.keyUsage && !inc.keyUsage.some((k) => ku.includes(k))) return false;
    if (inc.extendedKeyUsage && !inc.extendedKeyUsage.some((k) => eku.includes(k))) return false;
  }
  if (inc?.exportOption && c.options.export !== inc.exportOption) return false;
  if (inc?.managedBy && c.managedBy !== inc.managedBy) return false;
  return true;
}

export async function listCertificates(ctx: RequestContext, input: ListInput, d: AcmDeps) {
  if ((input.SortBy === undefined) !== (input.SortOrder === undefined))
    throw InvalidArgsException('SortBy and SortOrder must be specified together.');
  const query = JSON.stringify({ s: input.CertificateStatuses, i: input.Includes, o: input.SortOrder });
  const offset = d.paging.offset(input.NextToken, query);
  const all = await d.store.read((tx) => tx.certificates.list(ctx.principal.accountId, ctx.region));
  // A page is a function of the stored certificates, the query and the window, and the store
  // hands out one frozen list while no certificate changes (storage/sqlite/cert-cache.ts).
  const pageKey = `${offset}\0${input.MaxItems ?? ''}\0${query}`;
  const frozen = Object.isFrozen(all);
  const memo = frozen ? pages.get(d.paging)?.get(all) : undefined;
  const hit = memo?.get(pageKey);
  if (hit) return hit;
  const out = renderPage(all, input, query, offset, d);
  if (frozen) {
    if (memo) {
      if (memo.size >= PAGES_PER_LIST) memo.delete(memo.keys().next().value!);
      memo.set(pageKey, out);
    } else {
      let byList = pages.get(d.paging);
      if (!byList) pages.set(d.paging, (byList = new WeakMap()));
      byList.set(all, new Map([[pageKey, out]]));
    }
  }
  return out;
}

/**
 * Rendered pages by paging key (its NextTokens are in them) and stored list; weak keys: they go
 * with the list a write replaces.
 */
const pages = new WeakMap<Paging, WeakMap<readonly CertificateRecord[], Map<string, EncodedOutput>>>();
const PAGES_PER_LIST = 8;

function renderPage(all: readonly CertificateRecord[], input: ListInput, query: string, offset: number, d: AcmDeps): EncodedOutput {
  let rows = all.filter((c) => (!input.CertificateStatuses?.length || input.CertificateStatuses.includes(c.status)) && matchesIncludes(c, input.Includes));
  if (input.SortOrder === 'DESCENDING') rows = rows.reverse();
  const size = input.MaxItems ?? DEFAULT_PAGE;
  const page = rows.slice(offset, offset + size);
  const next = offset + size < rows.length ? d.paging.token(offset + size, query) : undefined;
  // Each summary is written once per stored version of its certificate; the page is their list.
  const rendered = page.map(renderedSummary);
  let json = '{"CertificateSummaryList":[';
  for (let i = 0; i < rendered.length; i++) json += i === 0 ? rendered[i].json : ',' + rendered[i].json;
  json += next === undefined ? ']}' : `],"NextToken":${JSON.stringify(next)}}`;
  return new EncodedOutput(deepFreeze({ CertificateSummaryList: rendered.map((r) => r.value), NextToken: next }), json);
}
