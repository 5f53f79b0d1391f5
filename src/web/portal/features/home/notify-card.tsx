// "Get Notified" on the portal home (client mode only). Not subscribed: choose topics, Notify me →
// a confirmation email (double opt-in). Pending: check your email, or resend. Confirmed: a quiet
// Manage notifications control to change topics or turn every email off.
import { useEffect, useId, useRef, useState } from 'react'
import { errorMessage } from '../../../shared/api-client.js'
import { useResource } from '../../../shared/use-resource.js'
import { BellIcon, MailIcon } from '../../app/icons.js'
import { usePortal } from '../../app/portal-context.js'
import { getPreferences, updatePreferences, type PortalPreferences, type Topics } from '../notifications/api.js'
import { TopicChoices } from './topic-choices.js'
import './notify.css'

/** `statusLabel`: "Project status changes"; `noun`: what moves between stages, in running text ("project"). */
type Props = { statusLabel: string; noun: string }

export function NotifyCard({ statusLabel, noun }: Props) {
  const { api } = usePortal()
  const prefs = useResource((signal) => getPreferences(api, signal), [api])
  // After the client changes something, focus follows to the card's new state (screen readers hear it).
  const [moved, setMoved] = useState(false)
  const heading = useRef<HTMLHeadingElement>(null)
  const status = prefs.data?.status
  useEffect(() => {
    if (moved) heading.current?.focus()
  }, [moved, status])

  if (!prefs.data) {
    if (!prefs.error) return null // the pipeline matters more than this card; no skeleton for it
    return (
      <p className="notify-load-error">
        Your email preferences could not be loaded ({errorMessage(prefs.error)}).{' '}
        <button type="button" className="link" onClick={prefs.reload}>
          Try again
        </button>
      </p>
    )
  }
  const saved = (next: PortalPreferences) => {
    setMoved(next.status !== prefs.data?.status)
    prefs.setData(next)
  }
  const props = { prefs: prefs.data, statusLabel, noun, onSaved: saved, headingRef: heading }
  if (prefs.data.status === 'pending') return <PendingCard {...props} />
  if (prefs.data.status === 'confirmed') return <ManageNotifications {...props} />
  return <OptInCard {...props} />
}

type StateProps = Props & { prefs: PortalPreferences; onSaved: (p: PortalPreferences) => void; headingRef: React.RefObject<HTMLHeadingElement | null> }

/** One PUT at a time, with its error kept for inline display. */
function useSave(onSaved: (p: PortalPreferences) => void) {
  const { api, apiBase } = usePortal()
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  async function save(what: string, topics: Topics): Promise<boolean> {
    setBusy(what)
    setError(null)
    try {
      onSaved(await updatePreferences(api, apiBase, topics))
      return true
    } catch (err) {
      setError(err)
      return false
    } finally {
      setBusy(null)
    }
  }
  return { save, busy, error }
}

function FinePrint() {
  const { me } = usePortal()
  return <p className="notify-fine">You only get emails after you confirm your address, only about {me.company.name}, and every email has an unsubscribe link.</p>
}

function SaveError({ error }: { error: unknown }) {
  return error ? (
    <p className="form-error" role="alert">
      {errorMessage(error)}
    </p>
  ) : null
}

