import type { Clock } from '../kernel/clock.js';
import type { Store } from '../storage/ports.js';
import { approve, lookupApproval, type Approval } from '../services/acm/approval.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const HTML = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'X-Frame-Options': 'DENY', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'" };

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}dt{font-weight:600}dd{margin:0 0 .6rem}button{font-size:1rem;padding:.5rem 1.5rem}</style>
</head><body><h1>${esc(title)}</h1>${body}</body></html>`;
}

function details(a: Approval): string {
  const c = a.certificate;
  return `<dl>
<dt>Domain name</dt><dd id="domain">${esc(a.domain.domainName)}</dd>
<dt>AWS account number</dt><dd id="account">${esc(c.accountId)}</dd>
<dt>AWS Region</dt><dd id="region">${esc(c.region)}</dd>
<dt>Certificate identifier</dt><dd id="certificate">${esc(c.id)}</dd>
</dl>`;
}

const INVALID = page('Approval link not valid', '<p id="invalid">This approval link is not valid: it was already used, has expired (links last 72 hours), or the request is no longer pending.</p>');

/**
 * certtrail's Certificate Approvals page, the link in every validation mail: GET shows what is
 * being approved and an "I Approve" button; the button POSTs the token back, which validates the
 * domain once (the token is single-use). AWS: "clicking a link in the mail to navigate to the
 * Amazon certificate approval website and then clicking I Approve" (ResendValidationEmail API
 * reference). The mail's and the page's wording are certtrail's own; the fields are those ACM's
 * mail gives (domain, account, region, certificate identifier).
 */
export function approvalPage(d: { store: Store; clock: Clock; wake: () => void }) {
  return async (method: string, query: string, body?: Buffer) => {
    const params = new URLSearchParams(method === 'POST' ? (body ?? Buffer.alloc(0)).toString('utf8') : query);
    const token = params.get('token') ?? '';
    if (method === 'GET') {
      const a = await lookupApproval(d.store, token, d.clock.now());
      if (!a) return { status: 404, headers: HTML, body: INVALID };
      return {
        status: 200,
        headers: HTML,
        body: page('Certificate approval', `<p>Approve the certificate ${a.renewal ? 'renewal' : 'request'} for the domain below?</p>${details(a)}
<form method="post" action="/_certtrail/approve"><input type="hidden" name="token" value="${esc(token)}"><button id="approve" type="submit">I Approve</button></form>`),
      };
    }
    const a = await approve(d.store, token, d.clock.now());
    if (!a) return { status: 404, headers: HTML, body: INVALID };
    d.wake();
    return { status: 200, headers: HTML, body: page('Success!', `<p id="approved">You have approved the certificate ${a.renewal ? 'renewal' : 'request'} for ${esc(a.domain.domainName)}.</p>${details(a)}`) };
  };
}
