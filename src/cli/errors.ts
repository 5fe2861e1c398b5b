/** Bad command-line usage (unknown flag, missing argument): exit code 2 with the usage hint. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Bad input data (config file, notebook, log): exit code 2; the message names file, line and field. */
export class InputError extends Error {
  override readonly name = 'InputError';
}
