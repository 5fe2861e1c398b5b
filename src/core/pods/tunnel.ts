// Local port forwards to a pod's Jupyter over the pooled ssh2 connection (like `ssh -L`); the
// editor's Start SSH Tunnel and `airlock pods colab` share it (no `vscode` here).
import { createServer, type Server } from 'node:net';
import type { Client } from 'ssh2';

export interface Tunnel {
  podId: string;
  localPort: number;
  remotePort: number;
  close(): void;
}

export async function openTunnel(
  podId: string,
  connection: () => Promise<Client>,
  remotePort: number,
  onError: (e: Error) => void,
  localPort = 0,
  /** Where the far end connects to, as the SSH server sees it (a compute node behind a login node). */
  remoteHost = '127.0.0.1',
): Promise<Tunnel> {
  const client = await connection(); // fail here (auth, host key) rather than on the first browser request
  const server: Server = createServer((socket) => {
    void connection().then(
      (c) =>
        c.forwardOut('127.0.0.1', socket.remotePort ?? 0, remoteHost, remotePort, (err, stream) => {
          if (err) {
            onError(
              new Error(
                remoteHost === '127.0.0.1'
                  ? `the pod refused the forward to port ${remotePort}: ${err.message}`
                  : `the SSH server refused the forward to ${remoteHost}:${remotePort}: ${err.message}`,
              ),
            );
            return socket.destroy();
          }
          socket.pipe(stream).pipe(socket);
          stream.on('error', () => socket.destroy());
          socket.on('error', () => stream.destroy());
        }),
      (e: Error) => {
        onError(e);
        socket.destroy();
      },
    );
  });
  void client;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(localPort, '127.0.0.1', resolve);
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : 0;
  return { podId, localPort: bound, remotePort, close: () => server.close() };
}
