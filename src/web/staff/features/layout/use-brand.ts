// Puts the workspace brand colour on <html> as --brand (and a readable text colour as --brand-contrast).
import { useEffect } from 'react'
import { contrastText } from '../../../shared/format.js'

export function useBrandColor(color: string | undefined): void {
  useEffect(() => {
    if (!color || !/^#[0-9a-f]{6}$/i.test(color)) return
    const root = document.documentElement
    root.style.setProperty('--brand', color)
    root.style.setProperty('--brand-contrast', contrastText(color))
  }, [color])
}
