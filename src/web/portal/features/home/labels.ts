// Words for counts: "1 project", "12 projects", "5 files".

/** "Projects" → "projects" in running text; acronyms such as "RFPs" keep their capitals. */
export function inText(word: string): string {
  return /[A-Z]{2}/.test(word) ? word : word.toLowerCase()
}

export function countOf(n: number, singular: string, plural: string): string {
  return `${n} ${inText(n === 1 ? singular : plural)}`
}

export function filesText(n: number): string {
  return n === 1 ? '1 file' : `${n} files`
}

/** "Project status changes" when one type is shared (in its own words), else "Status changes". */
export function statusChangesLabel(types: { singular: string }[]): string {
  const words = types.length === 1 ? `${inText(types[0]!.singular)} status changes` : 'status changes'
  return words.charAt(0).toUpperCase() + words.slice(1)
}
