// Small line icons drawn in currentColor; decorative (the text beside them says the same).
const base = { width: 20, height: 20, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.8, strokeLinecap: 'round', strokeLinejoin: 'round' } as const

export function BellIcon({ size = 20 }: { size?: number }) {
  return (
    <svg {...base} width={size} height={size} aria-hidden="true" focusable="false">
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  )
}

export function MailIcon({ size = 20 }: { size?: number }) {
  return (
    <svg {...base} width={size} height={size} aria-hidden="true" focusable="false">
      <rect x="3" y="5" width="18" height="14" rx="2" />
      <path d="m3 7 9 6 9-6" />
    </svg>
  )
}

export function UploadIcon({ size = 20 }: { size?: number }) {
  return (
    <svg {...base} width={size} height={size} aria-hidden="true" focusable="false">
      <path d="M12 16V4" />
      <path d="m6 10 6-6 6 6" />
      <path d="M4 20h16" />
    </svg>
  )
}
