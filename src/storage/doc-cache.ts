/**
 * Decoded documents remembered by their stored text, so a row that has not changed is not parsed
 * again. Keyed by content, nothing needs invalidating: any write (whichever connection,
 * transaction or process made it) changes the text and so the key; an entry for text no longer
 * stored just ages out. Every reader of a row gets the same deeply frozen object, which callers
 * derive new records from ({ ...c, … }) and never modify; being the same object, it also lets
 * renderings be memoised by identity (services/acm/render.ts).
 */
export class DocCache<T extends object> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly max: number) {}

  /** The cached value for `text` if `fits` accepts it, else `build()`'s, frozen and remembered. */
  get(text: string, build: () => T, fits?: (cached: T) => boolean): T {
    const hit = this.entries.get(text);
    if (hit !== undefined && (fits === undefined || fits(hit))) return hit;
    const value = deepFreeze(build());
    if (hit !== undefined) this.entries.delete(text);
    else if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(text, value);
    return value;
  }
}

/** Freezes plain objects and arrays all the way down (Buffers cannot be frozen and are left as they are). */
export function deepFreeze<T>(v: T): T {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v) || ArrayBuffer.isView(v)) return v;
  Object.freeze(v);
  if (Array.isArray(v)) for (const x of v) deepFreeze(x);
  else for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  return v;
}
