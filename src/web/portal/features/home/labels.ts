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
