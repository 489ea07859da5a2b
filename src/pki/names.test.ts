import assert from 'node:assert/strict';
import { before, after, test } from 'node:test';
import { parseCertificatePem } from './certificate.js';
import {
  OID_CN, OID_O, extendedKeyUsageName, formatSerial, keyUsageNames, nameField, renderName, serialToHex, signatureAlgorithmName,
} from './names.js';
import { openssl, scratch, type Scratch } from './testing.js';

let dir: Scratch;
before(() => {
  dir = scratch();
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', dir.path('rsa.key')]);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', dir.path('ec.key')]);
});
after(() => dir.remove());

function selfSigned(key: string, subj: string, extra: string[] = []): string {
  return openssl(['req', '-x509', '-new', '-key', dir.path(key), '-subj', subj, '-days', '2', ...extra]);
}

test('DN renders like ACM: certificate RDN order, comma-joined, no spaces', () => {
  const pem = selfSigned('rsa.key', '/C=AU/ST=Some-State/L=Some-Locality/O=LocalStack Org/OU=Testing/CN=localhost');
  const cert = parseCertificatePem(pem);
  assert.equal(renderName(cert.subjectDer), 'C=AU,ST=Some-State,L=Some-Locality,O=LocalStack Org,OU=Testing,CN=localhost');
  assert.equal(nameField(cert.subjectDer, OID_CN), 'localhost');
  assert.equal(nameField(cert.issuerDer, OID_O), 'LocalStack Org');
});

test('order is the encoded order, not a canonical one', () => {
  const cert = parseCertificatePem(selfSigned('rsa.key', '/CN=first/O=second/C=US'));
  assert.equal(renderName(cert.subjectDer), 'CN=first,O=second,C=US');
});

test('special characters are escaped, multi-valued RDNs use +, email and DC get BC short names', () => {
  const subj = '/DC=com/DC=example/O=Acme\\, Inc.+OU=R&D/emailAddress=ops@example.com/CN=#hash = x; <y>/CN=a\\+b';
  const cert = parseCertificatePem(selfSigned('rsa.key', subj, ['-multivalue-rdn']));
  assert.equal(
    renderName(cert.subjectDer),
    // Within an RDN, DER sorts the SET by encoding: the shorter OU sequence comes first.
    'DC=com,DC=example,OU=R&D+O=Acme\\, Inc.,E=ops@example.com,CN=\\#hash \\= x\\; \\<y\\>,CN=a\\+b',
  );
});

test('UTF-8 values and unknown OIDs render as text; unknown OIDs keep the dotted form', () => {
  const cert = parseCertificatePem(selfSigned('rsa.key', '/O=Zürich AG/1.3.6.1.4.1.311.60.2.1.3=CH/CN=x', ['-utf8']));
  assert.equal(renderName(cert.subjectDer), 'O=Zürich AG,1.3.6.1.4.1.311.60.2.1.3=CH,CN=x');
});

test('serials are lowercase colon hex without the DER sign byte, matching openssl -serial', () => {
  assert.equal(formatSerial('03e9'), '03:e9');
  assert.equal(formatSerial('3e9'), '03:e9');
  assert.equal(formatSerial(Buffer.from('00c601', 'hex')), 'c6:01');
  assert.equal(formatSerial(Buffer.from('0045', 'hex')), '00:45', 'only a sign byte is dropped');
  assert.equal(serialToHex('C6:01'), 'c601');
  assert.throws(() => serialToHex('zz'), RangeError);
  const pem = selfSigned('rsa.key', '/CN=s', ['-set_serial', '0xC6A1B2C3D4E5F60708']);
  const ours = formatSerial(parseCertificatePem(pem).cert.serialNumber);
  const theirs = openssl(['x509', '-noout', '-serial'], { input: pem }).trim().replace('serial=', '');
  assert.equal(ours, 'c6:a1:b2:c3:d4:e5:f6:07:08');
  assert.equal(ours.replace(/:/g, ''), theirs.toLowerCase());
});

test('signature algorithm names for RSA, ECDSA and RSASSA-PSS', () => {
  const name = (pem: string) => signatureAlgorithmName(parseCertificatePem(pem).signatureAlgorithmDer);
  assert.equal(name(selfSigned('rsa.key', '/CN=a', ['-sha256'])), 'SHA256WITHRSA');
  assert.equal(name(selfSigned('rsa.key', '/CN=a', ['-sha384'])), 'SHA384WITHRSA');
  assert.equal(name(selfSigned('rsa.key', '/CN=a', ['-sha512'])), 'SHA512WITHRSA');
  assert.equal(name(selfSigned('ec.key', '/CN=a', ['-sha256'])), 'SHA256WITHECDSA');
  assert.equal(name(selfSigned('ec.key', '/CN=a', ['-sha384'])), 'SHA384WITHECDSA');
  assert.equal(name(selfSigned('ec.key', '/CN=a', ['-sha512'])), 'SHA512WITHECDSA');
  const pss = selfSigned('rsa.key', '/CN=a', ['-sha256', '-sigopt', 'rsa_padding_mode:pss']);
  assert.equal(name(pss), 'SHA256WITHRSAANDMGF1');
  const pss384 = selfSigned('rsa.key', '/CN=a', ['-sha384', '-sigopt', 'rsa_padding_mode:pss']);
  assert.equal(name(pss384), 'SHA384WITHRSAANDMGF1');
});

test('key usage bits and EKU OIDs map to ACM names', () => {
  assert.deepEqual(keyUsageNames(1 | 4), ['DIGITAL_SIGNATURE', 'KEY_ENCIPHERMENT']);
  assert.deepEqual(keyUsageNames(32 | 64), ['CERTIFICATE_SIGNING', 'CRL_SIGNING']);
  assert.deepEqual(keyUsageNames(2 | 8 | 16 | 128 | 256), [
    'NON_REPUDIATION', 'DATA_ENCIPHERMENT', 'KEY_AGREEMENT', 'ENCIPHER_ONLY', 'DECIPHER_ONLY',
  ]);
  const eku: Record<string, string> = {
    '1.3.6.1.5.5.7.3.1': 'TLS_WEB_SERVER_AUTHENTICATION',
    '1.3.6.1.5.5.7.3.2': 'TLS_WEB_CLIENT_AUTHENTICATION',
    '1.3.6.1.5.5.7.3.3': 'CODE_SIGNING',
    '1.3.6.1.5.5.7.3.4': 'EMAIL_PROTECTION',
    '1.3.6.1.5.5.7.3.5': 'IPSEC_END_SYSTEM',
    '1.3.6.1.5.5.7.3.6': 'IPSEC_TUNNEL',
    '1.3.6.1.5.5.7.3.7': 'IPSEC_USER',
    '1.3.6.1.5.5.7.3.8': 'TIME_STAMPING',
    '1.3.6.1.5.5.7.3.9': 'OCSP_SIGNING',
    '2.5.29.37.0': 'ANY',
    '1.3.6.1.4.1.311.10.3.4': 'CUSTOM',
  };
  for (const [oid, n] of Object.entries(eku)) assert.equal(extendedKeyUsageName(oid), n, oid);
});
