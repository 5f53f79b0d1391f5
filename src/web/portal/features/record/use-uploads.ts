// The client's uploads on one record: each file its own XMLHttpRequest (so each has progress and can
// be cancelled with xhr.abort()), a few at a time. Files that break a rule never leave the browser;
// whatever the server says about the rest is kept on that file's row.
import { useCallback, useEffect, useRef, useState } from 'react'
import { errorMessage } from '../../../shared/api-client.js'
import { uploadFile } from '../../../shared/upload.js'
import type { PortalFile } from '../../api.js'
import { precheck } from './upload-rules.js'

export type UploadStatus = 'waiting' | 'uploading' | 'saving' | 'failed'
export type UploadItem = { key: string; name: string; size: number; status: UploadStatus; progress: number; message?: string }

/** Uploads share the connection with the rest of the page: a few at a time keep it responsive. */
const PARALLEL = 3
/**
 * A request whose bytes stop moving for this long is given up on. Besides dead connections, this is
 * what a browser sees when the server refuses a large file early and stops reading it: it only reads
 * the answer after sending everything, and would otherwise wait for minutes.
 */
const STALL_MS = 30_000
export const STALLED_MESSAGE = 'The upload stalled, so it was stopped. Check your connection and the file, then try again.'
let counter = 0

type Options = { url: string; onUploaded: (file: PortalFile) => void; onUnauthorized: () => void }

export function useUploads({ url, onUploaded, onUnauthorized }: Options) {
  const [items, setItems] = useState<UploadItem[]>([])
  const [announcement, setAnnouncement] = useState('')
  const jobs = useRef(new Map<string, { file: File; controller: AbortController; started: boolean; stalled?: boolean }>())
  const queue = useRef<string[]>([])
  const running = useRef(0)
  const latest = useRef({ url, onUploaded, onUnauthorized })
  latest.current = { url, onUploaded, onUnauthorized }

  const update = useCallback((key: string, patch: Partial<UploadItem>) => setItems((list) => list.map((i) => (i.key === key ? { ...i, ...patch } : i))), [])
  const remove = useCallback((key: string) => setItems((list) => list.filter((i) => i.key !== key)), [])

  const pump = useCallback(() => {
    while (running.current < PARALLEL && queue.current.length > 0) {
      const key = queue.current.shift()!
      const job = jobs.current.get(key)
      if (!job) continue
      job.started = true
      running.current++
      update(key, { status: 'uploading' })
      const { url: target, onUnauthorized: unauthorized } = latest.current
      let watchdog: ReturnType<typeof setTimeout> | undefined
      const watch = (sent: boolean) => {
        clearTimeout(watchdog)
        // Once every byte is sent the server is checking and storing: that may take a while.
        if (sent) return
        watchdog = setTimeout(() => {
          job.stalled = true
          job.controller.abort()
        }, STALL_MS)
      }
      watch(false)
      uploadFile<PortalFile>(target, job.file, {
        signal: job.controller.signal,
        onUnauthorized: unauthorized,
        onProgress: (fraction) => {
          watch(fraction >= 1)
          update(key, { progress: fraction, status: fraction >= 1 ? 'saving' : 'uploading' })
        },
      })
        .then(
          (file) => {
            remove(key)
            latest.current.onUploaded(file)
            setAnnouncement(`${file.name} uploaded`)
          },
          (err: unknown) => {
            if (job.stalled) {
              update(key, { status: 'failed', message: STALLED_MESSAGE })
              setAnnouncement(`${job.file.name} was not uploaded: ${STALLED_MESSAGE}`)
              return
            }
            if (err instanceof DOMException && err.name === 'AbortError') {
              remove(key)
              setAnnouncement(`Upload of ${job.file.name} cancelled`)
              return
            }
            const message = errorMessage(err)
            update(key, { status: 'failed', message })
            setAnnouncement(`${job.file.name} was not uploaded: ${message}`)
          },
        )
        .finally(() => {
          clearTimeout(watchdog)
          jobs.current.delete(key)
          running.current--
          pump()
        })
    }
  }, [update, remove])

  const add = useCallback(
    (files: File[]) => {
      if (files.length === 0) return
      const added: UploadItem[] = []
      const rejected: string[] = []
      for (const file of files) {
        const key = `upload-${++counter}`
        const broken = precheck(file)
        if (broken) {
          added.push({ key, name: file.name, size: file.size, status: 'failed', progress: 0, message: broken })
          rejected.push(`${file.name} was not uploaded: ${broken}`)
          continue
        }
        added.push({ key, name: file.name, size: file.size, status: 'waiting', progress: 0 })
        jobs.current.set(key, { file, controller: new AbortController(), started: false })
        queue.current.push(key)
      }
      setItems((list) => [...list, ...added])
      const sending = added.length - rejected.length
      setAnnouncement([sending > 0 ? `Uploading ${sending === 1 ? '1 file' : `${sending} files`}` : '', ...rejected].filter(Boolean).join('. '))
      pump()
    },
    [pump],
  )

  const cancel = useCallback(
    (key: string) => {
      const job = jobs.current.get(key)
      if (!job) return
      if (job.started) return job.controller.abort() // xhr.abort(); the row goes when the request ends
      queue.current = queue.current.filter((k) => k !== key)
      jobs.current.delete(key)
      remove(key)
      setAnnouncement(`Upload of ${job.file.name} cancelled`)
    },
    [remove],
  )

  // Leaving the page would cut the uploads off: ask first, and stop them if the page goes anyway.
  const busy = items.some((i) => i.status !== 'failed')
  useEffect(() => {
    if (!busy) return
    const warn = (e: BeforeUnloadEvent) => e.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [busy])
  useEffect(() => {
    const all = jobs.current
    return () => all.forEach((job) => job.controller.abort())
  }, [])

  return { items, announcement, add, cancel, dismiss: remove }
}
