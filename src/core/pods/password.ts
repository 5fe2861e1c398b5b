import { randomBytes, randomUUID } from 'node:crypto';

/** 24 URL-safe characters (144 bits): the Jupyter password, which the pod's images also accept as token. */
export function generateJupyterPassword(): string {
  return randomBytes(18).toString('base64url');
}

export function generateCreateId(): string {
  return randomUUID();
}
