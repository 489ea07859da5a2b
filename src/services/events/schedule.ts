import { ValidationException } from './errors.js';

/**
 * ScheduleExpression (EventBridge "Creating a rule that runs on a schedule"): `rate(value
 * unit)` with a positive value, the unit singular for 1 and plural otherwise (minute(s),
 * hour(s), day(s)); or `cron(minutes hours day-of-month month day-of-week year)`, where one of
 * day-of-month and day-of-week must be `?`. AWS answers anything else with one message.
 */
export function checkScheduleExpression(expr: string): void {
  if (!isValidSchedule(expr)) throw ValidationException('Parameter ScheduleExpression is not valid.');
}

export function isValidSchedule(expr: string): boolean {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expr);
  if (rate) {
    const n = Number(rate[1]);
    return n >= 1 && (n === 1) === !rate[2].endsWith('s');
  }
  const cron = /^cron\((.*)\)$/.exec(expr);
  if (!cron) return false;
  const f = cron[1].trim().split(/\s+/);
  if (f.length !== 6) return false;
  const [min, hour, dom, month, dow, year] = f;
  if ((dom === '?') === (dow === '?')) return false;
  return (
    field(min, 0, 59) && field(hour, 0, 23) && (dom === '?' || field(dom, 1, 31, { last: true, weekday: true })) &&
    field(month, 1, 12, { names: MONTHS }) && (dow === '?' || field(dow, 1, 7, { names: DAYS, last: true, nth: true })) && field(year, 1970, 2199)
  );
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Extras {
  names?: string[];
  /** `L` (last day), and for days of the week `5L`. */
  last?: boolean;
  /** `15W` (nearest weekday), `LW`. */
  weekday?: boolean;
  /** `3#2` (second Tuesday). */
  nth?: boolean;
}

function field(text: string, lo: number, hi: number, x: Extras = {}): boolean {
  return text.split(',').every((part) => part.length > 0 && item(part, lo, hi, x));
}

function item(part: string, lo: number, hi: number, x: Extras): boolean {
  const value = (v: string) => {
    const named = x.names?.indexOf(v.toUpperCase()) ?? -1;
    const n = named >= 0 ? named + lo : /^\d+$/.test(v) ? Number(v) : NaN;
    return n >= lo && n <= hi;
  };
  if (part === '*') return true;
  if (x.last && (part === 'L' || (x.nth && /^\w+L$/.test(part) && value(part.slice(0, -1))))) return true;
  if (x.weekday && (part === 'LW' || (/^\d+W$/.test(part) && value(part.slice(0, -1))))) return true;
  if (x.nth && /^\w+#[1-5]$/.test(part)) return value(part.split('#')[0]);
  const [range, step] = part.split('/');
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1)) return false;
  if (range === '*') return step !== undefined;
  const [a, b, ...more] = range.split('-');
  if (more.length) return false;
  return value(a) && (b === undefined || value(b));
}
