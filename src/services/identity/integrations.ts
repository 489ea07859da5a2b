import { issueSession, type TemporaryCredentials } from '../../auth/session-token.js';
import { assumedRoleArn, iamRoleArn, parseArn } from '../../kernel/arn.js';
import { awsId } from '../../kernel/ids.js';
import { AdminError, type AdminDeps } from './admin.js';

/**
 * The services an integration can stand in for, with their service-linked role and the session
 * name AWS gives the role's sessions (cloudtrail.md §2.3: ELB's
 * `assumed-role/AWSServiceRoleForElasticLoadBalancing/ElasticLoadBalancing`).
 */
export const INTEGRATION_SERVICES: Record<string, { role: string; session: string }> = {
  'elasticloadbalancing.amazonaws.com': { role: 'AWSServiceRoleForElasticLoadBalancing', session: 'ElasticLoadBalancing' },
  'cloudfront.amazonaws.com': { role: 'AWSServiceRoleForCloudFrontLogger', session: 'CloudFront' },
  'apigateway.amazonaws.com': { role: 'AWSServiceRoleForAPIGateway', session: 'APIGateway' },
};

/**
 * What a service-linked role lets the integration do with ACM: find and fetch certificates
 * (fetching marks them in use) and release them (certtrail's CertTrailIntegration.ReleaseCertificate).
 */
const ROLE_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['acm:DescribeCertificate', 'acm:GetCertificate', 'acm:ListCertificates', 'acm:ReleaseCertificate'], Resource: '*' }],
});

/**
 * Registers a load balancer, CDN or gateway (an nginx or Envoy deployment in front of real
 * traffic) as an AWS service acting for the account: the service's service-linked role is
 * created if missing, and the integration gets credentials of a session of that role — a
 * principal with `invokedBy` the service, as AWS records a service's calls — valid `days`.
 * Certificates it fetches (GetCertificate) are then in use by `resourceArn`.
 */
export async function registerIntegration(d: AdminDeps, accountId: string, service: string, resourceArn: string, days = 365): Promise<TemporaryCredentials & { RoleArn: string }> {
  const known = INTEGRATION_SERVICES[service];
  if (!known) throw new AdminError(`unknown service ${service}; one of ${Object.keys(INTEGRATION_SERVICES).join(', ')}`);
  const r = parseArn(resourceArn);
  if (!r || r.account !== accountId) throw new AdminError(`--resource-arn must be an ARN in account ${accountId}`);
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new AdminError('--days must be 1 to 3650');
  const path = `/aws-service-role/${service}/`;
  const role = await d.store.write(async (tx) => {
    if (!(await tx.accounts.get(accountId))) throw new AdminError(`account ${accountId} does not exist`);
    const existing = await tx.iamRoles.get(accountId, known.role);
    if (existing) return existing;
    const created = {
      accountId, roleName: known.role, roleId: awsId(d.ids, 'AROA'), path, createdAt: d.clock.now(),
      assumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] }),
      description: `Service-linked role for ${service} (a certtrail integration)`, maxSessionDuration: 3600, tags: [],
    };
    await tx.iamRoles.put(created);
    await tx.iamInlinePolicies.put({ accountId, kind: 'role', principalName: known.role, policyName: 'ServiceLinkedRolePolicy', document: ROLE_POLICY });
    return created;
  });
  const now = d.clock.now();
  const roleArn = iamRoleArn(accountId, role.roleName, role.path);
  const creds = issueSession(d.box, {
    type: 'AssumedRole', accountId,
    arn: assumedRoleArn(accountId, role.roleName, known.session),
    principalId: `${role.roleId}:${known.session}`,
    invokedBy: service, resourceArn,
  }, {
    issuer: { type: 'Role', principalId: role.roleId, arn: roleArn, accountId, userName: role.roleName },
    creationDate: now, mfaAuthenticated: false, expiresAt: new Date(now.getTime() + days * 86_400_000),
  });
  return { ...creds, RoleArn: roleArn };
}
