/** "report.final.PDF" → "PDF" for a file icon; "FILE" when there is no short extension. */
export function fileExtension(name: string): string {
  const dot = name.lastIndexOf('.')
  const ext = dot > 0 ? name.slice(dot + 1) : ''
  return ext && ext.length <= 4 ? ext.toUpperCase() : 'FILE'
}
