import type { JsonService, Operation } from '../../pipeline/service.js';
import { getAccountConfiguration, putAccountConfiguration } from './account.js';
import { deleteCertificate, describeCertificate, getCertificate } from './certificates.js';
import { acmAccess } from './access.js';
import type { AcmDeps } from './deps.js';
import { listCertificateDomainValidations } from './domain-validations.js';
import { exportCertificate, importCertificate } from './import-export.js';
import { listCertificates } from './list.js';
import { renewCertificate, resendValidationEmail, revokeCertificate, updateCertificateOptions } from './manage.js';
import { requestCertificate } from './request.js';
import { searchCertificates } from './search.js';
import { inputShapes, type AcmOperation } from './shapes.js';
import { addTagsToCertificate, listTagsForCertificate, removeTagsFromCertificate } from './tags.js';

const handlers: Record<AcmOperation, Operation<AcmDeps>['handler']> = {
  AddTagsToCertificate: addTagsToCertificate,
  DeleteCertificate: deleteCertificate,
  DescribeCertificate: describeCertificate,
  ExportCertificate: exportCertificate,
  GetAccountConfiguration: getAccountConfiguration,
  GetCertificate: getCertificate,
  ImportCertificate: importCertificate,
  ListCertificateDomainValidations: listCertificateDomainValidations,
  ListCertificates: listCertificates,
  ListTagsForCertificate: listTagsForCertificate,
  PutAccountConfiguration: putAccountConfiguration,
  RemoveTagsFromCertificate: removeTagsFromCertificate,
  RenewCertificate: renewCertificate,
  RequestCertificate: requestCertificate,
  ResendValidationEmail: resendValidationEmail,
  RevokeCertificate: revokeCertificate,
  SearchCertificates: searchCertificates,
  UpdateCertificateOptions: updateCertificateOptions,
};

/** Operations of @aws-sdk/client-acm beyond those built, not built yet (the ACME family's). */
export const ACM_NOT_YET_IMPLEMENTED = [
  'TagResource', 'UntagResource', 'ListTagsForResource',
  'CreateAcmeEndpoint', 'DeleteAcmeEndpoint', 'DescribeAcmeEndpoint', 'UpdateAcmeEndpoint', 'ListAcmeEndpoints',
  'CreateAcmeDomainValidation', 'DeleteAcmeDomainValidation', 'DescribeAcmeDomainValidation', 'UpdateAcmeDomainValidation', 'ListAcmeDomainValidations',
  'CreateAcmeExternalAccountBinding', 'DeleteAcmeExternalAccountBinding', 'DescribeAcmeExternalAccountBinding', 'RevokeAcmeExternalAccountBinding',
  'ListAcmeExternalAccountBindings', 'GetAcmeExternalAccountBindingCredentials', 'DescribeAcmeAccount', 'ListAcmeAccounts', 'RevokeAcmeAccount',
] as const;

export function acmService(deps: AcmDeps): JsonService<AcmDeps> {
  const operations: Record<string, Operation<AcmDeps>> = Object.fromEntries(
    (Object.keys(handlers) as AcmOperation[]).map((name) => [name, { input: inputShapes[name], handler: handlers[name] }]),
  );
  // ACM-CT's examples: GetCertificate repeats the PEMs although it is read-only, and
  // ExportCertificate counts as a write (cloudtrail.md §1.4, §3.2).
  operations.GetCertificate.readOnlyResponse = ['Certificate', 'CertificateChain'];
  return {
    signingName: 'acm',
    targetPrefix: 'CertificateManager',
    eventSource: 'acm.amazonaws.com',
    operations,
    notYetImplemented: ACM_NOT_YET_IMPLEMENTED,
    resourceOf: certificateResource,
    access: acmAccess,
    deps,
  };
}

/** LookupEvents' resource for ACM calls: the certificate (AWS::ACM::Certificate, cloudtrail.md §3.3). */
export function certificateResource(input: Record<string, unknown> | undefined, output: unknown) {
  const arn = (output as { CertificateArn?: unknown } | undefined)?.CertificateArn ?? input?.CertificateArn;
  return typeof arn === 'string' ? { type: 'AWS::ACM::Certificate', name: arn } : undefined;
}
