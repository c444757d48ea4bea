/**
 * The after-show report page's link (issue 19): room and token in the fragment, which no request
 * carries. Apart from shared/pairing.ts (which re-exports it) because that module reads the
 * roles from shared/domain.ts, and with it zod, which the web console's first bundle must not carry.
 */
export function reportLink(relayUrl: string, room: string, token: string): string {
  const base = relayUrl.replace(/\/+$/, '');
  return `${base}/report#${new URLSearchParams({ room, token }).toString()}`;
}
