import * as vscode from 'vscode';
import { errorMessage } from '../../core/text/errorMessage';

/** The part of an ssh2 shell channel a terminal needs. */
export interface ShellChannel {
  write(data: string | Buffer): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  stderr: { on(event: 'data', listener: (chunk: Buffer) => void): unknown };
  setWindow(rows: number, cols: number, height: number, width: number): unknown;
  close(): unknown;
}

export type OpenShell = (size: { rows: number; cols: number }) => Promise<ShellChannel>;

/**
 * A real interactive terminal over the pooled SSH connection (a pty on the remote, resized with
 * the panel). The connection's host key was already verified by the pool.
 */
export function createSshTerminal(hostName: string, openShell: OpenShell): vscode.Terminal {
  const write = new vscode.EventEmitter<string>();
  const close = new vscode.EventEmitter<number | void>();
  let channel: ShellChannel | undefined;
  let pendingSize = { rows: 24, cols: 80 };
  const decoder = new TextDecoder();

  const pty: vscode.Pseudoterminal = {
    onDidWrite: write.event,
    onDidClose: close.event,
    open(initial) {
      if (initial) pendingSize = { rows: initial.rows, cols: initial.columns };
      write.fire(`\x1b[2mConnecting to ${hostName}…\x1b[0m\r\n`);
      openShell(pendingSize).then(
        (ch) => {
          channel = ch;
          ch.on('data', (d) => write.fire(decoder.decode(d, { stream: true })));
          ch.stderr.on('data', (d) => write.fire(decoder.decode(d, { stream: true })));
          ch.on('close', () => {
            write.fire(`\r\n\x1b[2m[connection to ${hostName} closed]\x1b[0m\r\n`);
            close.fire(0);
          });
        },
        (err: unknown) => {
          write.fire(`\x1b[31mCould not open a shell on ${hostName}: ${errorMessage(err)}\x1b[0m\r\n`);
          write.fire('Press any key to close this terminal.\r\n');
        },
      );
    },
    close() {
      channel?.close();
    },
    handleInput(data) {
      if (channel) channel.write(data);
      else close.fire(1);
    },
    setDimensions(dim) {
      pendingSize = { rows: dim.rows, cols: dim.columns };
      channel?.setWindow(dim.rows, dim.columns, 0, 0);
    },
  };
  return vscode.window.createTerminal({ name: `Airlock: ${hostName}`, pty, iconPath: new vscode.ThemeIcon('remote') });
}
