import { createAccount, createRootKey } from '../services/identity/admin.js';
import { openAdmin, print } from './context.js';

/** certtrail accounts create [--account-id 123456789012] | list | root-key <account-id> */
export async function accounts(args: string[]): Promise<void> {
  const d = await openAdmin();
  try {
    const [sub, ...rest] = args;
    if (sub === 'create') {
      const i = rest.indexOf('--account-id');
      print(await createAccount(d, i >= 0 ? rest[i + 1] : undefined));
    } else if (sub === 'list') {
      const list = await d.store.read((tx) => tx.accounts.list());
      print({ Accounts: list.map((a) => ({ AccountId: a.accountId, CreatedAt: a.createdAt.toISOString() })) });
    } else if (sub === 'root-key') {
      if (!rest[0]) throw new Error('usage: certtrail accounts root-key <account-id>');
      print(await createRootKey(d, rest[0]));
    } else throw new Error('usage: certtrail accounts create [--account-id ID] | list | root-key <account-id>');
  } finally {
    await d.close();
  }
}
