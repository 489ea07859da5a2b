/**
 * What a target receives: the whole event, a constant `Input`, the part `InputPath` selects, or
 * an `InputTransformer`'s template filled from the event (EventBridge "Transforming target
 * input"). Paths are JSONPath in the simple form EventBridge takes: `$`, `$.a.b`, `$.a[0]`.
 */
export interface TargetInput {
  input?: string;
  inputPath?: string;
  inputTransformer?: { inputPathsMap?: Record<string, string>; inputTemplate: string };
}

export function selectPath(doc: unknown, path: string): unknown {
  if (path === '$') return doc;
  const steps = path.replace(/^\$/, '').match(/\.[^.[\]]+|\[\d+\]/g) ?? [];
  let cur: unknown = doc;
  for (const s of steps) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = s.startsWith('[') ? (cur as unknown[])[Number(s.slice(1, -1))] : (cur as Record<string, unknown>)[s.slice(1)];
  }
  return cur;
}

/**
 * The template's `<name>` placeholders: inside a JSON string they are replaced by the value's
 * text (a string as is, anything else as JSON), outside by the value as JSON; a missing path
 * gives `null` (unquoted) or nothing (quoted). A template that is not JSON takes text. Predefined: aws.events.rule-arn, rule-name,
 * event.ingestion-time, event (the whole event, JSON) and event.json.
 */
export function fillTemplate(template: string, values: Record<string, unknown>): string {
  // A template that is not JSON is text: values go in as text.
  const json = /^\s*[{["]/.test(template);
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '"' && template[i - 1] !== '\\') inString = !inString;
    if (c === '<') {
      const end = template.indexOf('>', i);
      const name = end > i ? template.slice(i + 1, end) : '';
      if (name && Object.hasOwn(values, name)) {
        const v = values[name];
        if (!json) out += typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v);
        else if (inString) out += v === undefined || v === null ? '' : typeof v === 'string' ? JSON.stringify(v).slice(1, -1) : JSON.stringify(v).replace(/"/g, '\\"');
        else out += v === undefined ? 'null' : JSON.stringify(v);
        i = end;
        continue;
      }
    }
    out += c;
  }
  return out;
}

export function targetPayload(t: TargetInput, event: Record<string, unknown>, rule: { arn: string; name: string }, ingestedAt: Date): string {
  if (t.input !== undefined) return t.input;
  if (t.inputPath) return JSON.stringify(selectPath(event, t.inputPath) ?? null);
  if (!t.inputTransformer) return JSON.stringify(event);
  const values: Record<string, unknown> = {
    'aws.events.rule-arn': rule.arn,
    'aws.events.rule-name': rule.name,
    'aws.events.event.ingestion-time': ingestedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws.events.event': event,
    'aws.events.event.json': event,
  };
  for (const [name, path] of Object.entries(t.inputTransformer.inputPathsMap ?? {})) values[name] = selectPath(event, path);
  return fillTemplate(t.inputTransformer.inputTemplate, values);
}
