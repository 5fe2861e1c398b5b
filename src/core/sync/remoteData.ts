// The dataset a user types in the editor, as `airlock data fetch` takes it: `hf://datasets/ns/name[@rev]`
// (the Hub's own URL form) or `hf:ns/name[@rev]`, and `drive:FOLDER/PATH`.
import { parseDataSource } from '../data/dataFetch';

export function normalizeDataSource(input: string): string | undefined {
  const s = input.trim().replace(/^hf:\/\/(datasets\/)?/, 'hf:');
  try {
    parseDataSource(s);
    return s;
  } catch {
    return undefined;
  }
}
