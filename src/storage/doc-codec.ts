/** JSON documents that keep Dates (as {"$d": epochMs}) — shared by every backend. */
export function encodeDoc(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const raw = this[key];
    if (raw instanceof Date) return { $d: raw.getTime() };
    return v;
  });
}

export function decodeDoc<T>(text: string): T {
  return JSON.parse(text, (_k, v) => (v && typeof v === 'object' && typeof v.$d === 'number' && Object.keys(v).length === 1 ? new Date(v.$d) : v)) as T;
}
