import type {
  BusEventRecord, BusInvocationRecord, DeadLetterRecord,
  ApiDestinationRecord, EventConnectionRecord, EventRuleRecord,
  AccessKeyRecord, AccountConfigRecord, AccountRecord, CaKind, CaRecord, CertificateRecord,
  CertificateStatus, DeliverySessionRecord, DigestKeyRecord, EventQuery, EventRecord, IdempotencyRecord, TrailRecord, UserRecord,
  GroupRecord, IamPrincipalKind, InlinePolicyRecord, ManagedPolicyRecord, PolicyAttachmentRecord, PolicyVersionRecord, RoleRecord,
} from './records.js';

/** A write that could not commit for contention with other writers, however often it was tried. */
export class StoreBusy extends Error {
  constructor(readonly attempts: number) {
    super(`the write conflicted with others ${attempts} times`);
  }
}

/**
 * The storage port. Every method is async so that a networked backend (PostgreSQL) can
 * implement it unchanged. `write` runs its callback in one transaction: all of it commits,
 * or none of it.
 */
export interface Store {
  read<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  write<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  /** Commits events that come with no state change (reads, failures) — durable when it resolves. */
  appendEvents(events: EventRecord[]): Promise<void>;
  /** Housekeeping the background leader runs now and then (PostgreSQL: the events' partitions). */
  maintain?(now: Date): Promise<void>;
  close(): Promise<void>;
}

