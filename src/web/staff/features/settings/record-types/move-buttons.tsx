// Up/down buttons that move an item to the neighbouring position (0-based).
type Props = { label: string; index: number; count: number; disabled: boolean; onMove: (position: number) => void }

export function MoveButtons({ label, index, count, disabled, onMove }: Props) {
  return (
    <span className="row">
      <button type="button" className="small" disabled={disabled || index === 0} onClick={() => onMove(index - 1)} aria-label={`Move ${label} up`}>
        ↑
      </button>
      <button type="button" className="small" disabled={disabled || index === count - 1} onClick={() => onMove(index + 1)} aria-label={`Move ${label} down`}>
        ↓
      </button>
    </span>
  )
}
