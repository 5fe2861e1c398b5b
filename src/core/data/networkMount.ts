// "Never train directly off network mounts": the file system a path lives on, from
// /proc/self/mountinfo (the longest mount point that contains it), and whether it is remote.
import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';

const networkTypes =
  /^(nfs4?|cifs|smb3?|smbfs|9p|afs|ceph|glusterfs|lustre|gpfs|beegfs|davfs|fuse\.(sshfs|rclone|gcsfuse|s3fs|goofys|drivefs|google-drive-ocamlfuse|davfs2|juicefs|blobfuse2?|mountpoint-s3))$/;

export interface MountOf {
  mountPoint: string;
  fsType: string;
  network: boolean;
}

const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export function mountOf(mountinfo: string, path: string): MountOf | undefined {
  const abs = resolve(path);
  let best: MountOf | undefined;
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const mp = unescape(left.split(' ')[4] ?? '');
    const fsType = right.split(' ')[0] ?? '';
    const inside = mp === '/' || abs === mp || abs.startsWith(mp.endsWith(sep) ? mp : mp + sep);
    if (inside && (!best || mp.length >= best.mountPoint.length)) best = { mountPoint: mp, fsType, network: networkTypes.test(fsType) };
  }
  return best;
}

export async function mountOfPath(path: string): Promise<MountOf | undefined> {
  const text = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  return mountOf(text, path);
}
