import { errorMessage } from '../text/errorMessage';

/** A Live Logs filter: plain text or a regular expression, optionally case-sensitive. */
export interface LogFilterQuery {
  text: string;
  regex: boolean;
  caseSensitive: boolean;
}

export const noFilter: LogFilterQuery = { text: '', regex: false, caseSensitive: false };

export function isActiveFilter(q: LogFilterQuery): boolean {
  return q.text.length > 0;
}

export function filterKey(q: LogFilterQuery): string {
  return `${q.regex ? 'r' : 't'}${q.caseSensitive ? 'c' : 'i'}:${q.text}`;
}

/** A predicate for the query; an invalid regular expression is reported, not thrown. */
export function compileFilter(q: LogFilterQuery): { test: (line: string) => boolean } | { error: string } {
  if (q.regex) {
    try {
      const re = new RegExp(q.text, q.caseSensitive ? '' : 'i');
      return { test: (l) => re.test(l) };
    } catch (err) {
      return { error: errorMessage(err) };
    }
  }
  if (q.caseSensitive) return { test: (l) => l.includes(q.text) };
  const needle = q.text.toLowerCase();
  return { test: (l) => l.toLowerCase().includes(needle) };
}
