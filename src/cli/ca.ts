import { Authorities } from '../services/ca/authorities.js';
import { openAdmin, print } from './context.js';

/** certtrail ca list [--account-id ID --region R] | root */
export async function ca(args: string[]): Promise<void> {
  const d = await openAdmin();
  try {
    const authorities = new Authorities({ ...d, publicUrl: d.config.publicUrl });
    // Only the server creates the hierarchy: the CRL/AIA URLs baked into the intermediates must
    // be the server's own address, which this command cannot know.
    if (!(await d.store.read((tx) => tx.cas.getByKind('root')))) throw new Error(`no CA hierarchy in ${d.config.dataDir} yet: start the server once (npm start) first`);
    const [sub, ...rest] = args;
    const opt = (name: string) => {
      const i = rest.indexOf(name);
      return i >= 0 ? rest[i + 1] : undefined;
    };
    if (sub === 'root') {
      process.stdout.write((await authorities.root()).certificatePem);
    } else if (sub === 'list') {
      const account = opt('--account-id');
      const region = opt('--region');
      if (account && region) await authorities.privateCa(account, region);
      const list = await d.store.read((tx) => tx.cas.list(account));
      print({
        CertificateAuthorities: list.map((c) => ({
          Id: c.id, Kind: c.kind, Arn: c.arn, AccountId: c.accountId, Region: c.region, KeyAlgorithm: c.keyAlgorithm,
          Serial: c.serial, NotBefore: c.notBefore.toISOString(), NotAfter: c.notAfter.toISOString(),
          CertificateUrl: authorities.caIssuersUrl(c.id), CrlUrl: authorities.crlUrl(c.id),
        })),
      });
    } else throw new Error('usage: certtrail ca list [--account-id ID --region REGION] | root');
  } finally {
    await d.close();
  }
}
