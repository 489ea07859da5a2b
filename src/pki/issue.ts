/** Leaf issuance: validate → template → cap to issuer → extensions → sign → facts. */
import { createHash, createPublicKey } from 'node:crypto';
import { fromGenerated, parseCertificatePem, subjectKeyId } from './certificate.js';
import { factsOf } from './facts.js';
import { keyAlgorithmOf } from './keys.js';
import {
  PROFILES, capToIssuer, issuerExtensions, leafExtensions, leafTemplate, validateLeafRequest, type IssuerInfo,
} from './profile.js';
import { importSigningKey, ownBytes, randomSerialHex, signCertificate, spkiDer } from './signer.js';
import type { IssuedLeaf, LeafRequest, SigningCa } from './types.js';
import { x509 } from './x509.js';

export async function issueLeaf(req: LeafRequest): Promise<IssuedLeaf> {
  validateLeafRequest(req);
  const publicKey = createPublicKey(req.publicKeyPem);
  if (keyAlgorithmOf(publicKey) !== req.keyAlgorithm) {
    // Internal invariant (the caller generated the key), so not a client-facing error.
    throw new Error(`public key is not ${req.keyAlgorithm}`);
  }
  const profile = PROFILES[req.profile];
  const issuer = await issuerContext(req.issuer);
  const template = capToIssuer(leafTemplate(req, profile, randomSerialHex(), spkiDer(publicKey)), issuer);
  const cert = await signCertificate({
    ...template,
    issuer: issuer.name,
    extensions: leafExtensions(template, issuer, profile),
    signer: req.issuer,
    signingKey: issuer.signingKey,
  });
  const parsed = fromGenerated(cert);
  return { certificatePem: parsed.pem, facts: factsOf(parsed) };
}

interface IssuerContext extends IssuerInfo {
  signingKey: CryptoKey;
}

/**
 * Parsing the CA certificate and importing its key is about half the cost of a leaf, and a
 * server issues from the same few CA objects all day, so the derived context is memoised per
 * SigningCa object. The entry is keyed by a digest of every input field, so a caller that mutates
 * the object (rotated CA, new URLs) gets a fresh context rather than a stale one; entries vanish
 * with their SigningCa.
 */
const contexts = new WeakMap<SigningCa, { digest: string; ctx: Promise<IssuerContext> }>();

function issuerContext(ca: SigningCa): Promise<IssuerContext> {
  const digest = createHash('sha256')
    .update(JSON.stringify([ca.certificatePem, ca.privateKeyPem, ca.keyAlgorithm, ca.crlUrl, ca.caIssuersUrl, ca.ocspUrl]))
    .digest('hex');
  const hit = contexts.get(ca);
  if (hit && hit.digest === digest) return hit.ctx;
  const ctx = buildIssuerContext(ca);
  contexts.set(ca, { digest, ctx });
  ctx.catch(() => {
    if (contexts.get(ca)?.ctx === ctx) contexts.delete(ca);
  });
  return ctx;
}

async function buildIssuerContext(ca: SigningCa): Promise<IssuerContext> {
  const parsed = parseCertificatePem(ca.certificatePem);
  const keyId = await subjectKeyId(parsed);
  return {
    // The issuer's subject bytes, reused verbatim so name chaining is byte-exact.
    name: new x509.Name(ownBytes(parsed.subjectDer)),
    notAfter: parsed.cert.notAfter,
    signingKey: await importSigningKey(ca),
    extensions: issuerExtensions(keyId, ca),
  };
}
