// Who a file or comment came from: the workspace's team, or the client's side.
export function SideBadge({ side }: { side: 'team' | 'client' }) {
  return <span className={`side-badge side-${side}`}>{side === 'team' ? 'Team' : 'Client'}</span>
}
