/**
 * The host's tools below the queue (issue 18), loaded after the first paint (lazy.tsx): the
 * room's audit log, live, with Undo per undoable entry and the reason of a refused one next to
 * its line; the people invited by name, with their link as a QR code, who is connected now,
 * and Revoke (asked twice). State and calls are host-tools.ts's; this only renders.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry } from '../../shared/audit';
import { cachedFormat } from '../../shared/money';
import { auditLine, auditTime, auditWhat, auditWho } from '../ui/audit-line';
import type { ConsoleState } from '../ui/console-state';
import { isUndoable, supersededBy, PERSON_ROLES, type HostTools, type Person, type PersonRole, type UndoState } from '../ui/host-tools';
import { hostWords as en, type HostWordKey } from '../../shared/i18n/en/host';
import { hostWords as fr } from '../../shared/i18n/fr/host';
import { translatorOf, type Translate as TranslateOf } from '../../shared/i18n/locale';
import { hostWords as zh } from '../../shared/i18n/zh-CN/host';
import type { Locale, Translate } from '../ui/i18n';
import { relayNoticeText } from '../ui/relay-errors';
import { LinkQr } from './LinkQr';
import { ShowPulsePanel } from './ShowPulse';

/** Lines shown before "Show more": the log sits below the queue, on a phone too. */
const FIRST_LINES = 10;
/** How often the people list is read again while it is shown (who is connected now). */
const PEOPLE_EVERY_MS = 10_000;

type HostTranslate = TranslateOf<HostWordKey>;
const hostWordsIn = (locale: Locale): HostTranslate => translatorOf({ en, 'zh-CN': zh, fr }, locale);

const roleWord = (t: Translate, h: HostTranslate, role: PersonRole) => (role === 'host' ? t('roleHost') : role === 'cohost' ? t('roleCohost') : h('people.roleSales'));

function refusalText(s: ConsoleState, tools: HostTools, entry: AuditEntry, u: Extract<UndoState, { phase: 'refused' }>): string {
  const t = s.t.value;
  const h = hostWordsIn(s.locale.value);
  if (u.reason === 'superseded') {
    const later = supersededBy(tools.entries.value, entry);
    return later ? h('log.superseded', { who: auditWho(later, t), time: auditTime(later.at, s.locale.value, s.room.value?.room.timeZone) }) : h('log.supersededUnknown');
  }
  return relayNoticeText({ code: u.code, reason: u.reason, message: u.message }, t, { commandType: 'command.undo', locale: s.locale.value });
}

function LogLine({ s, tools, entry }: { s: ConsoleState; tools: HostTools; entry: AuditEntry }) {
  const t = s.t.value;
  const h = hostWordsIn(s.locale.value);
  // An undo names what it undid when that is still in the log ("主播撤销了：王县长展示了砀山酥梨").
  const target = entry.type === 'command.undo' ? tools.entries.value.find((e) => e.commandId === entry.summary.undone) : undefined;
  const what = target ? h('log.undid', { who: auditWho(entry, t), what: auditWhat(target, t) }) : undefined;
  const line = auditLine(entry, t, s.locale.value, s.room.value?.room.timeZone, what);
  const u = tools.undos.value[entry.commandId];
  const undone = entry.undoneBy !== undefined;
  return (
    <li class={`log-line${undone ? ' undone' : ''}`} data-testid="log-line" data-command={entry.commandId}>
      <div class="log-main">
        <span class="log-text">{line}</span>
        {undone ? (
          <span class="badge">{t('audit.undone')}</span>
        ) : (
          isUndoable(entry) && (
            <button type="button" class="log-undo" aria-label={h('log.undoLabel', { line })} disabled={u?.phase === 'sending'} onClick={() => void tools.undo(entry.commandId)}>
              {u?.phase === 'sending' ? h('log.undoing') : t('audit.undo')}
            </button>
          )
        )}
      </div>
      {u?.phase === 'refused' && !undone && (
        <p class="field-error log-refused" role="status">
          {refusalText(s, tools, entry, u)}
        </p>
      )}
    </li>
  );
}

export function AuditLog({ s, tools }: { s: ConsoleState; tools: HostTools }) {
  const t = s.t.value;
  const h = hostWordsIn(s.locale.value);
  const [all, setAll] = useState(false);
  useEffect(() => void tools.openLog(), [tools]);
  const entries = tools.entries.value;
  const load = tools.logLoad.value;
  const failure = tools.failure.value;
  const shown = all ? entries : entries.slice(0, FIRST_LINES);
  return (
    <section class="card log" aria-labelledby="log-h" data-testid="audit-log">
      <h2 id="log-h">{h('log.title')}</h2>
      <p class="hint">{h('log.hint')}</p>
      {load === 'loading' && <p class="hint">{h('log.loading')}</p>}
      {load === 'failed' && (
        <div class="row">
          <p class="field-error">{h('log.failed', { message: failure?.what === 'log' ? failure.message : '' })}</p>
          <button type="button" onClick={() => void tools.openLog()}>
            {h('log.retry')}
          </button>
        </div>
      )}
      {load === 'ready' && entries.length === 0 && <p class="empty">{h('log.empty')}</p>}
      {/* Polite: a co-host's tap shows up here without stealing the host's screen reader. */}
      <ol class="log-lines" aria-live="polite" aria-relevant="additions">
        {shown.map((e) => (
          <LogLine key={e.seq} s={s} tools={tools} entry={e} />
        ))}
      </ol>
      {!all && entries.length > FIRST_LINES && (
        <button type="button" class="quiet log-more" onClick={() => setAll(true)}>
          {h('log.more', { n: entries.length - FIRST_LINES })}
        </button>
      )}
    </section>
  );
}

