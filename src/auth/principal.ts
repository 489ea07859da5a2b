/** Who made a request, as CloudTrail's userIdentity will need it. */
export interface Principal {
  type: 'Root' | 'IAMUser';
  accountId: string;
  arn: string;
  /** The account id for root, the AIDA… user id for an IAM user. */
  principalId: string;
  userName?: string;
  accessKeyId: string;
}
