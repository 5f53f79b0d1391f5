// What a client may upload (DESIGN invariant 7, security checklist D1/D2): the extension decides
// the rule, the first bytes must match it, and the 50 MB cap is enforced while streaming.
// Pure: no I/O; the Transforms only look at bytes flowing through them. The client's Content-Type
// is never consulted. ZIP-based files are recognised by their first header, never extracted.
import { Transform, pipeline, type Readable, type TransformCallback } from 'node:stream'
import { AppError } from '../errors.js'
import { TooLargeError } from './local-store.js'

export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024

export type UploadKind = 'pdf' | 'png' | 'jpeg' | 'docx' | 'xlsx' | 'zip'

export interface UploadRule {
  /** The file's own last extension, lower-cased, with the dot: `.jpeg`, `.pdf`, … */
  extension: string
  kind: UploadKind
  /** The MIME type we record (from the rule, not from the client). */
  contentType: string
}

export const ACCEPTED_TYPES_MESSAGE = 'Only PDF, PNG, JPG, DOCX, XLSX and ZIP files are accepted'

const KINDS: Record<string, { kind: UploadKind; contentType: string }> = {
  '.pdf': { kind: 'pdf', contentType: 'application/pdf' },
  '.png': { kind: 'png', contentType: 'image/png' },
  '.jpg': { kind: 'jpeg', contentType: 'image/jpeg' },
  '.jpeg': { kind: 'jpeg', contentType: 'image/jpeg' },
  '.docx': { kind: 'docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  '.xlsx': { kind: 'xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  '.zip': { kind: 'zip', contentType: 'application/zip' },
}
export const ACCEPTED_EXTENSIONS = Object.freeze(Object.keys(KINDS))

/**
 * Inner extensions that make a name a disguised double extension (`invoice.exe.pdf`, `a.php.png`).
 * Ordinary dots stay fine: `Invoice 2024.03.pdf`, `report.v2.docx`.
 */
const EXECUTABLE_EXTENSIONS = new Set(
  (
    'exe com bat cmd msi msp scr pif cpl dll sys lnk hta jar js jse mjs cjs vbs vbe wsf wsh ps1 psm1 sh bash ' +
    'php php3 php4 php5 php7 phtml phar asp aspx jsp cgi pl py rb html htm xhtml svg app dmg apk'
  ).split(' '),
)

const unsupported = (message: string) => new AppError('UNSUPPORTED_MEDIA_TYPE', message, 'file')

/** Decides the rule from the name alone. Throws AppError UNSUPPORTED_MEDIA_TYPE (415). */
export function checkUploadName(filename: string): UploadRule {
  // NUL and other control characters can hide the real extension from other tools (x.pdf\0.exe).
  if (/[\u0000-\u001f\u007f]/.test(filename)) throw unsupported('File names may not contain control characters')
  const base = filename.split(/[/\\]/).pop() ?? ''
  const parts = base.split('.')
  if (parts.length < 2 || parts[0] === '') throw unsupported(ACCEPTED_TYPES_MESSAGE)
  const extension = '.' + parts[parts.length - 1]!.toLowerCase()
  const known = KINDS[extension]
  if (!known) throw unsupported(ACCEPTED_TYPES_MESSAGE)
  const inner = parts.slice(1, -1).find((p) => EXECUTABLE_EXTENSIONS.has(p.trim().toLowerCase()))
  if (inner !== undefined) throw unsupported(`File names with a hidden second extension (.${inner.toLowerCase()}${extension}) are not accepted`)
  return { extension, ...known }
}

const PDF = Buffer.from('%PDF-', 'latin1')
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const JPEG = Buffer.from([0xff, 0xd8, 0xff])
const ZIP_LOCAL = Buffer.from([0x50, 0x4b, 0x03, 0x04])
/** Decide after this many bytes (or at the end of a shorter file). */
export const SIGNATURE_HEAD_BYTES = 8
const ZIP_HEADER = 30
const MAX_PART_NAME = 512

/** OOXML packages start with one of these parts (Word, Excel, LibreOffice, POI, openpyxl, python-docx). */
const OOXML_COMMON = ['[content_types].xml', '_rels/', 'docprops/', 'customxml/']
const OOXML_OWN: Partial<Record<UploadKind, string>> = { docx: 'word/', xlsx: 'xl/' }

export type SignatureVerdict = 'ok' | 'need-more'

/**
 * Looks at the first bytes of a file. `ended` says there are no more bytes. Returns 'need-more'
 * while it cannot decide yet; throws AppError 415 on a mismatch.
 */
export function checkSignature(rule: UploadRule, head: Uint8Array, ended: boolean): SignatureVerdict {
  const need = bytesNeeded(rule.kind, head)
  if (head.length < need && !ended) return 'need-more'
  const h = Buffer.from(head.buffer, head.byteOffset, head.byteLength)
  const startsWith = (sig: Buffer) => h.length >= sig.length && h.subarray(0, sig.length).equals(sig)
  let ok: boolean
  switch (rule.kind) {
    case 'pdf':
      ok = startsWith(PDF)
      break
    case 'png':
      ok = startsWith(PNG)
      break
    case 'jpeg':
      ok = startsWith(JPEG)
      break
    case 'zip':
      ok = startsWith(ZIP_LOCAL)
      break
    case 'docx':
    case 'xlsx':
      ok = startsWith(ZIP_LOCAL) && isOoxmlFirstPart(rule.kind, h)
      break
  }
  if (!ok) throw unsupported(`This file's content does not match its ${rule.extension} extension`)
  return 'ok'
}

function bytesNeeded(kind: UploadKind, head: Uint8Array): number {
  if (kind !== 'docx' && kind !== 'xlsx') return SIGNATURE_HEAD_BYTES
  if (head.length < ZIP_HEADER) return ZIP_HEADER
  const nameLength = head[26]! | (head[27]! << 8)
  return ZIP_HEADER + Math.min(nameLength, MAX_PART_NAME)
}

/** The name of the first local file header must be an OOXML part of the right kind. */
function isOoxmlFirstPart(kind: UploadKind, h: Buffer): boolean {
  if (h.length < ZIP_HEADER) return false
  const nameLength = h.readUInt16LE(26)
  if (nameLength === 0 || nameLength > MAX_PART_NAME || h.length < ZIP_HEADER + nameLength) return false
  const name = h.subarray(ZIP_HEADER, ZIP_HEADER + nameLength).toString('latin1').toLowerCase()
  const own = OOXML_OWN[kind]!
  return name.startsWith(own) || OOXML_COMMON.some((p) => name === p || (p.endsWith('/') && name.startsWith(p)))
}

/**
 * A pass-through that holds back only the first few bytes (≤ 30 + 512) until `checkSignature`
 * decides, then streams everything on unchanged. Errors with AppError 415 on a mismatch.
 */
export class SignatureCheck extends Transform {
  private head: Buffer[] = []
  private headLength = 0
  private decided = false
  constructor(private readonly rule: UploadRule) {
    super()
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.decided) return done(null, chunk)
    this.head.push(chunk)
    this.headLength += chunk.length
    this.decide(false, done)
  }
  override _flush(done: TransformCallback): void {
    if (this.decided) return done()
    this.decide(true, done)
  }
  private decide(ended: boolean, done: TransformCallback): void {
    const head = Buffer.concat(this.head, this.headLength)
    try {
      if (checkSignature(this.rule, head, ended) === 'need-more') return done()
    } catch (err) {
      return done(err as Error)
    }
    this.decided = true
    this.head = []
    done(null, head)
  }
}

/** Counts bytes and fails with AppError PAYLOAD_TOO_LARGE on the (maxBytes + 1)th byte. */
export class ByteLimit extends Transform {
  bytes = 0
  constructor(readonly maxBytes: number) {
    super()
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length
    if (this.bytes > this.maxBytes) return done(new TooLargeError(this.maxBytes))
    done(null, chunk)
  }
}

/**
 * `source` → size limit → signature check. Read the returned stream: it errors with 413 or 415
 * as soon as a rule breaks (destroying `source`), and otherwise yields the bytes unchanged.
 */
export function guardUpload(source: Readable, rule: UploadRule, options: { maxBytes?: number } = {}): Readable {
  const limit = new ByteLimit(options.maxBytes ?? MAX_UPLOAD_BYTES)
  const check = new SignatureCheck(rule)
  // pipeline() forwards the first error to every stream, so the reader of `check` sees it.
  return pipeline(source, limit, check, () => undefined)
}
