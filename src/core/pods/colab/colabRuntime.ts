// Jupyter on a pod the way Colab's "Connect to a local runtime" needs it (research.google.com/
// colaboratory/local-runtimes.html): the server must trust Colab's origin for its HTTP and WebSocket
// requests (`allow_origin='https://colab.research.google.com'`), keep the port it was given
// (`port_retries=0`, the URL Colab is handed must stay right), and Colab's own `jupyter_http_over_ws`
// server extension carries the kernel websocket where it can be installed. It listens on the pod's
// 127.0.0.1 only: Colab (in the user's browser) reaches it through Airlock's SSH tunnel at
// http://localhost:PORT/?token=… . The token arrives on stdin and lives in the process environment
// (JUPYTER_TOKEN), never in a command line or a file.
import { randomBytes } from 'node:crypto';

export const colabOrigin = 'https://colab.research.google.com';
/** Not 8888: RunPod's images already run their own JupyterLab there. */
export const defaultColabRemotePort = 8890;

export function generateColabToken(): string {
  return randomBytes(24).toString('hex');
}

/** The bash script to run on the pod (`bash -c SCRIPT`, token as the first line of stdin). */
export function colabJupyterScript(remotePort: number): string {
  if (!Number.isInteger(remotePort) || remotePort < 1 || remotePort > 65535) throw new Error(`bad port ${remotePort}`);
  return `set -u
IFS= read -r JUPYTER_TOKEN; export JUPYTER_TOKEN
PORT=${remotePort}
LOG=/tmp/airlock-colab-jupyter-$PORT.log
PIDF=/tmp/airlock-colab-jupyter-$PORT.pid
# A server from an earlier run has another token: replace it.
if [ -f "$PIDF" ] && kill -0 "$(cat "$PIDF")" 2>/dev/null; then kill "$(cat "$PIDF")"; sleep 1; fi
if python3 -c 'import jupyter_http_over_ws' 2>/dev/null || pip install -q --disable-pip-version-check --retries 0 --timeout 15 jupyter_http_over_ws >/dev/null 2>&1; then
  jupyter server extension enable --py jupyter_http_over_ws >/dev/null 2>&1 || jupyter serverextension enable --py jupyter_http_over_ws >/dev/null 2>&1 || true
  echo "AIRLOCK_COLAB http_over_ws=on"
else
  echo "AIRLOCK_COLAB http_over_ws=off"
fi
if command -v jupyter-server >/dev/null 2>&1; then J=jupyter-server; A=ServerApp; else J="jupyter notebook"; A=NotebookApp; fi
nohup $J --$A.allow_origin=${colabOrigin} --$A.port_retries=0 --$A.port=$PORT --$A.ip=127.0.0.1 --$A.open_browser=False --$A.allow_root=True > "$LOG" 2>&1 < /dev/null &
echo $! > "$PIDF"
for i in $(seq 1 120); do
  if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then echo "AIRLOCK_COLAB ready pid=$(cat "$PIDF")"; exit 0; fi
  kill -0 "$(cat "$PIDF")" 2>/dev/null || break
  sleep 0.5
done
echo "AIRLOCK_COLAB failed"; tail -n 20 "$LOG"; exit 1
`;
}

/** What the user pastes into Colab, and the steps. */
export function colabInstructions(url: string): string {
  return [
    `Colab runtime URL (copy it; shown once, never written to disk):`,
    `  ${url}`,
    `In Colab: Connect ▾ (top right) → "Connect to a local runtime…" → paste the URL → Connect.`,
    `Keep this command running: it holds the SSH tunnel Colab talks through. Ctrl+C closes it.`,
  ].join('\n');
}

/** Said when the tunnel closes (and what the pod does then). */
export function colabTunnelClosedMessage(podId: string, podStops: boolean): string {
  return podStops
    ? `Tunnel closed and pod ${podId} stopping: Colab shows the runtime as disconnected; unsaved kernel state is lost (the notebook itself lives in Colab/Drive). Files on the pod's volume stay.`
    : `Tunnel closed: Colab shows the runtime as disconnected and its cells stop running; the kernel keeps running on pod ${podId}, which keeps billing until you stop it (airlock pods stop ${podId}) or its watchdog does. Run "airlock pods colab --pod ${podId}" again to reconnect (a new URL).`;
}
