import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { certificateFacts, ipText } from './facts.js';
import { openssl, scratch, type Scratch } from './testing.js';

let dir: Scratch;
before(() => {
  dir = scratch();
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', dir.path('rsa.key')]);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', dir.path('ec.key')]);
});
after(() => dir.remove());

const fingerprint = (pem: string) =>
  openssl(['x509', '-noout', '-fingerprint', '-sha256'], { input: pem }).trim().split('=')[1].replace(/:/g, '').toLowerCase();

test('every field of a CA-signed leaf with SANs, KU and EKU', () => {
  const caPem = openssl([
    'req', '-x509', '-new', '-key', dir.path('rsa.key'), '-subj', '/C=US/O=Example Trust/CN=Example CA', '-days', '30',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  dir.write('ca.pem', caPem);
  dir.write('leaf.csr', openssl(['req', '-new', '-key', dir.path('ec.key'), '-subj', '/C=US/ST=WA/O=Shop/CN=shop.example.com']));
  dir.write(
    'leaf.ext',
    [
      'subjectAltName=DNS:shop.example.com,DNS:*.shop.example.com,IP:192.0.2.7,IP:2001:db8::1,email:a@example.com,URI:https://x',
      'keyUsage=critical,digitalSignature,keyAgreement',
      'extendedKeyUsage=serverAuth,clientAuth,1.3.6.1.4.1.311.10.3.4',
      'basicConstraints=CA:FALSE',
    ].join('\n'),
  );
  const pem = openssl([
    'x509', '-req', '-in', dir.path('leaf.csr'), '-CA', dir.path('ca.pem'), '-CAkey', dir.path('rsa.key'),
    '-set_serial', '0x03e9', '-days', '10', '-sha384', '-extfile', dir.path('leaf.ext'),
  ]);
  const f = certificateFacts(pem);
  const dates = openssl(['x509', '-noout', '-dates'], { input: pem });
  const [nb, na] = dates.trim().split('\n').map((l) => new Date(l.split('=')[1]));
  assert.deepEqual(f, {
    domainName: 'shop.example.com',
    subjectAlternativeNames: ['shop.example.com', '*.shop.example.com', '192.0.2.7', '2001:db8::1'],
    subject: 'C=US,ST=WA,O=Shop,CN=shop.example.com',
    issuer: 'Example Trust',
    issuerDn: 'C=US,O=Example Trust,CN=Example CA',
    serial: '03:e9',
    notBefore: nb,
    notAfter: na,
    keyAlgorithm: 'EC_prime256v1',
    signatureAlgorithm: 'SHA384WITHRSA',
    keyUsages: ['DIGITAL_SIGNATURE', 'KEY_AGREEMENT'],
    extendedKeyUsages: [
      { name: 'TLS_WEB_SERVER_AUTHENTICATION', oid: '1.3.6.1.5.5.7.3.1' },
      { name: 'TLS_WEB_CLIENT_AUTHENTICATION', oid: '1.3.6.1.5.5.7.3.2' },
      { name: 'CUSTOM', oid: '1.3.6.1.4.1.311.10.3.4' },
    ],
    isCa: false,
    selfSigned: false,
    fingerprint256: fingerprint(pem),
  });

  const ca = certificateFacts(caPem);
  assert.equal(ca.isCa, true);
  assert.equal(ca.selfSigned, true);
  assert.deepEqual(ca.keyUsages, ['CERTIFICATE_SIGNING', 'CRL_SIGNING']);
  assert.equal(ca.issuer, 'Example Trust');
  assert.equal(ca.keyAlgorithm, 'RSA_2048');
});

test('no CN: domain name is the first SAN; no O in issuer: its CN; no KU/EKU: empty lists', () => {
  const pem = openssl([
    'req', '-x509', '-new', '-key', dir.path('rsa.key'), '-subj', '/OU=Only Unit', '-days', '1',
    '-addext', 'subjectAltName=DNS:first.example,DNS:second.example', '-addext', 'basicConstraints=CA:FALSE',
  ]);
  const f = certificateFacts(pem);
  assert.equal(f.domainName, 'first.example');
  assert.equal(f.subject, 'OU=Only Unit');
  assert.equal(f.issuer, 'OU=Only Unit', 'neither O nor CN: the whole DN');
  assert.deepEqual(f.keyUsages, []);
  assert.deepEqual(f.extendedKeyUsages, []);

  const cnOnly = certificateFacts(openssl(['req', '-x509', '-new', '-key', dir.path('ec.key'), '-subj', '/CN=Issuer CN', '-days', '1']));
  assert.equal(cnOnly.issuer, 'Issuer CN');
  assert.equal(cnOnly.selfSigned, true);
  assert.equal(cnOnly.signatureAlgorithm, 'SHA256WITHECDSA');
});

test('same subject and issuer but a foreign signature is not self-signed', () => {
  dir.write('s.csr', openssl(['req', '-new', '-key', dir.path('ec.key'), '-subj', '/CN=same']));
  const caPem = openssl(['req', '-x509', '-new', '-key', dir.path('rsa.key'), '-subj', '/CN=same', '-days', '1']);
  dir.write('same-ca.pem', caPem);
  const pem = openssl(['x509', '-req', '-in', dir.path('s.csr'), '-CA', dir.path('same-ca.pem'), '-CAkey', dir.path('rsa.key'), '-days', '1']);
  assert.equal(certificateFacts(pem).selfSigned, false);
});

test('ipText: IPv4 and RFC 5952 IPv6', () => {
  const v6 = (s: string) => Buffer.from(s.replace(/:/g, ''), 'hex');
  assert.equal(ipText(Buffer.from([10, 0, 0, 1])), '10.0.0.1');
  assert.equal(ipText(v6('2001:0db8:0000:0000:0000:0000:0000:0001')), '2001:db8::1');
  assert.equal(ipText(v6('0000:0000:0000:0000:0000:0000:0000:0001')), '::1');
  assert.equal(ipText(v6('0000:0000:0000:0000:0000:0000:0000:0000')), '::');
  assert.equal(ipText(v6('2001:0db8:0000:0001:0000:0000:0000:0001')), '2001:db8:0:1::1', 'the longer run wins');
  assert.equal(ipText(v6('2001:0db8:0000:0001:0001:0001:0001:0001')), '2001:db8:0:1:1:1:1:1', 'a single zero is not compressed');
  assert.equal(ipText(v6('fe80:0000:0000:0001:0000:0000:0001:0001')), 'fe80::1:0:0:1:1', 'first run wins a tie');
  assert.equal(ipText(Buffer.alloc(8)), undefined);
});

test('junk is not a certificate', () => {
  assert.throws(() => certificateFacts('-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n'));
  assert.throws(() => certificateFacts('hello'));
});
