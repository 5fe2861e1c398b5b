// Pod logs in the REST fake: system lines from the lifecycle (pull, start, stop), container lines
// from the image's start script and from tests (`emit`). Ids are the event timestamps (unique,
// increasing), as the document says: "Log-event `id` values are the event `ts` timestamp".
import type { FakePod } from '../fakeRunpod/state';

export interface FakeLogLine {
  id: string;
  ts: string;
  source: 'container' | 'system';
  line: string;
}

export class FakePodLogs {
  private readonly lines = new Map<string, FakeLogLine[]>();
  private readonly phase = new Map<string, string>();
  private lastMs = 0;
  /** image → the pull error RunPod's host reports for it. */
  readonly failingImages = new Map<string, string>();

  emit(podId: string, line: string, source: FakeLogLine['source'] = 'container'): FakeLogLine {
    const ms = Math.max(Date.now(), this.lastMs + 1);
    this.lastMs = ms;
    const ts = new Date(ms).toISOString();
    const l = { id: ts, ts, source, line };
    const list = this.lines.get(podId) ?? [];
    list.push(l);
    this.lines.set(podId, list);
    return l;
  }

  all(podId: string): readonly FakeLogLine[] {
    return this.lines.get(podId) ?? [];
  }

  /** Adds the lines a lifecycle step would have written since the last look. */
  sync(p: FakePod): void {
    const now = p.desiredStatus === 'EXITED' ? 'stopped' : p.startedAt !== undefined ? 'running' : 'starting';
    const before = this.phase.get(p.id);
    if (before === now) return;
    this.phase.set(p.id, now);
    if (now === 'starting') {
      this.emit(p.id, `Pulling image ${p.imageName}`, 'system');
      const failure = this.failingImages.get(p.imageName);
      if (failure) {
        this.emit(p.id, failure, 'system');
        return;
      }
      this.emit(p.id, 'Image pulled, starting container', 'system');
    } else if (now === 'running') {
      this.emit(p.id, 'Container started', 'system');
      this.emit(p.id, 'Starting SSH server', 'container');
      if (p.env.some((e) => e.key === 'JUPYTER_PASSWORD')) this.emit(p.id, 'Jupyter Server is running at http://0.0.0.0:8888/lab', 'container');
    } else {
      this.emit(p.id, 'Stopping container', 'system');
    }
  }

  forget(podId: string): void {
    this.lines.delete(podId);
    this.phase.delete(podId);
  }
}
