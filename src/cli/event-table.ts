import type { EventRecord } from '../storage/records.js';

interface Column {
  title: string;
  /** Longer cells are cut to this width; follow mode uses it as the fixed width. */
  max: number;
  cell(e: EventRecord, r: Record<string, any>): unknown;
}

// The record is authoritative for what the call looked like (time as CloudTrail wrote it,
// source IP, error); the user is LookupEvents' Username, so the table agrees with the filter.
const COLUMNS: Column[] = [
  { title: 'TIME', max: 20, cell: (_, r) => r.eventTime },
  { title: 'EVENT', max: 32, cell: (e) => e.eventName },
  { title: 'USER', max: 20, cell: (e) => e.username },
  { title: 'SOURCE IP', max: 20, cell: (_, r) => r.sourceIPAddress },
  { title: 'ERROR', max: 28, cell: (_, r) => r.errorCode },
  { title: 'RESOURCE', max: 96, cell: (e) => e.resourceName },
];

const ELLIPSIS = '…';

function clean(v: unknown): string {
  // Cells end up on an operator's terminal: a control character in any stored value (an
  // address a proxy forwarded, say) must not be able to drive it.
  const s = typeof v === 'string' && v !== '' ? v : '-';
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

function cut(s: string, width: number): string {
  const chars = [...s];
  return chars.length <= width ? s : chars.slice(0, width - 1).join('') + ELLIPSIS;
}

function parse(record: string): Record<string, any> {
  try {
    const r = JSON.parse(record);
    return r && typeof r === 'object' ? r : {};
  } catch {
    return {};
  }
}

export function eventCells(e: EventRecord): string[] {
  const r = parse(e.record);
  return COLUMNS.map((c) => cut(clean(c.cell(e, r)), c.max));
}

/** Widths that fit the rows; `fixed` for a follower, whose future rows are unknown. */
export function tableWidths(rows: string[][], fixed = false): number[] {
  return COLUMNS.map((c, i) => (fixed ? c.max : Math.max(c.title.length, ...rows.map((r) => [...r[i]].length))));
}

export function formatRow(cells: string[], widths: number[]): string {
  // The last column is not padded: trailing blanks only get in the way of grep and diff.
  return cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(Math.max(0, widths[i] - [...c].length)))).join('  ');
}

export function tableHeader(widths: number[]): string {
  return formatRow(COLUMNS.map((c) => c.title), widths);
}
