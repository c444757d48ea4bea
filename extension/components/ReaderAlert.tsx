/**
 * A seller page's number went down (issue 13, [O5]): the refund to confirm is in the reader's
 * section below the queue, where a host busy on camera would not look. This line at the top
 * says so and takes them there. It reads only the room's state (no zod, no storage): it is
 * part of the side panel's first bundle.
 */
import type { ConsoleState } from '../ui/console-state';

export function ReaderAlert({ s }: { s: ConsoleState }) {
  const waiting = (s.room.value?.observed ?? []).filter((o) => o.pending).length;
  if (!waiting) return null;
  const t = s.t.value;
  return (
    <div class="reader-alert" role="alert" data-snapshot="skip" data-testid="reader-alert">
      <span>{t(waiting === 1 ? 'reader.alert.one' : 'reader.alert', { n: waiting })}</span>
      <button type="button" class="quiet" onClick={() => document.getElementById('reader-h')?.scrollIntoView({ block: 'start' })}>
        {t('reader.alertShow')}
      </button>
    </div>
  );
}