function seenText(s: ConsoleState, p: Person): string {
  const t = s.t.value;
  const h = hostWordsIn(s.locale.value);
  if (p.connected) return h('people.connected');
  if (p.lastSeenAt === null) return h('people.never');
  const today = new Date().toDateString() === new Date(p.lastSeenAt).toDateString();
  const locale = s.locale.value;
  const when = cachedFormat(`seen|${locale}|${today}`, () => new Intl.DateTimeFormat(locale, today ? { hour: '2-digit', minute: '2-digit', hour12: false } : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false })).format(p.lastSeenAt);
  return h('people.lastSeen', { time: when });
}

function PersonRow({ s, tools, p }: { s: ConsoleState; tools: HostTools; p: Person }) {
  const t = s.t.value;
  const h = hostWordsIn(s.locale.value);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <li class="person" data-testid="person" data-person={p.id}>
      <div class="person-main">
        <span class={`dot${p.connected ? ' on' : ''}`} aria-hidden="true" />
        <span class="person-text">
          {/* A name is text, never markup: Preact sets it as a text node. */}
          <strong class="person-name">{p.name}</strong> <span class={`badge role-${p.role}`}>{roleWord(t, h, p.role)}</span>
          <small class="person-seen" data-testid="person-seen">
            {seenText(s, p)}
          </small>
        </span>
        {!asking && (
          <button type="button" class="danger" aria-label={h('people.revokeLabel', { name: p.name })} onClick={() => setAsking(true)}>
            {h('people.revoke')}
          </button>
        )}
      </div>
      {asking && (
        <div class="person-confirm" role="group" aria-label={h('people.revokeLabel', { name: p.name })}>
          <p>{h('people.confirm', { name: p.name })}</p>
          <div class="row">
            <button
              type="button"
              class="primary"
              disabled={busy}
              onClick={async () => {
                setBusy(true);
                const ok = await tools.revoke(p.id);
                setBusy(false);
                if (!ok) setAsking(false);
              }}
            >
              {h('people.confirmYes')}
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
    </li>
  );
}

export function People({ s, tools }: { s: ConsoleState; tools: HostTools }) {
  const t = s.t.value;
  const h = hostWordsIn(s.locale.value);
  const [name, setName] = useState('');
  const [role, setRole] = useState<PersonRole>('cohost');
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    void tools.loadPeople();
    const timer = setInterval(() => void tools.loadPeople(), PEOPLE_EVERY_MS);
    return () => clearInterval(timer);
  }, [tools]);
  const invited = tools.invited.value;
  const failure = tools.failure.value;
  const list = tools.people.value;
  const load = tools.peopleLoad.value;
  const nameError = missing ? h('people.nameMissing') : failure?.what === 'invite' && failure.field === 'name' ? h('people.inviteFailed', { message: failure.message }) : null;

  return (
    <section class="card people" aria-labelledby="people-h" data-testid="people">
      <h2 id="people-h">{h('people.title')}</h2>
      <p class="hint">{h('people.hint')}</p>
      <form
        class="row invite"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          if (!name.trim()) return setMissing(true);
          setMissing(false);
          setBusy(true);
          const r = await tools.invite(name.trim(), role);
          setBusy(false);
          if (r) setName('');
        }}
      >
        <label class="grow" for="invite-name">
          <span>{h('people.name')}</span>
          <input
            id="invite-name"
            type="text"
            maxLength={80}
            autocomplete="off"
            value={name}
            aria-invalid={nameError ? 'true' : undefined}
            aria-describedby={nameError ? 'invite-name-error' : undefined}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <label class="invite-role" for="invite-role">
          <span>{h('people.role')}</span>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.currentTarget.value as PersonRole)}>
            {PERSON_ROLES.map((r) => (
              <option key={r} value={r}>
                {roleWord(t, h, r)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? h('people.inviting') : h('people.invite')}
        </button>
      </form>
      {nameError && (
        <p class="field-error" id="invite-name-error" role="alert">
          {nameError}
        </p>
      )}
      {failure?.what === 'invite' && failure.field !== 'name' && (
        <p class="field-error" role="alert">
          {h('people.inviteFailed', { message: failure.message })}
        </p>
      )}
      {invited && (
        <div class="invited" data-testid="invited">
          <h3>{h('people.linkFor', { name: invited.person.name, role: roleWord(t, h, invited.person.role) })}</h3>
          <p class="hint">{h('people.scan')}</p>
          <LinkQr link={invited.link} label={h('people.qr', { name: invited.person.name })} h={h} id="invited" />
        </div>
      )}
      {load === 'failed' && failure?.what === 'people' && <p class="field-error">{h('people.failed', { message: failure.message })}</p>}
      {failure?.what === 'revoke' && (
        <p class="field-error" role="alert">
          {h('people.revokeFailed', { message: failure.message })}
        </p>
      )}
      {load === 'loading' && <p class="hint">{h('people.loading')}</p>}
      {load === 'ready' && list.length === 0 && <p class="empty">{h('people.empty')}</p>}
      {list.length > 0 && (
        <ul class="people-list">
          {list.map((p) => (
            <PersonRow key={p.id} s={s} tools={tools} p={p} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** Both, as the console shows them below the queue. */
export function HostToolsPanel({ s, tools }: { s: ConsoleState; tools: HostTools }) {
  return (
    <>
      <ShowPulsePanel s={s} tools={tools} h={hostWordsIn(s.locale.value)} />
      <AuditLog s={s} tools={tools} />
      <People s={s} tools={tools} />
    </>
  );
}
