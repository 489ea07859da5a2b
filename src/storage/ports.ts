import type {
  BusEventRecord, BusInvocationRecord, DeadLetterRecord,
  ApiDestinationRecord, EventConnectionRecord, EventRuleRecord,
  AccessKeyRecord, AccountConfigRecord, AccountRecord, CaKind, CaRecord, CertificateRecord,
  CertificateStatus, DeliverySessionRecord, DigestKeyRecord, EventQuery, EventRecord, IdempotencyRecord, TrailRecord, UserRecord,
} from './records.js';

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
  close(): Promise<void>;
}

export interface Repositories {
  accounts: {
    get(accountId: string): Promise<AccountRecord | undefined>;
    put(a: AccountRecord): Promise<void>;
    list(): Promise<AccountRecord[]>;
  };
  users: {
    get(accountId: string, userName: string): Promise<UserRecord | undefined>;
    put(u: UserRecord): Promise<void>;
    list(accountId: string): Promise<UserRecord[]>;
  };
  accessKeys: {
    get(accessKeyId: string): Promise<AccessKeyRecord | undefined>;
    put(k: AccessKeyRecord): Promise<void>;
    list(accountId: string): Promise<AccessKeyRecord[]>;
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
