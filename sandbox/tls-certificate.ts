import selfsigned from 'selfsigned';

export interface TlsCertificate {
  keyPem: string;
  certPem: string;
}

/** A self-signed certificate for 127.0.0.1 and localhost, made at start (selfsigned 5 is async). */
export async function makeTlsCertificate(host: string): Promise<TlsCertificate> {
  const altNames: Array<{ type: 2; value: string } | { type: 7; ip: string }> = [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
  ];
  if (/^[\d.]+$/.test(host) && host !== '127.0.0.1') altNames.push({ type: 7, ip: host });
  else if (!/^[\d.]+$/.test(host) && host !== 'localhost') altNames.push({ type: 2, value: host });
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'modest-sandbox' }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 30 * 86_400_000),
    extensions: [{ name: 'subjectAltName', altNames }],
  });
  return { keyPem: pems.private, certPem: pems.cert };
}
