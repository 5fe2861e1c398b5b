/**
 * A failure whose message is complete for a person (what failed, why, what to do), raised by a
 * command when the request cannot go on: no workspace folder, no plan, no SSH port yet. The error
 * presenter shows the message as it is; core's typed errors (config, SSH, pods, Colab) add actions.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}
