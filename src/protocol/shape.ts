/**
 * A small description of AWS input shapes, enough to validate requests the way AWS's
 * front end (Coral) does: required members, lengths, ranges, patterns, enums, list sizes.
 * Constraints are transcribed from the service models (see ../shared/reference/acm.md §2.2).
 */
export type Shape =
  | { type: 'string'; min?: number; max?: number; pattern?: string; enum?: readonly string[]; sensitive?: boolean }
  | { type: 'integer'; min?: number; max?: number }
  | { type: 'boolean' }
  | { type: 'timestamp' }
  | { type: 'blob'; min?: number; max?: number; sensitive?: boolean }
  | { type: 'list'; member: Shape; min?: number; max?: number }
  | { type: 'map'; key: Shape; value: Shape; min?: number; max?: number }
  | { type: 'structure'; members: Record<string, Shape>; required?: readonly string[] }
  | { type: 'union'; members: Record<string, Shape> }
  | { type: 'lazy'; get: () => Shape };

export const str = (o: Omit<Extract<Shape, { type: 'string' }>, 'type'> = {}): Shape => ({ type: 'string', ...o });
export const int = (o: { min?: number; max?: number } = {}): Shape => ({ type: 'integer', ...o });
export const bool: Shape = { type: 'boolean' };
export const timestamp: Shape = { type: 'timestamp' };
export const blob = (o: { min?: number; max?: number; sensitive?: boolean } = {}): Shape => ({ type: 'blob', ...o });
export const list = (member: Shape, o: { min?: number; max?: number } = {}): Shape => ({ type: 'list', member, ...o });
/** A JSON object of string keys (EventBridge's InputPathsMap, HeaderParameters). */
export const map = (key: Shape, value: Shape, o: { min?: number; max?: number } = {}): Shape => ({ type: 'map', key, value, ...o });
export const struct = (members: Record<string, Shape>, required: readonly string[] = []): Shape => ({ type: 'structure', members, required });
export const union = (members: Record<string, Shape>): Shape => ({ type: 'union', members });
export const enumOf = (values: readonly string[]): Shape => ({ type: 'string', enum: values });
export const lazy = (get: () => Shape): Shape => ({ type: 'lazy', get });
