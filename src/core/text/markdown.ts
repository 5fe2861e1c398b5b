// Text that other machines write (a claim's host, a failure reason, a remote hostname, a pod's name
// and metadata, an error message) must reach a Markdown tooltip as text: a crafted value could
// otherwise add links (`[x](command:…)`), images, HTML or theme icons to a trusted-looking tooltip.

/** Every character Markdown could read as syntax is backslash-escaped; line breaks become spaces. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ').replace(/[\\`*_{}[\]()<>#+\-.!|~$&:"']/g, '\\$&');
}

/** `text` as inline code: a fence longer than any backtick run inside, so it cannot be closed early. */
export function inlineCode(text: string): string {
  const flat = text.replace(/\r?\n|\r/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A value to render as inline code inside a `markdown` template. */
export class Code {
  constructor(readonly text: string) {}
}

export const code = (value: unknown): Code => new Code(String(value ?? ''));

/** A trusted template whose interpolated values are escaped (or fenced, for `code(x)`). */
export function markdown(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += v instanceof Code ? inlineCode(v.text) : escapeMarkdown(String(v ?? ''));
    out += strings[i + 1] ?? '';
  });
  return out;
}
