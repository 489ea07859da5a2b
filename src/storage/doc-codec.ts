/** JSON documents that keep Dates (as {"$d": epochMs}) — shared by every backend. */
export function encodeDoc(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const raw = this[key];
    if (raw instanceof Date) return { $d: raw.getTime() };
    return v;
  });
}

/** A walk after a plain JSON.parse: several times faster than a reviver, which defeats V8's fast path. */
export function decodeDoc<T>(text: string): T {
  return revive(JSON.parse(text)) as T;
}

function revive(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = revive(v[i]);
    return v;
  }
  const o = v as Record<string, unknown>;
  if (typeof o.$d === 'number') return new Date(o.$d);
  for (const k in o) {
    const x = o[k];
    if (x !== null && typeof x === 'object') o[k] = revive(x);
  }
  return o;
}
