import { createUser, createUserKey } from '../services/identity/admin.js';
import { openAdmin, print } from './context.js';

/** certtrail users create <account-id> <user-name> [--admin] | list <account-id> */
export async function users(args: string[]): Promise<void> {
  const d = await openAdmin();
  try {
    const admin = args.includes('--admin');
    const [sub, account, name] = args.filter((a) => a !== '--admin');
    if (sub === 'create' && account && name) print(await createUser(d, account, name, { admin }));
    else if (sub === 'list' && account) {
      const list = await d.store.read((tx) => tx.users.list(account));
      print({ Users: list.map((u) => ({ UserName: u.userName, UserId: u.userId, Arn: `arn:aws:iam::${account}:user/${u.userName}`, CreateDate: u.createdAt.toISOString() })) });
    } else throw new Error('usage: certtrail users create <account-id> <user-name> [--admin] | list <account-id>');
  } finally {
    await d.close();
  }
}

/** certtrail access-keys create <account-id> <user-name> | list <account-id> */
export async function accessKeys(args: string[]): Promise<void> {
  const d = await openAdmin();
  try {
    const [sub, account, name] = args;
    if (sub === 'create' && account && name) print(await createUserKey(d, account, name));
    else if (sub === 'list' && account) {
      const list = await d.store.read((tx) => tx.accessKeys.list(account));
      print({ AccessKeyMetadata: list.map((k) => ({ AccessKeyId: k.accessKeyId, UserName: k.userName, Status: k.status, CreateDate: k.createdAt.toISOString() })) });
    } else throw new Error('usage: certtrail access-keys create <account-id> <user-name> | list <account-id>');
  } finally {
    await d.close();
  }
}
