// A stage name on its own colour, readable whatever the colour is.
import { contrastText } from '../format.js'

export function StagePill({ name, color }: { name: string; color: string }) {
  return (
    <span className="pill" style={{ background: color, color: contrastText(color) }}>
      {name}
    </span>
  )
}
