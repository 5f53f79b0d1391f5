// The server's upload rules (src/server/storage/upload-rules.ts), checked early in the browser so an
// obviously wrong file is never sent. The server stays the authority: it also checks the content.
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024
export const ACCEPTED_EXTENSIONS = ['.pdf', '.png', '.jpg', '.jpeg', '.docx', '.xlsx', '.zip'] as const
/** For <input accept>: the file picker offers only these. */
export const ACCEPT_ATTRIBUTE = ACCEPTED_EXTENSIONS.join(',')
export const ACCEPTED_TYPES_MESSAGE = 'Only PDF, PNG, JPG, DOCX, XLSX and ZIP files are accepted'
export const TOO_LARGE_MESSAGE = 'Files may be at most 50 MB'

/** The rule a file breaks before it is sent, or undefined when it may be sent. */
export function precheck(file: { name: string; size: number }): string | undefined {
  const dot = file.name.lastIndexOf('.')
  const extension = dot > 0 ? file.name.slice(dot).toLowerCase() : ''
  if (!(ACCEPTED_EXTENSIONS as readonly string[]).includes(extension)) return ACCEPTED_TYPES_MESSAGE
  if (file.size > MAX_UPLOAD_BYTES) return TOO_LARGE_MESSAGE
  return undefined
}
