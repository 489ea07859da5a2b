import { parseArn } from '../../kernel/arn.js';
import { ServiceError } from '../../kernel/errors.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { JsonService } from '../../pipeline/service.js';
import { certificateFacts } from '../../pki/index.js';
import { int, str, struct } from '../../protocol/shape.js';
import type { CaRecord } from '../../storage/records.js';
import type { Authorities } from '../ca/authorities.js';

/**
 * The read side of the ACM Private CA API (JSON 1.1, `ACMPrivateCA.<Op>`, signing name
 * `acm-pca`), so the per-account private CA can be discovered with the AWS CLI and SDKs.
 */
export interface PcaDeps {
  authorities: Authorities;
}

const CaArn = str({ min: 5, max: 200, pattern: 'arn:[\\w+=/,.@-]+:acm-pca:[\\w+=/,.@-]*:[0-9]*:[\\w+=,.@-]+(/[\\w+=,.@-]+)*' });
const notFound = (arn: string) => new ServiceError('ResourceNotFoundException', `Could not find certificate authority ${arn}.`, 400);
const invalidArn = (arn: string) => new ServiceError('InvalidArnException', `Invalid ARN: ${arn}`, 400);

async function findCa(ctx: RequestContext, arn: string, d: PcaDeps): Promise<CaRecord> {
  const p = parseArn(arn);
  if (!p || p.service !== 'acm-pca' || !p.resource.startsWith('certificate-authority/')) throw invalidArn(arn);
  if (p.account !== ctx.principal.accountId || p.region !== ctx.region) throw notFound(arn);
  const ca = await d.authorities.privateCa(ctx.principal.accountId, ctx.region);
  if (ca.arn !== arn) throw notFound(arn);
  return ca;
}

function describe(ca: CaRecord) {
  const f = certificateFacts(ca.certificatePem);
  const [family, size] = ca.keyAlgorithm.split('_');
  const dn: Record<string, string> = {};
  const names: Record<string, string> = { C: 'Country', O: 'Organization', OU: 'OrganizationalUnit', CN: 'CommonName', ST: 'State', L: 'Locality' };
  for (const part of f.subject.split(',')) {
    const i = part.indexOf('=');
    if (names[part.slice(0, i)]) dn[names[part.slice(0, i)]] = part.slice(i + 1);
  }
  return {
    Arn: ca.arn,
    OwnerAccount: ca.accountId,
    CreatedAt: ca.createdAt,
    LastStateChangeAt: ca.createdAt,
    Type: 'ROOT',
    Serial: f.serial,
    Status: 'ACTIVE',
    NotBefore: ca.notBefore,
    NotAfter: ca.notAfter,
    CertificateAuthorityConfiguration: {
      KeyAlgorithm: family === 'RSA' ? `RSA_${size}` : ca.keyAlgorithm === 'EC_prime256v1' ? 'EC_prime256v1' : 'EC_secp384r1',
      SigningAlgorithm: family === 'RSA' ? 'SHA256WITHRSA' : 'SHA256WITHECDSA',
      Subject: dn,
    },
    RevocationConfiguration: { CrlConfiguration: { Enabled: true }, OcspConfiguration: { Enabled: false } },
    KeyStorageSecurityStandard: 'FIPS_140_2_LEVEL_3_OR_HIGHER',
    UsageMode: 'GENERAL_PURPOSE',
  };
}

export function pcaService(deps: PcaDeps): JsonService<PcaDeps> {
  return {
    signingName: 'acm-pca',
    targetPrefix: 'ACMPrivateCA',
    eventSource: 'acm-pca.amazonaws.com',
    deps,
    notYetImplemented: [],
    operations: {
      ListCertificateAuthorities: {
        input: struct({ NextToken: str({ min: 1, max: 43739 }), MaxResults: int({ min: 1, max: 1000 }), ResourceOwner: str({ enum: ['SELF', 'OTHER_ACCOUNTS'] }) }),
        handler: async (ctx, input: { ResourceOwner?: string }, d) => {
          if (input.ResourceOwner === 'OTHER_ACCOUNTS') return { CertificateAuthorities: [] };
          return { CertificateAuthorities: [describe(await d.authorities.privateCa(ctx.principal.accountId, ctx.region))] };
        },
      },
      DescribeCertificateAuthority: {
        input: struct({ CertificateAuthorityArn: CaArn }, ['CertificateAuthorityArn']),
        handler: async (ctx, input: { CertificateAuthorityArn: string }, d) => ({ CertificateAuthority: describe(await findCa(ctx, input.CertificateAuthorityArn, d)) }),
      },
      GetCertificateAuthorityCertificate: {
        input: struct({ CertificateAuthorityArn: CaArn }, ['CertificateAuthorityArn']),
        // A root CA: its certificate and no chain, as AWS answers for a ROOT CA.
        handler: async (ctx, input: { CertificateAuthorityArn: string }, d) => ({ Certificate: (await findCa(ctx, input.CertificateAuthorityArn, d)).certificatePem.trim() }),
      },
    },
  };
}
