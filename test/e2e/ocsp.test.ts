/**
 * certtrail's OCSP responder, asked by `openssl ocsp` at the URL each leaf's AIA names: good
 * before revocation, revoked (with time and reason) after, unknown for a serial the CA never
 * issued; signed by the issuing CA so the response verifies against certtrail's root; and the
 * served CRL, parsed and verified by `openssl crl`, lists the same serial. A certificate that a
 * renewal replaced under the same ARN stays known (and good) beside its successor.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ExportCertificateCommand, GetCertificateCommand, RenewCertificateCommand, RequestCertificateCommand, RevokeCertificateCommand, type ACMClient } from '@aws-sdk/client-acm';
import { acmClient, startServer, waitFor, type RunningServer } from '../helpers/server.js';
import { describeCert, extensionUrls, fetchBytes, scratch, waitStatus, type Scratch } from '../helpers/acm.js';

let server: RunningServer;
let acm: ACMClient;
let s: Scratch;
const arns: Record<'ec' | 'rsa', string> = { ec: '', rsa: '' };

before(async () => {
  server = await startServer();
  acm = acmClient(server.url);
  s = scratch();
  for (const [k, alg] of [['ec', 'EC_prime256v1'], ['rsa', 'RSA_2048']] as const) {
    arns[k] = (await acm.send(new RequestCertificateCommand({ DomainName: `ocsp-${k}.example.com`, ValidationMethod: 'DNS', KeyAlgorithm: alg, Options: { Export: 'ENABLED' } }))).CertificateArn!;
  }
  for (const k of ['ec', 'rsa'] as const) {
    await waitStatus(acm, arns[k]);
    const g = await acm.send(new GetCertificateCommand({ CertificateArn: arns[k] }));
    s.write(`${k}.pem`, g.Certificate!);
    // The chain is the intermediate, then the root.
    s.write(`${k}.issuer.pem`, /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/.exec(g.CertificateChain!)![0]);
  }
  s.write('root.pem', (await fetchBytes(`${server.url}/_certtrail/ca/root.pem`)).body);
});

after(async () => {
  s?.remove();
  await server?.dispose();
});

function ocsp(k: 'ec' | 'rsa', extra: string[] = []) {
  const url = s.openssl(['x509', '-in', `${k}.pem`, '-noout', '-ocsp_uri']).trim();
  assert.equal(url, `${server.url}/_certtrail/ocsp`);
  const r = s.run(['ocsp', '-issuer', `${k}.issuer.pem`, '-url', url, '-CAfile', 'root.pem', '-resp_text', ...(extra.length ? extra : ['-cert', `${k}.pem`])]);
  return { status: r.status, out: r.stdout + r.stderr };
}

test('the leaf AIA names the OCSP responder beside the CA Issuers URL', () => {
  const text = s.openssl(['x509', '-in', 'ec.pem', '-noout', '-text']);
  assert.match(text, new RegExp(`OCSP - URI:${server.url}/_certtrail/ocsp`));
  assert.ok(extensionUrls(text).caIssuers?.startsWith(server.url));
});

test('an issued certificate is good, the response signed by its CA (EC and RSA), with the nonce echoed', () => {
  for (const k of ['ec', 'rsa'] as const) {
    const r = ocsp(k);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /Response verify OK/);
    assert.match(r.out, new RegExp(`${k}\\.pem: good`));
    assert.match(r.out, /OCSP Nonce:/);
    assert.match(r.out, /Next Update: /);
  }
});

test('a serial the CA never issued is unknown', () => {
  const r = ocsp('ec', ['-serial', '0x0123456789abcdef']);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /Response verify OK/);
  assert.match(r.out, /0x0123456789abcdef: unknown/);
});

test('GET requests (RFC 6960 A.1) are answered too', async () => {
  s.run(['ocsp', '-issuer', 'ec.issuer.pem', '-cert', 'ec.pem', '-no_nonce', '-reqout', 'req.der']);
  const der = (await import('node:fs')).readFileSync(s.path('req.der'));
  const res = await fetchBytes(`${server.url}/_certtrail/ocsp/${encodeURIComponent(der.toString('base64'))}`);
  assert.equal(res.status, 200);
  s.write('resp.der', res.body);
  const r = s.run(['ocsp', '-respin', 'resp.der', '-issuer', 'ec.issuer.pem', '-cert', 'ec.pem', '-CAfile', 'root.pem']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout + r.stderr, /ec\.pem: good/);
});

test('garbage is a malformedRequest answer, not an error page', async () => {
  const res = await fetch(`${server.url}/_certtrail/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: 'not der' });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/ocsp-response');
  s.write('bad.der', Buffer.from(await res.arrayBuffer()));
  const r = s.run(['ocsp', '-respin', 'bad.der', '-resp_text', '-noverify']);
  assert.match(r.stdout + r.stderr, /malformedrequest/i);
});

test('after a renewal, the replaced certificate and its successor are both good', async () => {
  await acm.send(new ExportCertificateCommand({ CertificateArn: arns.rsa, Passphrase: Buffer.from('ocsp-pass') }));
  const before = (await describeCert(acm, arns.rsa)).Serial;
  await acm.send(new RenewCertificateCommand({ CertificateArn: arns.rsa }));
  await waitFor(async () => ((await describeCert(acm, arns.rsa)).Serial !== before ? true : undefined));
  s.write('rsa-renewed.pem', (await acm.send(new GetCertificateCommand({ CertificateArn: arns.rsa }))).Certificate!);
  const old = ocsp('rsa');
  assert.equal(old.status, 0, old.out);
  assert.match(old.out, /rsa\.pem: good/);
  const renewed = ocsp('rsa', ['-cert', 'rsa-renewed.pem']);
  assert.match(renewed.out, /Response verify OK/);
  assert.match(renewed.out, /rsa-renewed\.pem: good/);
});

test('after RevokeCertificate: revoked with its time and reason, and on the CRL that openssl crl verifies', async () => {
  await acm.send(new ExportCertificateCommand({ CertificateArn: arns.ec, Passphrase: Buffer.from('ocsp-pass') }));
  await acm.send(new RevokeCertificateCommand({ CertificateArn: arns.ec, RevocationReason: 'SUPERSEDED' }));
  const c = await describeCert(acm, arns.ec);
  assert.equal(c.Status, 'REVOKED');
  const r = ocsp('ec');
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /Response verify OK/);
  assert.match(r.out, /ec\.pem: revoked/);
  assert.match(r.out, /Reason: superseded/);
  assert.match(r.out, /Revocation Time: /);
  // The other certificate of the same CA is still good.
  assert.match(ocsp('rsa').out, /rsa\.pem: good/);

  const { crl } = extensionUrls(s.openssl(['x509', '-in', 'ec.pem', '-noout', '-text']));
  s.write('ec.crl.der', (await fetchBytes(crl!)).body);
  const text = s.openssl(['crl', '-inform', 'DER', '-in', 'ec.crl.der', '-noout', '-text', '-CAfile', 'ec.issuer.pem']);
  assert.match(text, new RegExp(`Serial Number: ${c.Serial!.replace(/:/g, '').toUpperCase()}`));
  assert.match(text, /Next Update: /);
  const verified = s.run(['crl', '-inform', 'DER', '-in', 'ec.crl.der', '-noout', '-CAfile', 'ec.issuer.pem']);
  assert.match(verified.stdout + verified.stderr, /verify OK/);
});
