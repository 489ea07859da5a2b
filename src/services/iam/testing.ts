/** An in-memory IAM for handler tests: the real operations on an in-memory store, called as the query pipeline calls them. */
import { randomBytes } from 'node:crypto';
import type { Principal } from '../../auth/principal.js';
import { iamUserArn, rootUserArn } from '../../kernel/arn.js';
import { isServiceError, type ServiceError } from '../../kernel/errors.js';
import { systemIds } from '../../kernel/ids.js';
import { SecretBox } from '../../kernel/secret-box.js';
import type { RequestContext } from '../../pipeline/context.js';
import { SqliteStore } from '../../storage/sqlite/store.js';
import type { IamDeps } from './deps.js';
import { iamOperations } from './service.js';

export const ACCOUNT = '000000000000';

export const root: Principal = { type: 'Root', accountId: ACCOUNT, arn: rootUserArn(ACCOUNT), principalId: ACCOUNT, accessKeyId: 'test' };

export function userPrincipal(userName: string, userId = 'AIDAEXAMPLEEXAMPLE01', path = '/'): Principal {
  return { type: 'IAMUser', accountId: ACCOUNT, arn: iamUserArn(ACCOUNT, userName, path), principalId: userId, userName, accessKeyId: 'AKIAEXAMPLE' };
}

export interface IamHarness {
  deps: IamDeps;
  /** Runs an operation; its Result members, or undefined. */
  call(action: string, params?: Record<string, string>, principal?: Principal): Promise<any>;
  /** Runs an operation that must fail with a client-visible error, and returns it. */
  failure(action: string, params?: Record<string, string>, principal?: Principal): Promise<ServiceError>;
  /** Every error code each operation raised so far. */
  raised: Map<string, Set<string>>;
  close(): Promise<void>;
}

export async function iamHarness(now = new Date(Date.UTC(2026, 0, 1))): Promise<IamHarness> {
  const store = new SqliteStore(':memory:');
  await store.write((tx) => tx.accounts.put({ accountId: ACCOUNT, createdAt: new Date(Date.UTC(2025, 0, 1)) }));
  const deps: IamDeps = { store, ids: systemIds, box: new SecretBox(randomBytes(32)) };
  const operations = iamOperations();
  const raised = new Map<string, Set<string>>();
  const call = async (action: string, params: Record<string, string> = {}, principal: Principal = root) => {
    const ctx: RequestContext = { requestId: 'r', now, sourceIp: '127.0.0.1', userAgent: 'test', tls: false, service: 'iam', operation: action, region: 'us-east-1', principal };
    try {
      return await operations[action].handler(ctx, params, deps);
    } catch (e) {
      if (isServiceError(e)) {
        const codes = raised.get(action) ?? new Set<string>();
        raised.set(action, codes.add(e.code));
      }
      throw e;
    }
  };
  return {
    deps,
    call,
    raised,
    async failure(action, params, principal) {
      try {
        await call(action, params, principal);
      } catch (e) {
        if (isServiceError(e)) return e;
        throw e;
      }
      throw new Error(`${action} succeeded, expected an error`);
    },
    close: () => store.close(),
  };
}

/** A policy document allowing (or denying) actions on everything. */
export const policyDoc = (actions: string | string[], effect = 'Allow') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Action: actions, Resource: '*' }] });

export const trustDoc = (principal: unknown = { Service: 'ec2.amazonaws.com' }) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }] });
