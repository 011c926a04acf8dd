/**
 * Whether a mail can be delivered to this address at all: one `@`, a dot-atom local part
 * (RFC 5322 3.4.1; letters beyond ASCII too, RFC 6531) of at most 64 octets, a domain of
 * letter-digit-hyphen labels with a top-level label that is not all digits, at most 254 in
 * all. Quoted local parts and address literals (`"a b"@x`, `a@[10.0.0.1]`) are legal but
 * nobody writes to a help desk from one, and relays refuse them: they are not accepted.
 */
export function isValidMailAddress(address: string): boolean {
  if (address.length > 254 || /[\s<>()[\]\\,;:"]/.test(address)) return false;
  const at = address.lastIndexOf('@');
  if (at < 1 || address.indexOf('@') !== at) return false;
  const local = address.slice(0, at);
  const labels = address.slice(at + 1).split('.');
  if (Buffer.byteLength(local) > 64 || !LOCAL.test(local)) return false;
  if (labels.length < 2 || labels.some((l) => !LABEL.test(l))) return false;
  return !/^\d+$/.test(labels[labels.length - 1]);
}

const LOCAL = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const LABEL = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u;
