/**
 * crypto.randomUUID exists only in a secure context, and the web console is also opened over
 * plain http on a LAN address (a phone beside the host's computer): there, command ids
 * (common/ids.ts) would throw. A blob URL ends in a random UUID in any context. Imported first
 * by the page; the extension's pages and worker are always a secure context and never need it.
 */
if (typeof crypto.randomUUID !== 'function') {
  crypto.randomUUID = () => {
    const url = URL.createObjectURL(new Blob());
    URL.revokeObjectURL(url);
    return url.slice(-36) as ReturnType<Crypto['randomUUID']>;
  };
}
export {};