export interface Repositories {
  accounts: {
    get(accountId: string): Promise<AccountRecord | undefined>;
    put(a: AccountRecord): Promise<void>;
    list(): Promise<AccountRecord[]>;
  };
  /** IAM users. Names match regardless of case (as IAM's do), and keep the case they were created with. */
  users: {
    get(accountId: string, userName: string): Promise<UserRecord | undefined>;
    put(u: UserRecord): Promise<void>;
    /** By name, regardless of case. */
    list(accountId: string): Promise<UserRecord[]>;
    delete(accountId: string, userName: string): Promise<void>;
  };
  accessKeys: {
    get(accessKeyId: string): Promise<AccessKeyRecord | undefined>;
    put(k: AccessKeyRecord): Promise<void>;
    /** Every key of the account, root's and its users', oldest first. */
    list(accountId: string): Promise<AccessKeyRecord[]>;
    /** One user's keys (`undefined`: the root user's), oldest first. */
    listFor(accountId: string, userName: string | undefined): Promise<AccessKeyRecord[]>;
    delete(accessKeyId: string): Promise<void>;
  };
  /** IAM groups and their members (migration 0011). */
  iamGroups: {
    get(accountId: string, groupName: string): Promise<GroupRecord | undefined>;
    put(g: GroupRecord): Promise<void>;
    delete(accountId: string, groupName: string): Promise<void>;
    /** By name, regardless of case. */
    list(accountId: string): Promise<GroupRecord[]>;
    /** Adds the user unless it is a member already. */
    addMember(accountId: string, groupName: string, userName: string, at: Date): Promise<void>;
    removeMember(accountId: string, groupName: string, userName: string): Promise<void>;
    /** The group's users' names, by name. */
    members(accountId: string, groupName: string): Promise<string[]>;
    /** The names of the groups the user is in, by name. */
    groupsOf(accountId: string, userName: string): Promise<string[]>;
  };
  iamRoles: {
    get(accountId: string, roleName: string): Promise<RoleRecord | undefined>;
    put(r: RoleRecord): Promise<void>;
    delete(accountId: string, roleName: string): Promise<void>;
    /** By name, regardless of case. */
    list(accountId: string): Promise<RoleRecord[]>;
  };
  /** Customer managed policies and their versions. */
  iamPolicies: {
    get(arn: string): Promise<ManagedPolicyRecord | undefined>;
    /** The account's policy of that name (names are unique in an account whatever the path). */
    getByName(accountId: string, policyName: string): Promise<ManagedPolicyRecord | undefined>;
    put(p: ManagedPolicyRecord): Promise<void>;
    /** The policy and all its versions. */
    delete(arn: string): Promise<void>;
    /** By name, regardless of case. */
    list(accountId: string): Promise<ManagedPolicyRecord[]>;
    getVersion(arn: string, versionId: string): Promise<PolicyVersionRecord | undefined>;
    putVersion(v: PolicyVersionRecord): Promise<void>;
    deleteVersion(arn: string, versionId: string): Promise<void>;
    /** Oldest first. */
    listVersions(arn: string): Promise<PolicyVersionRecord[]>;
    /** How many users, groups and roles have it attached, and how many users and roles have it as their boundary. */
    usage(arn: string): Promise<{ attachments: number; boundaries: number }>;
  };
  iamInlinePolicies: {
    get(accountId: string, kind: IamPrincipalKind, principalName: string, policyName: string): Promise<InlinePolicyRecord | undefined>;
    /** Creates or replaces the principal's policy of that name. */
    put(p: InlinePolicyRecord): Promise<void>;
    delete(accountId: string, kind: IamPrincipalKind, principalName: string, policyName: string): Promise<void>;
    /** By policy name, regardless of case. */
    list(accountId: string, kind: IamPrincipalKind, principalName: string): Promise<InlinePolicyRecord[]>;
  };
  /** Managed policies attached to users, groups and roles. */
  iamAttachments: {
    /** Attaches unless attached already. */
    put(a: PolicyAttachmentRecord): Promise<void>;
    delete(accountId: string, kind: IamPrincipalKind, principalName: string, policyArn: string): Promise<void>;
    /** In the order they were attached. */
    list(accountId: string, kind: IamPrincipalKind, principalName: string): Promise<PolicyAttachmentRecord[]>;
  };
  certificates: {
    get(accountId: string, region: string, id: string): Promise<CertificateRecord | undefined>;
    put(c: CertificateRecord): Promise<void>;
    delete(accountId: string, region: string, id: string): Promise<void>;
    /** Without certificatePem, chainPem and privateKeySealed (listing never needs them): never put() these back. */
    list(accountId: string, region: string): Promise<CertificateRecord[]>;
    countByType(accountId: string, region: string, types: CertificateRecord['type'][]): Promise<number>;
    /** ISSUED certificates with a renewal requested, a validation method change pending, or whose NotAfter has passed. */
    listDue(now: Date, limit: number): Promise<CertificateRecord[]>;
    /** ISSUED certificates whose NotAfter is at or before `before`, soonest first (managed renewal's work). */
    listExpiringBefore(before: Date, limit: number): Promise<CertificateRecord[]>;
    countCreatedSince(accountId: string, region: string, type: 'requested' | 'imported', since: Date): Promise<number>;
    /** Across accounts: certificates in the given statuses (for the background lifecycle; no PEMs). */
    listByStatus(statuses: CertificateStatus[], limit: number): Promise<CertificateRecord[]>;
    listRevokedByIssuer(caId: string): Promise<CertificateRecord[]>;
    /** The certificate a CA issued with this serial (colon-hex, as DescribeCertificate shows it), also one renewal has since replaced. */
    getBySerial(caId: string, serial: string): Promise<CertificateRecord | undefined>;
  };
  cas: {
    get(id: string): Promise<CaRecord | undefined>;
    getByKind(kind: Exclude<CaKind, 'private'>): Promise<CaRecord | undefined>;
    getPrivate(accountId: string, region: string): Promise<CaRecord | undefined>;
    put(c: CaRecord): Promise<void>;
    list(accountId?: string): Promise<CaRecord[]>;
  };
  idempotency: {
    get(scope: string, token: string, now: Date): Promise<IdempotencyRecord | undefined>;
    put(r: IdempotencyRecord): Promise<void>;
  };
  events: {
    put(e: EventRecord): Promise<void>;
    /** Newest first. */
    lookup(q: EventQuery): Promise<EventRecord[]>;
    /** Oldest first, after a storage position (for followers and delivery). */
    after(seq: number, limit: number): Promise<EventRecord[]>;
    lastSeq(): Promise<number>;
  };
  accountConfig: {
    get(accountId: string, region: string): Promise<AccountConfigRecord | undefined>;
    put(c: AccountConfigRecord): Promise<void>;
  };
  trails: {
    get(accountId: string, homeRegion: string, name: string): Promise<TrailRecord | undefined>;
    put(t: TrailRecord): Promise<void>;
    delete(accountId: string, homeRegion: string, name: string): Promise<void>;
    /** Every trail of the account, all home regions, by name then home region. */
    list(accountId: string): Promise<TrailRecord[]>;
  };
  bus: {
    publish(events: BusEventRecord[]): Promise<void>;
    /** Oldest first, after a position. */
    after(seq: number, limit: number): Promise<BusEventRecord[]>;
    lastSeq(): Promise<number>;
    getState<T>(name: string): Promise<T | undefined>;
    putState<T>(name: string, value: T): Promise<void>;
    /** Inserts unless one with the same id exists. */
    enqueue(i: BusInvocationRecord): Promise<void>;
    putInvocation(i: BusInvocationRecord): Promise<void>;
    deleteInvocation(id: string): Promise<void>;
    due(now: Date, limit: number): Promise<BusInvocationRecord[]>;
    putDeadLetter(d: DeadLetterRecord): Promise<void>;
    listDeadLetters(queueArn?: string): Promise<DeadLetterRecord[]>;
  };
  deliveries: {
    get(id: string): Promise<DeliverySessionRecord | undefined>;
    put(d: DeliverySessionRecord): Promise<void>;
    /** Sessions not finished, oldest first (what the deliverer works on). */
    listActive(): Promise<DeliverySessionRecord[]>;
    /** The trail's newest session (GetTrailStatus), finished or not. */
    latest(trailArn: string): Promise<DeliverySessionRecord | undefined>;
  };
  digestKeys: {
    get(region: string, fingerprint: string): Promise<DigestKeyRecord | undefined>;
    /** Adds a key. Never replaces: a second key with the region's fingerprint or validFrom is refused (throws). */
    put(k: DigestKeyRecord): Promise<void>;
    /** The region's keys, by validFrom. */
    list(region: string): Promise<DigestKeyRecord[]>;
  };
  /** EventBridge rules, their targets inside (migration 0007). */
  eventRules: {
    get(accountId: string, region: string, eventBusName: string, name: string): Promise<EventRuleRecord | undefined>;
    /** Creates or replaces the rule (its targets with it). */
    put(r: EventRuleRecord): Promise<void>;
    delete(accountId: string, region: string, eventBusName: string, name: string): Promise<void>;
    /** The bus's rules, by name. */
    list(accountId: string, region: string, eventBusName: string): Promise<EventRuleRecord[]>;
    /**
     * The rules of every bus of the account and region whose state is not DISABLED (ENABLED or
     * ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS), targets included, by bus then name: what a
     * dispatcher matches events against. One indexed query; unchanged rows are not decoded again.
     */
    listEnabled(accountId: string, region: string): Promise<EventRuleRecord[]>;
  };
  eventConnections: {
    get(accountId: string, region: string, name: string): Promise<EventConnectionRecord | undefined>;
    getByArn(arn: string): Promise<EventConnectionRecord | undefined>;
    put(c: EventConnectionRecord): Promise<void>;
    delete(accountId: string, region: string, name: string): Promise<void>;
    /** By name. */
    list(accountId: string, region: string): Promise<EventConnectionRecord[]>;
  };
  apiDestinations: {
    get(accountId: string, region: string, name: string): Promise<ApiDestinationRecord | undefined>;
    getByArn(arn: string): Promise<ApiDestinationRecord | undefined>;
    put(a: ApiDestinationRecord): Promise<void>;
    delete(accountId: string, region: string, name: string): Promise<void>;
    /** By name. */
    list(accountId: string, region: string): Promise<ApiDestinationRecord[]>;
  };
}

/**
 * Which node does the background work (validation, renewal, expiry, trail delivery and digests,
 * the event bus): exactly one at a time. `store` is what that work writes through: once another
 * node has taken over, its writes fail instead of racing the new leader's (fencing).
 */
export interface Leadership {
  readonly store: Store;
  /** Whether this node leads now. */
  leading(): boolean;
  /** Calls `lead` each time this node becomes the leader and `follow` (awaited) each time it stops being one. */
  start(handlers: { lead(): void; follow(): Promise<void> }): void;
  /** Gives up leadership (its `follow` runs first if leading). */
  stop(): Promise<void>;
}

/** A store no other node shares (SQLite, PGlite): this node leads from start to stop. `onChange` as PgLeadership's. */
export function soleLeadership(store: Store, onChange?: (leading: boolean) => void): Leadership {
  let h: { lead(): void; follow(): Promise<void> } | undefined;
  return {
    store,
    leading: () => h !== undefined,
    start(handlers) {
      h = handlers;
      onChange?.(true);
      handlers.lead();
    },
    async stop() {
      const was = h;
      h = undefined;
      if (was) onChange?.(false);
      await was?.follow();
    },
  };
}
