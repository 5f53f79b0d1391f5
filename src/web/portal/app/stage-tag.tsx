// A stage's name with its colour as a dot on a light tint of it: the name carries the meaning, the
// colour helps recognition, and the text stays readable whatever colour the team chose.
import type { CSSProperties } from 'react'

/** `labelled` adds a hidden "Stage:" for screen readers where nothing visible says it. */
export function StageTag({ name, color, large = false, labelled = true }: { name: string; color: string; large?: boolean; labelled?: boolean }) {
  return (
    <span className={`stage-tag${large ? ' large' : ''}`} style={{ '--stage-color': color } as CSSProperties}>
      <span className="stage-tag-dot" aria-hidden="true" />
      {labelled && <span className="visually-hidden">Stage: </span>}
      {name}
    </span>
  )
}
