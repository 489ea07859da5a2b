import { DAY_MS } from '../../kernel/clock.js';
import { certificateArn } from '../../kernel/arn.js';
import { ValidationException } from '../../kernel/errors.js';
import type { RequestContext } from '../../pipeline/context.js';
import { exportEncryptedPkcs8, parseImport } from '../../pki/index.js';
import type { CertificateRecord } from '../../storage/records.js';
import type { AcmDeps } from './deps.js';
import { LimitExceededException, ResourceNotFoundException, notYetIssued } from './errors.js';
import { certificateIdFrom, loadCertificate } from './lookup.js';
import { checkTags } from './tags.js';

interface ImportInput {
  CertificateArn?: string;
  Certificate: Buffer;
  PrivateKey: Buffer;
  CertificateChain?: Buffer;
  Tags?: { Key: string; Value?: string }[];
}

/**
 * ImportCertificate, including re-import into an existing ARN with AWS's rules: same key
 * algorithm, no tags, and key usages of the original may not disappear (acm.md §2.3).
 */
export async function importCertificate(ctx: RequestContext, input: ImportInput, d: AcmDeps) {
  const account = ctx.principal.accountId;
  // AWS's text and code, as Terraform's acceptance tests recorded them.
  if (input.CertificateArn && input.Tags) throw ValidationException('Tagging is not permitted on re-import.');
  const tags = checkTags(input.Tags ?? []);
  const parsed = parseImport({ certificate: input.Certificate, privateKey: input.PrivateKey, chain: input.CertificateChain }, ctx.now);

  return d.store.write(async (tx) => {
    let prior: CertificateRecord | undefined;
    if (input.CertificateArn) {
      const id = certificateIdFrom(ctx, input.CertificateArn);
      prior = await tx.certificates.get(account, ctx.region, id);
      if (!prior) throw ResourceNotFoundException(`Could not find certificate ${input.CertificateArn}.`);
      if (prior.type !== 'IMPORTED') throw ValidationException(`Certificate ${prior.arn} is not an imported certificate and cannot be reimported.`);
      checkReimport(prior, parsed.facts, parsed.keyAlgorithm);
    } else {
      const imported = await tx.certificates.countByType(account, ctx.region, ['IMPORTED']);
      if (imported >= d.config.quotas.imported) throw LimitExceededException(`Cannot import more certificates. You have reached the limit of ${d.config.quotas.imported} imported certificates.`);
      const lastYear = await tx.certificates.countCreatedSince(account, ctx.region, 'imported', new Date(ctx.now.getTime() - 365 * DAY_MS));
      if (lastYear >= d.config.quotas.importsPerYear) throw LimitExceededException(`Error: you have reached your limit of ${d.config.quotas.importsPerYear} imported certificates in the last year.`);
    }
    const id = prior?.id ?? d.ids.uuid();
    const arn = prior?.arn ?? certificateArn(ctx.region, account, id);
    const rec: CertificateRecord = {
      id,
      arn,
      accountId: account,
      region: ctx.region,
      type: 'IMPORTED',
      status: 'ISSUED',
      domainName: parsed.facts.domainName,
      subjectAlternativeNames: parsed.facts.subjectAlternativeNames.length ? parsed.facts.subjectAlternativeNames : [parsed.facts.domainName],
      domainValidations: [],
      keyAlgorithm: parsed.keyAlgorithm,
      options: { certificateTransparencyLoggingPreference: 'DISABLED', export: 'DISABLED' },
      createdAt: prior?.createdAt ?? ctx.now,
      importedAt: ctx.now,
      certificatePem: parsed.certificatePem,
      chainPem: parsed.chainPem,
      facts: parsed.facts,
      privateKeySealed: d.box.seal(parsed.privateKeyPem, arn),
      tags: prior?.tags ?? tags,
      exported: false,
      inUseBy: prior?.inUseBy ?? [],
    };
    await tx.certificates.put(rec);
    await d.observe?.(tx, prior, rec);
    return { CertificateArn: arn };
  });
}

function checkReimport(prior: CertificateRecord, facts: NonNullable<CertificateRecord['facts']>, alg: string): void {
  if (prior.keyAlgorithm !== alg)
    throw ValidationException(`The key algorithm of the reimported certificate (${alg}) must match the original (${prior.keyAlgorithm}).`);
  const old = prior.facts!;
  // Since Apr 2026 ECDSA certificates may drop keyEncipherment; since Oct 2025 ClientAuth may go (acm.md §2.3).
  const lostKu = old.keyUsages.filter((k) => !facts.keyUsages.includes(k) && !(k === 'KEY_ENCIPHERMENT' && alg.startsWith('EC')));
  const lostEku = old.extendedKeyUsages.filter((e) => !facts.extendedKeyUsages.some((n) => n.oid === e.oid) && e.name !== 'TLS_WEB_CLIENT_AUTHENTICATION');
  if (lostKu.length || lostEku.length)
    throw ValidationException(`The reimported certificate must keep the key usages of the original certificate (missing: ${[...lostKu, ...lostEku.map((e) => e.name)].join(', ')}).`);
}

/** AWS: passphrases may be any ASCII character except #, $ and % (ExportCertificate doc). */
const PASSPHRASE = /^[\x20-\x7e]*$/;

export async function exportCertificate(ctx: RequestContext, input: { CertificateArn: string; Passphrase: Buffer }, d: AcmDeps) {
  const pass = input.Passphrase.toString('latin1');
  if (!PASSPHRASE.test(pass) || /[#$%]/.test(pass))
    throw ValidationException('The passphrase can contain any printable ASCII character except #, $, or %.');
  return d.store.write(async (tx) => {
    const c = await loadCertificate(tx, ctx, input.CertificateArn);
    const exportable = c.type === 'PRIVATE' || (c.type === 'AMAZON_ISSUED' && c.options.export === 'ENABLED');
    if (!exportable) throw ValidationException(`Certificate ARN: ${c.arn} is not a private certificate or a public certificate created with the export option enabled.`);
    if (c.status === 'PENDING_VALIDATION' || !c.certificatePem || !c.privateKeySealed) throw notYetIssued(c.arn);
    if (c.status !== 'ISSUED') throw ValidationException(`Certificate ${c.arn} cannot be exported because its status is ${c.status}.`);
    const key = d.box.open(c.privateKeySealed, c.arn).toString('utf8');
    const encrypted = exportEncryptedPkcs8(key, input.Passphrase);
    await tx.certificates.put({ ...c, exported: true });
    return { Certificate: c.certificatePem, CertificateChain: c.chainPem, PrivateKey: encrypted };
  });
}
