import { registerIntegration } from '../services/identity/integrations.js';
import { openAdmin, print } from './context.js';

const USAGE = 'usage: certtrail integrations register <account-id> --service <service> --resource-arn <arn> [--days N]';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** certtrail integrations register: a load balancer or CDN acting for an account as an AWS service. */
export async function integrations(args: string[]): Promise<void> {
  const [sub, account] = args;
  const resource = option(args, '--resource-arn');
  if (!account || !resource || sub !== 'register') throw new Error(USAGE);
  const d = await openAdmin();
  try {
    const service = option(args, '--service');
    if (!service) throw new Error(USAGE);
    const days = option(args, '--days');
    const c = await registerIntegration(d, account, service, resource, days === undefined ? undefined : Number(days));
    print({ AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, SessionToken: c.sessionToken, Expiration: c.expiration.toISOString(), RoleArn: c.RoleArn });
  } finally {
    await d.close();
  }
}
