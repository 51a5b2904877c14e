// Every JSON body is checked once at the edge, before any schema or handler sees it: nested at
// most MAX_JSON_DEPTH deep (a document 10,000 levels deep overflows recursive validators, and
// MariaDB's JSON columns refuse more than 32), and every string and key well-formed Unicode (a
// lone surrogate such as "\ud800" is refused by MariaDB's JSON check and by UTF-8 encoders).
// The walk is iterative, so no input can overflow the stack here either.
import { InvalidError, type FieldError } from '../errors.js';

export const MAX_JSON_DEPTH = 16;

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | null;
  key: string;
}

function pointerOf(frame: Frame): string {
  const parts: string[] = [];
  for (let f: Frame | null = frame; f && f.parent; f = f.parent) parts.push(f.key.replace(/~/g, '~0').replace(/\//g, '~1'));
  return '/' + parts.reverse().join('/');
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = (s: string): boolean => !LONE_SURROGATE.test(s);

/** The first problem of a parsed JSON value, or null. `where` names the input (body, query). */
export function jsonProblem(value: unknown, where: FieldError['in'] = 'body'): FieldError | null {
  const stack: Frame[] = [{ value, depth: 0, parent: null, key: '' }];
  while (stack.length) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (typeof v === 'string') {
      if (!wellFormed(v)) return { in: where, pointer: pointerOf(frame), code: 'unicode', message: `${where}${pointerOf(frame).replace(/\//g, '.')} is not well-formed Unicode (a lone surrogate)` };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    const depth = frame.depth + 1;
    if (depth > MAX_JSON_DEPTH) {
      return { in: where, pointer: pointerOf(frame), code: 'maxDepth', message: `${where} is nested more than ${MAX_JSON_DEPTH} levels deep` };
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], depth, parent: frame, key: String(i) });
    } else {
      for (const key of Object.keys(v)) {
        const child: Frame = { value: (v as Record<string, unknown>)[key], depth, parent: frame, key };
        if (!wellFormed(key)) return { in: where, pointer: pointerOf(child), code: 'unicode', message: `a key of ${where}${pointerOf(frame).replace(/\//g, '.')} is not well-formed Unicode (a lone surrogate)` };
        stack.push(child);
      }
    }
  }
  return null;
}

export function assertSaneJson(value: unknown, where: FieldError['in'] = 'body'): void {
  const problem = jsonProblem(value, where);
  if (!problem) return;
  const title = problem.code === 'unicode' ? 'The request holds text that is not well-formed Unicode' : `The request is nested more than ${MAX_JSON_DEPTH} levels deep`;
  throw new InvalidError(problem.code === 'unicode' ? 'MALFORMED_UNICODE' : 'TOO_DEEP', title, { errors: [problem] });
}
