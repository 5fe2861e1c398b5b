// The name Add Host proposes for an address: the first label of a DNS name (`gpu1.lab.example` →
// `gpu1`), but an IP address whole — its first label ("127", "10") names nothing.

const ipv4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function suggestHostName(address: string): string {
  const host = address.trim().toLowerCase();
  if (host === '127.0.0.1' || host === 'localhost') return 'localhost';
  if (ipv4.test(host)) return host;
  return host.split('.')[0] || host;
}
