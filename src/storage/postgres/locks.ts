/**
 * certtrail's advisory locks. Each is a (class, key) pair: the class names the lock's purpose,
 * the key is a hash of the connection's search_path, so deployments in different schemas of one
 * database never hold each other's locks (a second deployment would otherwise never lead).
 */
export const LOCKS = {
  migration: 0x63740001,
  append: 0x63740002,
  leader: 0x63740003,
  maintenance: 0x63740004,
} as const;

export type LockName = keyof typeof LOCKS;

/** `SELECT <fn>(class, key)`: fn is one of PostgreSQL's two-key advisory lock functions. */
export function lockSql(fn: 'pg_advisory_lock' | 'pg_try_advisory_lock' | 'pg_advisory_unlock' | 'pg_advisory_xact_lock', lock: LockName): string {
  return `SELECT ${fn}(${LOCKS[lock]}, hashtext(current_setting('search_path'))) AS ok`;
}
