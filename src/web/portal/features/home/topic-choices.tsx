// The two things a client can be emailed about, as a fieldset of checkboxes.
import type { Topics } from '../notifications/api.js'

type Props = { legend: string; topics: Topics; onChange: (t: Topics) => void; statusLabel: string }

export function TopicChoices({ legend, topics, onChange, statusLabel }: Props) {
  return (
    <fieldset className="topic-choices">
      <legend>{legend}</legend>
      <label className="topic">
        <input type="checkbox" checked={topics.statusChanges} onChange={(e) => onChange({ ...topics, statusChanges: e.target.checked })} />
        <span>{statusLabel}</span>
      </label>
      <label className="topic">
        <input type="checkbox" checked={topics.commentReplies} onChange={(e) => onChange({ ...topics, commentReplies: e.target.checked })} />
        <span>Replies to comments</span>
      </label>
    </fieldset>
  )
}
