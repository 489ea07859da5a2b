import { awsId, secretKey, twelveDigitAccountId, type Ids } from '../../kernel/ids.js';
import type { Clock } from '../../kernel/clock.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import type { Store } from '../../storage/ports.js';

/**
 * Administration of accounts, users and keys (the `certtrail` CLI; the IAM API comes later).
 * A fresh install gets account 000000000000 with root key test/test, like other local AWS
 * emulators, so the AWS CLI works out of the box.
 */
export const DEFAULT_ACCOUNT = '000000000000';

export interface AdminDeps {
  store: Store;
  box: SecretBox;
  clock: Clock;
  ids: Ids;
}

export class AdminError extends Error {}

export async function ensureDefaultAccount(d: AdminDeps): Promise<void> {
  await d.store.write(async (tx) => {
    if (await tx.accounts.get(DEFAULT_ACCOUNT)) return;
    const now = d.clock.now();
    await tx.accounts.put({ accountId: DEFAULT_ACCOUNT, createdAt: now });
    if (!(await tx.accessKeys.get('test')))
      await tx.accessKeys.put({ accessKeyId: 'test', secretSealed: d.box.seal('test', 'test'), accountId: DEFAULT_ACCOUNT, status: 'Active', createdAt: now });
  });
}

export interface NewKey {
  AccountId: string;
  UserName?: string;
  AccessKeyId: string;
  SecretAccessKey: string;
}

export async function createAccount(d: AdminDeps, accountId?: string): Promise<NewKey> {
  if (accountId !== undefined && !/^\d{12}$/.test(accountId)) throw new AdminError('account id must be 12 digits');
  return d.store.write(async (tx) => {
    let id = accountId ?? twelveDigitAccountId(d.ids);
    while (!accountId && (await tx.accounts.get(id))) id = twelveDigitAccountId(d.ids);
    if (await tx.accounts.get(id)) throw new AdminError(`account ${id} already exists`);
    const now = d.clock.now();
    await tx.accounts.put({ accountId: id, createdAt: now });
    const key = await putKey(d, tx, id, undefined);
    return { AccountId: id, ...key };
  });
}

export async function createRootKey(d: AdminDeps, accountId: string): Promise<NewKey> {
  return d.store.write(async (tx) => {
    if (!(await tx.accounts.get(accountId))) throw new AdminError(`account ${accountId} does not exist`);
    return { AccountId: accountId, ...(await putKey(d, tx, accountId, undefined)) };
  });
}

/** The inline policy `--admin` gives a user: everything, as AWS's AdministratorAccess grants. */
export const ADMIN_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

/**
 * A new IAM user, with no permissions (as IAM's CreateUser), or with `admin` an inline
 * AdministratorAccess policy so that its keys work at once.
 */
export async function createUser(d: AdminDeps, accountId: string, userName: string, opts: { admin?: boolean } = {}): Promise<{ AccountId: string; UserName: string; UserId: string; Arn: string }> {
  if (!/^[\w+=,.@-]{1,64}$/.test(userName)) throw new AdminError('user name must match [\\w+=,.@-]{1,64}');
  return d.store.write(async (tx) => {
    if (!(await tx.accounts.get(accountId))) throw new AdminError(`account ${accountId} does not exist`);
    if (await tx.users.get(accountId, userName)) throw new AdminError(`user ${userName} already exists`);
    const userId = awsId(d.ids, 'AIDA');
    await tx.users.put({ accountId, userName, userId, path: '/', createdAt: d.clock.now() });
    if (opts.admin) await tx.iamInlinePolicies.put({ accountId, kind: 'user', principalName: userName, policyName: 'AdministratorAccess', document: ADMIN_POLICY });
    return { AccountId: accountId, UserName: userName, UserId: userId, Arn: `arn:aws:iam::${accountId}:user/${userName}` };
  });
}

export async function createUserKey(d: AdminDeps, accountId: string, userName: string): Promise<NewKey> {
  return d.store.write(async (tx) => {
    if (!(await tx.users.get(accountId, userName))) throw new AdminError(`user ${userName} does not exist in account ${accountId}`);
    return { AccountId: accountId, UserName: userName, ...(await putKey(d, tx, accountId, userName)) };
  });
}

async function putKey(d: AdminDeps, tx: Parameters<Parameters<Store['write']>[0]>[0], accountId: string, userName: string | undefined) {
  const accessKeyId = awsId(d.ids, 'AKIA');
  const secret = secretKey(d.ids);
  await tx.accessKeys.put({ accessKeyId, secretSealed: d.box.seal(secret, accessKeyId), accountId, userName, status: 'Active', createdAt: d.clock.now() });
  return { AccessKeyId: accessKeyId, SecretAccessKey: secret };
}
