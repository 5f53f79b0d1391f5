import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { generatedStream, sampleDocx, sampleExe, sampleJpeg, samplePdf, samplePng, sampleXlsx, sampleZip } from '../../../test/fakes/sample-files.js'
import { AppError } from '../errors.js'
import {
  ACCEPTED_TYPES_MESSAGE,
  ByteLimit,
  MAX_UPLOAD_BYTES,
  SignatureCheck,
  checkSignature,
  checkUploadName,
  guardUpload,
  type UploadRule,
} from './upload-rules.js'

const MiB = 1024 * 1024

/** Reads a stream to the end, keeping only a byte count and the first bytes. */
async function drain(stream: Readable): Promise<{ bytes: number; head: Buffer }> {
  let bytes = 0
  const head: Buffer[] = []
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (bytes < 64) head.push(chunk.subarray(0, 64))
    bytes += chunk.length
  }
  return { bytes, head: Buffer.concat(head).subarray(0, 64) }
}

async function expectAppError(p: Promise<unknown> | (() => unknown), code: string, message?: string | RegExp): Promise<AppError> {
  let caught: unknown
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (err) {
    caught = err
  }
  expect(caught).toBeInstanceOf(AppError)
  const e = caught as AppError
  expect(e.code).toBe(code)
  if (message !== undefined) expect(e.message).toMatch(message)
  return e
}

/** Splits `bytes` into single-byte chunks for the first `n` bytes: the check must not need one big chunk. */
const dribble = (bytes: Buffer, n = 40) => Readable.from([...Array.from({ length: Math.min(n, bytes.length) }, (_, i) => bytes.subarray(i, i + 1)), bytes.subarray(n)])

