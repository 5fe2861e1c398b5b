import { parseArgs, type ParseArgsConfig } from 'node:util';
import { errorMessage } from '../core/text/errorMessage';
import { UsageError } from './errors';

/** node:util's parseArgs, whose complaints (unknown flag, missing value) become usage errors with the command's usage text (exit 2). */
export function parseOptions<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new UsageError(`${errorMessage(err)}\n${usage}`);
  }
}
