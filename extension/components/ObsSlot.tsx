/**
 * Where the OBS control panel (issue 5, lib/obs-*) mounts in the host console. It renders
 * nothing until that work is wired in; it receives the role so OBS stays host-only.
 */
export function ObsSlot(_props: { isHost: boolean }) {
  return null;
}