describe('upload names', () => {
  it.each([
    ['report.pdf', '.pdf', 'pdf', 'application/pdf'],
    ['SCAN.PDF', '.pdf', 'pdf', 'application/pdf'],
    ['photo.JPG', '.jpg', 'jpeg', 'image/jpeg'],
    ['photo.jpeg', '.jpeg', 'jpeg', 'image/jpeg'],
    ['diagram.png', '.png', 'png', 'image/png'],
    ['contract.docx', '.docx', 'docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['budget.XLSX', '.xlsx', 'xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['bundle.zip', '.zip', 'zip', 'application/zip'],
    ['Invoice 2024.03.pdf', '.pdf', 'pdf', 'application/pdf'],
    ['C:\\fakepath\\report.v2.docx', '.docx', 'docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['../../etc/report.pdf', '.pdf', 'pdf', 'application/pdf'],
  ])('accepts %s', (name, extension, kind, contentType) => {
    expect(checkUploadName(name)).toEqual({ extension, kind, contentType })
  })

  it.each(['notes.txt', 'setup.exe', 'x.pdf.exe', 'archive.tar.gz', 'noextension', '.pdf', 'report.pdf.', 'page.html', 'image.gif'])(
    'rejects %s with 415 naming the rule',
    async (name) => {
      const e = await expectAppError(() => checkUploadName(name), 'UNSUPPORTED_MEDIA_TYPE', ACCEPTED_TYPES_MESSAGE)
      expect(e.status).toBe(415)
    },
  )

  it.each(['invoice.exe.pdf', 'shell.php.png', 'a.JS.zip'])('rejects the disguised double extension %s', async (name) => {
    await expectAppError(() => checkUploadName(name), 'UNSUPPORTED_MEDIA_TYPE', /hidden second extension \(\.\w+\.\w+\)/)
  })

  it.each(['x.pdf\u0000.exe', 'bad\u0007name.pdf', 'line\nbreak.pdf', 'del\u007f.pdf'])('rejects control characters in %j', async (name) => {
    await expectAppError(() => checkUploadName(name), 'UNSUPPORTED_MEDIA_TYPE', 'File names may not contain control characters')
  })
})

describe('content signatures', () => {
  const cases: Array<[string, Buffer]> = [
    ['file.pdf', samplePdf()],
    ['file.png', samplePng()],
    ['file.jpg', sampleJpeg()],
    ['file.jpeg', sampleJpeg()],
    ['file.zip', sampleZip([['hello.txt', 'hello']])],
    ['file.docx', sampleDocx()],
    ['file.xlsx', sampleXlsx()],
  ]

  it.each(cases)('streams a real %s through unchanged, even when it arrives byte by byte', async (name, bytes) => {
    const rule = checkUploadName(name)
    const out: Buffer[] = []
    for await (const c of guardUpload(dribble(bytes), rule) as AsyncIterable<Buffer>) out.push(c)
    expect(Buffer.concat(out).equals(bytes)).toBe(true)
  })

  it('rejects a renamed Windows executable (.exe as .pdf) with 415 naming the extension', async () => {
    const rule = checkUploadName('invoice.pdf')
    const e = await expectAppError(drain(guardUpload(Readable.from([sampleExe()]), rule)), 'UNSUPPORTED_MEDIA_TYPE')
    expect(e.message).toBe("This file's content does not match its .pdf extension")
  })

  it.each<[string, Buffer]>([
    ['picture.png', sampleJpeg()],
    ['photo.jpg', samplePng()],
    ['doc.pdf', Buffer.from('just some text, not a PDF')],
    ['bundle.zip', samplePdf()],
    ['plainzip.docx', sampleZip([['hello.txt', 'hello']])],
    ['sheet-as-word.docx', sampleZip([['xl/workbook.xml', '<workbook/>']])],
    ['word-as-sheet.xlsx', sampleZip([['word/document.xml', '<w:document/>']])],
    ['odt-as.docx', sampleZip([['mimetype', 'application/vnd.oasis.opendocument.text']])],
    ['empty.pdf', Buffer.alloc(0)],
    ['short.png', Buffer.from([0x89, 0x50, 0x4e])],
  ])('rejects %s whose bytes do not match', async (name, bytes) => {
    const rule = checkUploadName(name)
    await expectAppError(drain(guardUpload(Readable.from(bytes.length ? [bytes] : []), rule)), 'UNSUPPORTED_MEDIA_TYPE', `does not match its ${rule.extension} extension`)
  })

  it('asks for more bytes before deciding, and never for more than a ZIP header plus name', () => {
    const pdf: UploadRule = checkUploadName('a.pdf')
    expect(checkSignature(pdf, Buffer.from('%PD'), false)).toBe('need-more')
    expect(() => checkSignature(pdf, Buffer.from('%PD'), true)).toThrow(AppError)
    expect(checkSignature(pdf, samplePdf().subarray(0, 8), false)).toBe('ok')
    const docx = checkUploadName('a.docx')
    const head = sampleDocx()
    expect(checkSignature(docx, head.subarray(0, 29), false)).toBe('need-more')
    expect(checkSignature(docx, head.subarray(0, 30 + '[Content_Types].xml'.length - 1), false)).toBe('need-more')
    expect(checkSignature(docx, head.subarray(0, 30 + '[Content_Types].xml'.length), false)).toBe('ok')
  })

  it('holds back only the head: a large PDF keeps flowing after the first chunk', async () => {
    const check = new SignatureCheck(checkUploadName('big.pdf'))
    const seen: number[] = []
    check.on('data', (c: Buffer) => seen.push(c.length))
    check.write(Buffer.from('%PDF-1.7\n'))
    check.write(Buffer.alloc(1000))
    await new Promise((r) => setImmediate(r))
    expect(seen).toEqual([9, 1000])
    check.end()
  })
})

describe('the 50 MB limit, enforced while streaming', () => {
  it('is 50 MiB', () => {
    expect(MAX_UPLOAD_BYTES).toBe(52_428_800)
  })

  it('accepts a file of exactly 50 MiB', async () => {
    const rule = checkUploadName('exact.pdf')
    const { bytes, head } = await drain(guardUpload(generatedStream(MAX_UPLOAD_BYTES, samplePdf()), rule))
    expect(bytes).toBe(MAX_UPLOAD_BYTES)
    expect(head.subarray(0, 5).toString()).toBe('%PDF-')
  })

  it('rejects 50 MiB + 1 byte with 413 and destroys the source', async () => {
    const rule = checkUploadName('over.pdf')
    const source = generatedStream(MAX_UPLOAD_BYTES + 1, samplePdf())
    const e = await expectAppError(drain(guardUpload(source, rule)), 'PAYLOAD_TOO_LARGE', 'Files may be at most 50 MB')
    expect(e.status).toBe(413)
    expect(source.destroyed).toBe(true)
  })

  it('fails on the (max + 1)th byte, not later', async () => {
    const limit = new ByteLimit(10)
    const passed: number[] = []
    limit.on('data', (c: Buffer) => passed.push(c.length))
    const failed = new Promise<unknown>((resolve) => limit.on('error', resolve))
    limit.write(Buffer.alloc(10))
    limit.write(Buffer.alloc(1))
    const err = await failed
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('PAYLOAD_TOO_LARGE')
    expect(limit.bytes).toBe(11)
    expect(passed).toEqual([10])
  })

  it('takes a smaller cap when asked', async () => {
    const rule = checkUploadName('small.zip')
    await expectAppError(drain(guardUpload(generatedStream(2 * MiB + 1, sampleZip([['a', 'b']])), rule, { maxBytes: 2 * MiB })), 'PAYLOAD_TOO_LARGE', 'at most 2 MB')
  })
})
