/**
 * X.509 v2 CRLs (RFC 5280 §5) for the CAs certtrail runs, with the two extensions RFC 5280 makes
 * mandatory for conforming CAs: Authority Key Identifier and CRL Number.
 */
import { ValidationException } from '../kernel/errors.js';
import { parseCertificatePem, subjectKeyId } from './certificate.js';
import { encodeUnsignedInteger } from './der.js';
import { keyAlgorithmOf } from './keys.js';
import { serialToHex } from './names.js';
import { importSigningKey, ownBytes, signingAlgorithm, wholeSecond } from './signer.js';
import type { RevokedEntry } from './types.js';
import { webcrypto, x509 } from './x509.js';

const OID_CRL_NUMBER = '2.5.29.20';
/** RFC 5280 §5.2.3: CRL numbers fit in 20 octets. */
const MAX_CRL_NUMBER = (1n << 159n) - 1n;

const { X509CrlReason: R } = x509;

/** ACM's RevocationReason values (including its historical "SUPERCEDED" spelling) → RFC 5280 codes. */
const REASONS: Record<string, x509.X509CrlReason> = {
  UNSPECIFIED: R.unspecified,
  KEY_COMPROMISE: R.keyCompromise,
  CA_COMPROMISE: R.cACompromise,
  AFFILIATION_CHANGED: R.affiliationChanged,
  SUPERCEDED: R.superseded,
  SUPERSEDED: R.superseded,
  CESSATION_OF_OPERATION: R.cessationOfOperation,
  CERTIFICATE_HOLD: R.certificateHold,
  REMOVE_FROM_CRL: R.removeFromCRL,
  PRIVILEGE_WITHDRAWN: R.privilegeWithdrawn,
  A_A_COMPROMISE: R.aACompromise,
};

/** The RFC 5280 reason code for an ACM RevocationReason; unknown values are a client error. */
export function crlReasonCode(reason: string): x509.X509CrlReason {
  const code = REASONS[reason];
  if (code === undefined) throw ValidationException(`Invalid revocation reason: ${reason.slice(0, 64)}`);
  return code;
}

/**
 * DER CRL signed by `ca`. An UNSPECIFIED revocation gets no reasonCode entry extension at all:
 * RFC 5280 §5.3.1 says to omit it rather than encode unspecified(0), and the CA/Browser Forum
 * forbids the explicit 0. Verifiers read both forms the same way.
 */
export async function buildCrl(
  ca: { certificatePem: string; privateKeyPem: string },
  revoked: RevokedEntry[],
  thisUpdate: Date,
  nextUpdate: Date,
  crlNumber: bigint | number,
): Promise<Buffer> {
  const number = BigInt(crlNumber);
  if (number < 0n || number > MAX_CRL_NUMBER) throw new RangeError('CRL number out of range');
  if (nextUpdate <= thisUpdate) throw new RangeError('nextUpdate must be after thisUpdate');
  const keyAlgorithm = keyAlgorithmOf(ca.privateKeyPem);
  if (!keyAlgorithm) throw new Error('unsupported CA key');
  const parsed = parseCertificatePem(ca.certificatePem);
  const signer = { privateKeyPem: ca.privateKeyPem, keyAlgorithm };
  const crl = await x509.X509CrlGenerator.create(
    {
      issuer: new x509.Name(ownBytes(parsed.subjectDer)),
      thisUpdate: wholeSecond(thisUpdate),
      nextUpdate: wholeSecond(nextUpdate),
      signingAlgorithm: signingAlgorithm(keyAlgorithm),
      signingKey: await importSigningKey(signer),
      extensions: [
        new x509.AuthorityKeyIdentifierExtension(await subjectKeyId(parsed)),
        new x509.Extension(OID_CRL_NUMBER, false, ownBytes(encodeUnsignedInteger(number))),
      ],
      entries: revoked.map((r) => {
        const reason = crlReasonCode(r.reason);
        return {
          serialNumber: serialToHex(r.serial),
          revocationDate: wholeSecond(r.revokedAt),
          ...(reason === R.unspecified ? {} : { reason }),
        };
      }),
    },
    webcrypto,
  );
  return Buffer.from(crl.rawData);
}
