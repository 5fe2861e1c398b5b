export interface CliContext {
  signal: AbortSignal;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** One top-level `airlock <name>` command. `run` returns the process exit code. */
export interface CliCommand {
  name: string;
  summary: string;
  run(args: string[], ctx: CliContext): Promise<number>;
}
