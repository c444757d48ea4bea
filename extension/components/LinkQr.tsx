/**
 * A link as a QR code a phone's camera reads, the link as text and a Copy button. The code is
 * made in the page (shared/qr.ts: no network request) and drawn as SVG elements by Preact, i.e.
 * with DOM APIs: no markup string, no innerHTML (Mozilla's addons-linter stays at 0 warnings).
 * Dark modules on white with the standard quiet zone, whatever the console's colour scheme: a
 * reader needs that contrast.
 */
import { useMemo, useRef, useState } from 'preact/hooks';
import { qrPath } from '../../shared/qr';
import type { HostWordKey } from '../../shared/i18n/en/host';
import type { Translate } from '../../shared/i18n/locale';

/** Copies with the Clipboard API, else (a page on plain http from the LAN has none) by selecting the field. */
async function copyText(text: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard && globalThis.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* denied: try the selection below */
  }
  if (!field) return false;
  field.focus();
  field.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

export function LinkQr({ link, label, h, id }: { link: string; label: string; h: Translate<HostWordKey>; id: string }) {
  const { size, d } = useMemo(() => qrPath(new URL(link).href), [link]);
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  return (
    <div class="link-qr">
      <svg class="qr" role="img" aria-label={label} viewBox={`0 0 ${size} ${size}`} shape-rendering="crispEdges" data-testid="link-qr">
        <rect width={size} height={size} fill="#fff" />
        <path fill="#000" d={d} />
      </svg>
      <div class="link-qr-text">
        <label class="grow" for={`${id}-link`}>
          <span>{h('people.link')}</span>
          <input id={`${id}-link`} ref={field} type="text" readOnly value={link} data-testid="link-text" onFocus={(e) => e.currentTarget.select()} />
        </label>
        <div class="row">
          <button
            type="button"
            onClick={async () => {
              setCopied((await copyText(link, field.current)) ? 'yes' : 'failed');
              setTimeout(() => setCopied('no'), 3000);
            }}
          >
            {h('people.copy')}
          </button>
          <span class="hint" role="status">
            {copied === 'yes' ? h('people.copied') : copied === 'failed' ? h('people.copyFailed') : ''}
          </span>
        </div>
      </div>
    </div>
  );
}
