// Names Live Logs shows for its streams: unique within their group, so twenty "client@local"
// streams of a sweep read "client@local", "client@local (2)", … instead of looking like duplicates.

export interface NamedStream {
  id: string;
  title: string;
  group?: readonly string[];
}

/** Stream id → the title, numbered from the second stream of the same title in the same group. */
export function uniqueStreamNames(streams: readonly NamedStream[]): Map<string, string> {
  const seen = new Map<string, number>();
  const out = new Map<string, string>();
  for (const s of streams) {
    const key = `${(s.group ?? []).join('\u0000')}\u0001${s.title}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    out.set(s.id, n === 1 ? s.title : `${s.title} (${n})`);
  }
  return out;
}

/** Airlock's own messages in a stream (as opposed to what the process printed). */
export const isAirlockLine = (text: string) => text.startsWith('[airlock]');
