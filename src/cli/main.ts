import { AdminError } from '../services/identity/admin.js';

type Command = (args: string[]) => Promise<void>;
// Loaded on demand: most commands pull in the whole server (app.ts), `events` only the store.
const commands: Record<string, () => Promise<Command>> = {
  accounts: async () => (await import('./accounts.js')).accounts,
  users: async () => (await import('./users.js')).users,
  'access-keys': async () => (await import('./users.js')).accessKeys,
  ca: async () => (await import('./ca.js')).ca,
  events: async () => (await import('./events.js')).events,
  'validate-logs': async () => (await import('./validate-logs.js')).validateLogsCommand,
  'dead-letters': async () => (await import('./dead-letters.js')).deadLetters,
  integrations: async () => (await import('./integrations.js')).integrations,
};

const USAGE = `usage: certtrail <command>
  accounts create [--account-id ID]     new account; prints its root AccessKeyId/SecretAccessKey
  accounts list
  accounts root-key <account-id>        another root access key
  users create <account-id> <name> [--admin]   new IAM user (no permissions; --admin: an inline AdministratorAccess policy)
  users list <account-id>
  access-keys create <account-id> <user> access key for an IAM user
  integrations register <account-id> --service elasticloadbalancing.amazonaws.com --resource-arn ARN [--days N]
                                        credentials for a load balancer/CDN acting as that AWS service
                                        (its service-linked role's session; GetCertificate marks in use,
                                        CertTrailIntegration.ReleaseCertificate releases)
  access-keys list <account-id>
  ca list [--account-id ID --region R]  CAs (creates the account's private CA in that region)
  ca root                               the root CA certificate (PEM)
  events [--max N] [--follow] [--table] newest CloudTrail events (20) as JSON lines, oldest first
    [--account-id ID] [--region R]      --follow: then new ones as they commit; --table: a table
    [--lookup-attribute Key=Value]      filters as LookupEvents (one attribute; ISO-8601 times,
    [--start-time T] [--end-time T]     inclusive); followed events are filtered too
    [--pattern JSON]                    only events whose EventBridge event matches the pattern
  validate-logs --trail-arn ARN         checks a trail's log files and digests against a running
    --start-time T [--end-time T]       server, as \`aws cloudtrail validate-logs\` (--help for more)
  dead-letters [--queue-arn ARN]        events whose targets ran out of retries (JSON lines)
Uses CERTTRAIL_DATA_DIR (default ./data) and CERTTRAIL_MASTER_KEY like the server.`;

const [name, ...args] = process.argv.slice(2);
const cmd = name && Object.hasOwn(commands, name) ? commands[name] : undefined;
if (!cmd) {
  // Asking for help succeeds; no command or an unknown one is a usage error.
  const help = name === 'help' || name === '--help' || name === '-h';
  (help ? process.stdout : process.stderr).write(USAGE + '\n');
  process.exit(help ? 0 : 2);
}
cmd().then((run) => run(args)).catch((e) => {
  process.stderr.write(`certtrail: ${e instanceof AdminError || e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
