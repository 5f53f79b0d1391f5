// Workspace branding: the brand colour goes on <html> as CSS custom properties, with text colours
// derived from it that keep WCAG AA contrast whatever colour the admin picked.
import { useEffect } from 'react'
import { contrastText } from '../../shared/format.js'
import type { PortalMe } from '../api.js'

export type Brand = PortalMe['workspace']

const HEX = /^#[0-9a-f]{6}$/i
const FALLBACK = '#4f46e5'
const WHITE: Rgb = [255, 255, 255]
type Rgb = [number, number, number]

function toRgb(hex: string): Rgb {
  const n = parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}
const toHex = (rgb: Rgb) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}
function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

/** The brand colour, darkened just enough to read as text on `background` (≥ 5:1, a margin over AA). */
function inkOn(brand: Rgb, background: Rgb): Rgb {
  for (let t = 0; t <= 1; t += 0.05) {
    const c = mix(brand, [0, 0, 0], t)
    if (contrast(c, background) >= 5) return c
  }
  return [0, 0, 0]
}

export function brandPalette(color: string) {
  const brand = toRgb(HEX.test(color) ? color : FALLBACK)
  const soft = mix(brand, WHITE, 0.9)
  return {
    '--brand': toHex(brand),
    '--brand-contrast': contrastText(toHex(brand)),
    '--brand-soft': toHex(soft),
    '--brand-faint': toHex(mix(brand, WHITE, 0.96)),
    '--brand-ink': toHex(inkOn(brand, soft)),
  }
}

export function useBrand(color: string | undefined): void {
  useEffect(() => {
    const root = document.documentElement
    for (const [name, value] of Object.entries(brandPalette(color ?? FALLBACK))) root.style.setProperty(name, value)
  }, [color])
}

// The last brand seen, so a "session ended" page can still look like the workspace. Only the
// workspace's public face is kept (never the company, the contact or any record); sign out clears it
// (the server sends Clear-Site-Data).
const KEY = 'coeffection.portal.brand'

export function rememberBrand(brand: Brand): void {
  try {
    const logoUrl = brand.logoUrl && brand.logoUrl.length <= 20_000 ? brand.logoUrl : null
    localStorage.setItem(KEY, JSON.stringify({ name: brand.name, logoUrl, brandColor: brand.brandColor }))
  } catch {
    // storage unavailable (private mode): the page is simply unbranded
  }
}

export function recallBrand(): Brand | undefined {
  try {
    const raw = localStorage.getItem(KEY)
    if (!raw) return undefined
    const b = JSON.parse(raw) as Partial<Brand>
    if (typeof b.name !== 'string' || typeof b.brandColor !== 'string') return undefined
    return { name: b.name, brandColor: b.brandColor, logoUrl: typeof b.logoUrl === 'string' ? b.logoUrl : null }
  } catch {
    return undefined
  }
}