function OptInCard({ prefs, statusLabel, noun, onSaved, headingRef }: StateProps) {
  const { me } = usePortal()
  const id = useId()
  const off = prefs.status === 'unsubscribed'
  // Topics turned off with "Turn off all emails" come back on as the suggestion.
  const [topics, setTopics] = useState<Topics>(() => (prefs.statusChanges || prefs.commentReplies ? prefs : { statusChanges: true, commentReplies: true }))
  const { save, busy, error } = useSave(onSaved)
  const none = !topics.statusChanges && !topics.commentReplies
  return (
    <section className="notify-card" aria-labelledby={`${id}-title`}>
      <div className="notify-intro">
        <span className="notify-icon" aria-hidden="true">
          <BellIcon size={22} />
        </span>
        <div>
          <h2 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
            {off ? 'Emails are off' : 'Get notified'}
          </h2>
          <p className="notify-pitch">
            {off
              ? `${me.workspace.name} won't email you about ${me.company.name}. Want updates again? Choose what you'd like to hear about.`
              : `Hear from ${me.workspace.name} when a ${noun} moves to a new stage or the team replies to you — no account or password needed.`}
          </p>
        </div>
      </div>
      <form
        className="notify-form"
        onSubmit={(e) => {
          e.preventDefault()
          if (!none) void save('opt-in', topics)
        }}
      >
        <TopicChoices legend="Email me about" topics={topics} onChange={setTopics} statusLabel={statusLabel} />
        <div className="notify-actions">
          <button type="submit" className="primary" disabled={none || busy !== null}>
            {busy ? 'Sending…' : 'Notify me'}
          </button>
          {none && <p className="hint">Choose at least one.</p>}
        </div>
      </form>
      <SaveError error={error} />
      <FinePrint />
    </section>
  )
}

function PendingCard({ prefs, onSaved, headingRef }: StateProps) {
  const { me } = usePortal()
  const id = useId()
  const { save, busy, error } = useSave(onSaved)
  const [resent, setResent] = useState(false)
  return (
    <section className="notify-card pending" aria-labelledby={`${id}-title`}>
      <div className="notify-intro">
        <span className="notify-icon" aria-hidden="true">
          <MailIcon size={22} />
        </span>
        <div>
          <h2 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
            Check your email to confirm
          </h2>
          <p className="notify-pitch">
            We sent a link to <strong>{me.contact.email}</strong>. Open it and press “Confirm my subscription” to start getting updates.
          </p>
        </div>
      </div>
      <div className="notify-actions">
        <button type="button" disabled={busy !== null} onClick={async () => setResent(await save('resend', prefs))}>
          {busy ? 'Sending…' : 'Resend confirmation'}
        </button>
        <p className="notify-status" aria-live="polite">
          {resent && !busy ? 'Sent again. It can take a minute to arrive.' : ''}
        </p>
      </div>
      <SaveError error={error} />
      <FinePrint />
    </section>
  )
}

function ManageNotifications({ prefs, statusLabel, onSaved, headingRef }: StateProps) {
  const id = useId()
  const [topics, setTopics] = useState<Topics>(prefs)
  const [done, setDone] = useState('')
  const { save, busy, error } = useSave(onSaved)
  const none = !topics.statusChanges && !topics.commentReplies
  const changed = topics.statusChanges !== prefs.statusChanges || topics.commentReplies !== prefs.commentReplies
  const on = [prefs.statusChanges && statusLabel.toLowerCase(), prefs.commentReplies && 'replies to comments'].filter(Boolean).join(' and ')
  return (
    <details className="notify-manage">
      <summary>
        <BellIcon size={18} />
        <span>Manage notifications</span>
      </summary>
      <div className="notify-panel">
        <h2 id={`${id}-title`} ref={headingRef} tabIndex={-1} className="notify-panel-title">
          Email updates are on
        </h2>
        <p className="notify-pitch">You get emails about {on}.</p>
        <form
          className="notify-form"
          onSubmit={async (e) => {
            e.preventDefault()
            setDone('')
            if (await save('save', topics)) setDone('Saved')
          }}
        >
          <TopicChoices legend="Email me about" topics={topics} onChange={(t) => {
              setTopics(t)
              setDone('')
            }} statusLabel={statusLabel} />
          <div className="notify-actions">
            <button type="submit" className="primary" disabled={none || !changed || busy !== null}>
              {busy === 'save' ? 'Saving…' : 'Save'}
            </button>
            <button type="button" className="link danger" disabled={busy !== null} onClick={() => void save('off', { statusChanges: false, commentReplies: false })}>
              {busy === 'off' ? 'Turning off…' : 'Turn off all emails'}
            </button>
            <p className="notify-status" aria-live="polite">
              {none ? 'Choose at least one, or turn off all emails.' : done}
            </p>
          </div>
        </form>
        <SaveError error={error} />
        <FinePrint />
      </div>
    </details>
  )
}
