/**
 * ImportCertificate and ExportCertificate through @aws-sdk/client-acm, with certificates and
 * keys made by the openssl CLI: the Describe fields derived from an imported certificate,
 * chains, every rejected input, re-import rules, and the encrypted PKCS#8 export (decrypted and
 * matched to the certificate with openssl). acm.md §2.3 ImportCertificate / ExportCertificate.
 *
 * Key material is written to a scratch dir and compared there; no assertion message quotes it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ExportCertificateCommand, GetCertificateCommand, ImportCertificateCommand, ListCertificatesCommand, ListTagsForCertificateCommand,
  RequestCertificateCommand, type ACMClient, type ImportCertificateCommandInput,
} from '@aws-sdk/client-acm';
import { acmClient, startServer, type RunningServer } from '../helpers/server.js';
import {
  ACCOUNT, CERT_ARN, blocks, certPublicKey, colonSerial, describeCert, expectError, makeCa, makeCert, makeExpiredCert,
  privateCaArn, scratch, unknownArn, waitStatus, type Scratch,
} from '../helpers/acm.js';

let server: RunningServer;
let acm: ACMClient;
let s: Scratch;
let caArn: string;

before(async () => {
  server = await startServer();
  acm = acmClient(server.url);
  s = scratch();
  caArn = await privateCaArn(server.url);
});
after(async () => {
  s?.remove();
  await server?.dispose();
});

const b = (text: string) => Buffer.from(text);
const importCert = async (input: { cert: string; key: string; chain?: string; arn?: string; tags?: ImportCertificateCommandInput['Tags'] }) =>
  (await acm.send(new ImportCertificateCommand({
    Certificate: b(input.cert), PrivateKey: b(input.key), CertificateChain: input.chain ? b(input.chain) : undefined,
    CertificateArn: input.arn, Tags: input.tags,
  }))).CertificateArn!;
const serialOf = (file: string) => colonSerial(/serial=(\w+)/.exec(s.openssl(['x509', '-in', file, '-noout', '-serial']))![1]);
const datesOf = (file: string) => {
  const out = s.openssl(['x509', '-in', file, '-noout', '-dates']);
  return { notBefore: new Date(/notBefore=(.+)/.exec(out)![1]), notAfter: new Date(/notAfter=(.+)/.exec(out)![1]) };
};

describe('ImportCertificate', () => {
  test('a self-signed certificate: Describe fields come from the certificate', async () => {
    const m = makeCert(s, 'full', {
      subj: '/C=AU/ST=Some-State/L=Some-Locality/O=LocalStack Org/OU=Testing/CN=import.example.com',
      sans: ['import.example.com', 'www.import.example.com'], days: 30, serial: '0x3e9',
    });
    const before = Date.now();
    const arn = await importCert(m);
    assert.match(arn, CERT_ARN);
    const c = await describeCert(acm, arn);
    assert.equal(c.Type, 'IMPORTED');
    assert.equal(c.Status, 'ISSUED');
    assert.equal(c.DomainName, 'import.example.com');
    assert.deepEqual(c.SubjectAlternativeNames, ['import.example.com', 'www.import.example.com']);
    // Full DN in certificate order, comma-joined without spaces; Issuer is the issuer's O (acm.md §3.1).
    assert.equal(c.Subject, 'C=AU,ST=Some-State,L=Some-Locality,O=LocalStack Org,OU=Testing,CN=import.example.com');
    assert.equal(c.Issuer, 'LocalStack Org');
    assert.equal(c.Serial, '03:e9');
    assert.equal(c.Serial, serialOf('full.crt'));
    const d = datesOf('full.crt');
    assert.deepEqual(c.NotBefore, d.notBefore);
    assert.deepEqual(c.NotAfter, d.notAfter);
    assert.ok(c.ImportedAt!.getTime() >= before - 1000);
    assert.ok(c.CreatedAt instanceof Date);
    assert.equal(c.IssuedAt, undefined);
    assert.equal(c.KeyAlgorithm, 'RSA-2048');
    assert.equal(c.SignatureAlgorithm, 'SHA256WITHRSA');
    assert.deepEqual(c.DomainValidationOptions, [{ DomainName: 'import.example.com' }, { DomainName: 'www.import.example.com' }]);
    assert.deepEqual(c.Options, { CertificateTransparencyLoggingPreference: 'DISABLED', Export: 'DISABLED' });
    assert.equal(c.RenewalEligibility, 'INELIGIBLE');
    assert.deepEqual(c.InUseBy, []);
    // No key usage extensions in an `openssl req -x509` certificate: ACM shows ANY / NONE.
    assert.deepEqual(c.KeyUsages, [{ Name: 'ANY' }]);
    assert.deepEqual(c.ExtendedKeyUsages, [{ Name: 'NONE' }]);

    const got = await acm.send(new GetCertificateCommand({ CertificateArn: arn }));
    assert.equal(got.Certificate!.trim(), m.cert.trim());
    assert.equal(got.CertificateChain, undefined);
  });

  test('a CA-signed leaf with its chain; openssl verifies what GetCertificate returns', async () => {
    const ca = makeCa(s, 'ca', '/C=US/O=Test CA Org/CN=Test Root');
    makeCert(s, 'leaf', {
      subj: '/CN=leaf.example.com', ca: 'ca', sans: ['leaf.example.com', 'api.leaf.example.com'], serial: '0x1001',
      ext: ['keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth,clientAuth', 'basicConstraints=CA:FALSE'],
    });
    const arn = await importCert({ cert: s.read('leaf.crt'), key: s.read('leaf.key'), chain: ca.cert });
    const c = await describeCert(acm, arn);
    assert.equal(c.Issuer, 'Test CA Org');
    assert.equal(c.Subject, 'CN=leaf.example.com');
    assert.equal(c.Serial, '10:01');
    assert.deepEqual(c.KeyUsages, [{ Name: 'DIGITAL_SIGNATURE' }, { Name: 'KEY_ENCIPHERMENT' }]);
    assert.deepEqual(c.ExtendedKeyUsages, [
      { Name: 'TLS_WEB_SERVER_AUTHENTICATION', OID: '1.3.6.1.5.5.7.3.1' },
      { Name: 'TLS_WEB_CLIENT_AUTHENTICATION', OID: '1.3.6.1.5.5.7.3.2' },
    ]);
    const got = await acm.send(new GetCertificateCommand({ CertificateArn: arn }));
    assert.deepEqual(blocks(got.CertificateChain).map((x) => x.trim()), [ca.cert.trim()]);
    s.write('got-leaf.pem', got.Certificate!);
    s.write('got-chain.pem', got.CertificateChain!);
    assert.equal(s.openssl(['verify', '-CAfile', 'got-chain.pem', 'got-leaf.pem']).trim(), 'got-leaf.pem: OK');
  });

  test('EC and RSA-4096 keys; imported EC certificates are hidden from a plain list', async () => {
    const ec = makeCert(s, 'ec384', { subj: '/CN=ec.import.example.com', sans: ['ec.import.example.com'], key: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'] });
    const ecArn = await importCert(ec);
    assert.equal((await describeCert(acm, ecArn)).KeyAlgorithm, 'EC-secp384r1');
    assert.match((await describeCert(acm, ecArn)).SignatureAlgorithm!, /WITHECDSA$/);
    const big = makeCert(s, 'rsa4096', { subj: '/CN=big.import.example.com', sans: ['big.import.example.com'], key: ['-newkey', 'rsa:4096'] });
    const bigArn = await importCert(big);
    assert.equal((await describeCert(acm, bigArn)).KeyAlgorithm, 'RSA-4096');
    const plain = (await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList!.map((x) => x.CertificateArn);
    assert.ok(!plain.includes(ecArn) && !plain.includes(bigArn));
    const withEc = await acm.send(new ListCertificatesCommand({ Includes: { keyTypes: ['EC_secp384r1', 'RSA_4096'] } }));
    const sum = withEc.CertificateSummaryList!.find((x) => x.CertificateArn === ecArn)!;
    assert.equal(sum.Type, 'IMPORTED');
    assert.ok(sum.ImportedAt instanceof Date);
    assert.deepEqual(sum.KeyUsages, ['ANY']);
    assert.deepEqual(sum.ExtendedKeyUsages, ['NONE']);
    assert.equal(sum.ExportOption, 'DISABLED');
    assert.equal(sum.InUse, false);
    // Recorded from AWS: no Exported member for an imported certificate (acm.md §3.4).
    assert.equal(sum.Exported, undefined);
    assert.equal(withEc.CertificateSummaryList!.length, 2);
  });

  test('tags on import, and the aws: prefix refused', async () => {
    const m = makeCert(s, 'tagged', { subj: '/CN=tagged.example.com', sans: ['tagged.example.com'] });
    const arn = await importCert({ ...m, tags: [{ Key: 'env', Value: 'test' }] });
    assert.deepEqual((await acm.send(new ListTagsForCertificateCommand({ CertificateArn: arn }))).Tags, [{ Key: 'env', Value: 'test' }]);
    await expectError(importCert({ ...m, tags: [{ Key: 'aws:x', Value: 'y' }] }), 'InvalidTagException', 400);
  });

  describe('rejected material is a ValidationException', () => {
    test('a key that does not match the certificate', async () => {
      const one = makeCert(s, 'one', { subj: '/CN=one.example.com', sans: ['one.example.com'] });
      const two = makeCert(s, 'two', { subj: '/CN=two.example.com', sans: ['two.example.com'] });
      await expectError(importCert({ cert: one.cert, key: two.key }), 'ValidationException', 400);
    });

    test('an expired certificate', async () => {
      const m = makeExpiredCert(s, 'expired', 'expired.example.com');
      await expectError(importCert(m), 'ValidationException', 400, /expired/i);
    });

    test('garbage, DER, empty and two certificates', async () => {
      const m = makeCert(s, 'valid', { subj: '/CN=valid.example.com', sans: ['valid.example.com'] });
      await expectError(importCert({ cert: 'this is not a certificate', key: m.key }), 'ValidationException', 400);
      const der = s.openssl(['x509', '-in', 'valid.crt', '-outform', 'DER']);
      await expectError(acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(der, 'latin1'), PrivateKey: b(m.key) })), 'ValidationException', 400);
      await expectError(importCert({ cert: m.cert + m.cert, key: m.key }), 'ValidationException', 400,
        'The certificate field contains more than one certificate. You can specify only one certificate in this field.');
      await expectError(importCert({ cert: m.cert, key: 'not a key' }), 'ValidationException', 400);
      await expectError(importCert({ cert: m.cert, key: m.key, chain: 'not a chain' }), 'ValidationException', 400);
      await expectError(acm.send(new ImportCertificateCommand({ Certificate: b(m.cert) } as never)), 'ValidationException', 400,
        "1 validation error detected: Value null at 'privateKey' failed to satisfy constraint: Member must not be null");
    });

    test('an encrypted private key', async () => {
      const m = makeCert(s, 'enc', { subj: '/CN=enc.example.com', sans: ['enc.example.com'] });
      const encrypted = s.openssl(['pkey', '-in', 'enc.key', '-aes256', '-passout', 'pass:secret-pass']);
      assert.match(encrypted, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
      await expectError(importCert({ cert: m.cert, key: encrypted }), 'ValidationException', 400, /encrypted/);
    });

    test('a chain that did not issue the certificate', async () => {
      makeCa(s, 'ca2', '/O=Other CA/CN=Other Root');
      const stranger = makeCa(s, 'ca3', '/O=Stranger/CN=Stranger Root');
      const m = makeCert(s, 'leaf2', { subj: '/CN=leaf2.example.com', ca: 'ca2', sans: ['leaf2.example.com'] });
      await expectError(importCert({ ...m, chain: stranger.cert }), 'ValidationException', 400);
    });
  });

  describe('re-import', () => {
    test('into the same ARN: same ARN, new serial and names, tags and CreatedAt kept', async () => {
      const v1 = makeCert(s, 'v1', { subj: '/CN=re.example.com', sans: ['re.example.com'], serial: '0x0101' });
      const arn = await importCert({ ...v1, tags: [{ Key: 'keep', Value: 'yes' }] });
      const first = await describeCert(acm, arn);
      await new Promise((r) => setTimeout(r, 20));
      const v2 = makeCert(s, 'v2', { subj: '/CN=re.example.com', sans: ['re.example.com', 'new.re.example.com'], serial: '0x0202' });
      assert.equal(await importCert({ ...v2, arn }), arn);
      const second = await describeCert(acm, arn);
      assert.equal(first.Serial, '01:01');
      assert.equal(second.Serial, '02:02');
      assert.deepEqual(second.SubjectAlternativeNames, ['re.example.com', 'new.re.example.com']);
      assert.deepEqual(second.CreatedAt, first.CreatedAt);
      assert.ok(second.ImportedAt! > first.ImportedAt!);
      assert.deepEqual((await acm.send(new ListTagsForCertificateCommand({ CertificateArn: arn }))).Tags, [{ Key: 'keep', Value: 'yes' }]);
      const got = await acm.send(new GetCertificateCommand({ CertificateArn: arn }));
      assert.equal(got.Certificate!.trim(), v2.cert.trim());
    });

    test('with Tags is refused (AWS text)', async () => {
      const m = makeCert(s, 'rt', { subj: '/CN=rt.example.com', sans: ['rt.example.com'] });
      const arn = await importCert(m);
      await expectError(importCert({ ...m, arn, tags: [{ Key: 'k', Value: 'v' }] }), 'ValidationException', 400, 'Tagging is not permitted on re-import.');
    });

    test('with another key type is refused', async () => {
      const rsa = makeCert(s, 'kt1', { subj: '/CN=kt.example.com', sans: ['kt.example.com'] });
      const arn = await importCert(rsa);
      const ec = makeCert(s, 'kt2', { subj: '/CN=kt.example.com', sans: ['kt.example.com'], key: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] });
      await expectError(importCert({ ...ec, arn }), 'ValidationException', 400);
      const bigger = makeCert(s, 'kt3', { subj: '/CN=kt.example.com', sans: ['kt.example.com'], key: ['-newkey', 'rsa:3072'] });
      await expectError(importCert({ ...bigger, arn }), 'ValidationException', 400);
      assert.equal((await describeCert(acm, arn)).KeyAlgorithm, 'RSA-2048');
    });

    test('into an unknown ARN is ResourceNotFoundException; into a requested certificate is refused', async () => {
      const m = makeCert(s, 'nf', { subj: '/CN=nf.example.com', sans: ['nf.example.com'] });
      const arn = unknownArn();
      // acm.md §5.2: the import variant of the message has no "in account" part.
      await expectError(importCert({ ...m, arn }), 'ResourceNotFoundException', 400, `Could not find certificate ${arn}.`);
      await expectError(importCert({ ...m, arn: unknownArn(undefined, ACCOUNT, 'sa-east-1') }), 'InvalidArnException', 400);
      const { CertificateArn: requested } = await acm.send(new RequestCertificateCommand({ DomainName: 'nf.example.com', ValidationMethod: 'DNS' }));
      await expectError(importCert({ ...m, arn: requested }), 'ValidationException', 400);
    });
  });
});

describe('ExportCertificate', () => {
  const PASS = 'correct horse battery staple';
  const exportCert = (arn: string, pass: string | Buffer = PASS) =>
    acm.send(new ExportCertificateCommand({ CertificateArn: arn, Passphrase: typeof pass === 'string' ? b(pass) : pass }));

  /** Decrypts the exported key with openssl and checks it belongs to the exported certificate. */
  const checkExport = (name: string, out: { Certificate?: string; CertificateChain?: string; PrivateKey?: string }, pass = PASS) => {
    assert.ok(out.PrivateKey!.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----'), 'the key is encrypted PKCS#8');
    assert.equal(blocks(out.PrivateKey).length, 1);
    s.write(`${name}.key.pem`, out.PrivateKey!);
    s.write(`${name}.crt.pem`, out.Certificate!);
    s.write(`${name}.pass`, pass);
    const plain = s.run(['pkcs8', '-in', `${name}.key.pem`, '-passin', `file:${name}.pass`, '-out', `${name}.plain.pem`]);
    assert.equal(plain.status, 0, 'openssl pkcs8 decrypts the key with the passphrase');
    const keyPub = s.openssl(['pkey', '-in', `${name}.plain.pem`, '-pubout']);
    assert.ok(keyPub === certPublicKey(s, `${name}.crt.pem`), 'the exported key matches the certificate');
    s.write(`${name}.wrong`, 'wrong passphrase');
    assert.notEqual(s.run(['pkcs8', '-in', `${name}.key.pem`, '-passin', `file:${name}.wrong`, '-out', `${name}.x.pem`]).status, 0, 'a wrong passphrase fails');
  };

  test('an exportable public certificate: key, certificate and chain; then Exported and ELIGIBLE', async () => {
    const { CertificateArn: arn } = await acm.send(new RequestCertificateCommand({ DomainName: 'export.example.com', ValidationMethod: 'DNS', Options: { Export: 'ENABLED' } }));
    const issued = await waitStatus(acm, arn!);
    assert.deepEqual(issued.Options, { CertificateTransparencyLoggingPreference: 'ENABLED', Export: 'ENABLED' });
    assert.equal(issued.RenewalEligibility, 'INELIGIBLE');
    const out = await exportCert(arn!);
    const got = await acm.send(new GetCertificateCommand({ CertificateArn: arn }));
    assert.equal(out.Certificate, got.Certificate);
    assert.equal(out.CertificateChain, got.CertificateChain);
    checkExport('public', out);
    assert.equal((await describeCert(acm, arn!)).RenewalEligibility, 'ELIGIBLE');
    const sum = (await acm.send(new ListCertificatesCommand({ Includes: { exportOption: 'ENABLED' } }))).CertificateSummaryList!.find((x) => x.CertificateArn === arn)!;
    assert.equal(sum.Exported, true);
    assert.equal(sum.RenewalEligibility, 'ELIGIBLE');
    // Exporting again works and gives the same certificate.
    assert.equal((await exportCert(arn!, 'another-pass')).Certificate, got.Certificate);
  });

  test('an EC exportable certificate', async () => {
    const { CertificateArn: arn } = await acm.send(new RequestCertificateCommand({ DomainName: 'ec-export.example.com', ValidationMethod: 'DNS', KeyAlgorithm: 'EC_prime256v1', Options: { Export: 'ENABLED' } }));
    await waitStatus(acm, arn!);
    checkExport('ec', await exportCert(arn!));
  });

  test('a PRIVATE certificate', async () => {
    const { CertificateArn: arn } = await acm.send(new RequestCertificateCommand({ DomainName: 'svc.internal.example', CertificateAuthorityArn: caArn }));
    await waitStatus(acm, arn!);
    const out = await exportCert(arn!, ' !"&\'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~');
    checkExport('private', out, ' !"&\'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~');
    assert.equal(blocks(out.CertificateChain).length, 1);
    const c = await describeCert(acm, arn!);
    assert.equal(c.RenewalEligibility, 'ELIGIBLE');
  });

  test('not exportable: a default public certificate, an imported one', async () => {
    const { CertificateArn: arn } = await acm.send(new RequestCertificateCommand({ DomainName: 'noexport.example.com', ValidationMethod: 'DNS' }));
    await waitStatus(acm, arn!);
    await expectError(exportCert(arn!), 'ValidationException', 400);
    const m = makeCert(s, 'imp-export', { subj: '/CN=imp.example.com', sans: ['imp.example.com'] });
    await expectError(exportCert(await importCert(m)), 'ValidationException', 400);
    assert.equal((await describeCert(acm, arn!)).RenewalEligibility, 'INELIGIBLE');
  });

  test('pending is RequestInProgressException', async () => {
    const { CertificateArn: arn } = await acm.send(new RequestCertificateCommand({ DomainName: 'pending-export.example.com', ValidationMethod: 'DNS', Options: { Export: 'ENABLED' } }));
    await expectError(exportCert(arn!), 'RequestInProgressException', 400);
  });

  test('passphrase rules: no #, $ or %, 4-128 bytes', async () => {
    const { CertificateArn: arn } = await acm.send(new RequestCertificateCommand({ DomainName: 'pass.example.com', ValidationMethod: 'DNS', Options: { Export: 'ENABLED' } }));
    await waitStatus(acm, arn!);
    for (const bad of ['has#hash', 'has$dollar', 'has%percent']) await expectError(exportCert(arn!, bad), 'ValidationException', 400);
    await expectError(exportCert(arn!, 'abc'), 'ValidationException', 400,
      /^1 validation error detected: Value '.*' at 'passphrase' failed to satisfy constraint: Member must have length greater than or equal to 4$/);
    await expectError(exportCert(arn!, 'p'.repeat(129)), 'ValidationException', 400,
      /^1 validation error detected: Value '.*' at 'passphrase' failed to satisfy constraint: Member must have length less than or equal to 128$/);
    const e = await expectError(exportCert(arn!, 'abc'), 'ValidationException', 400);
    assert.ok(!e.message.includes('abc'), 'the passphrase (sensitive) is not echoed');
    checkExport('pass4', await exportCert(arn!, 'abcd'), 'abcd');
    assert.equal((await describeCert(acm, arn!)).Status, 'ISSUED');
  });

  test('unknown ARN', async () => {
    const arn = unknownArn();
    await expectError(exportCert(arn), 'ResourceNotFoundException', 400, `Could not find certificate ${arn} in account ${ACCOUNT}.`);
  });
});

