// Uploads one file as multipart/form-data (part "file") with progress, via XMLHttpRequest
// because fetch cannot report upload progress.
import { ApiError, toApiError } from './api-client.js'

export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024

export type UploadOptions = {
  onProgress?: (fraction: number) => void
  onUnauthorized?: () => void
  signal?: AbortSignal
}

export function uploadFile<T>(url: string, file: File, { onProgress, onUnauthorized, signal }: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.withCredentials = true
    xhr.setRequestHeader('accept', 'application/json')
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && onProgress) onProgress(event.loaded / event.total)
    }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as T)
        } catch {
          reject(new ApiError(xhr.status, 'INTERNAL', 'The server sent an unreadable answer.'))
        }
        return
      }
      if (xhr.status === 401) onUnauthorized?.()
      reject(toApiError(xhr.status, xhr.responseText))
    }
    xhr.onerror = () => {
      // A server that stops reading an oversized body may reset the connection before answering 413.
      if (file.size > MAX_UPLOAD_BYTES) reject(tooLarge())
      else reject(new ApiError(0, 'NETWORK', 'The upload failed. Check your connection and try again.'))
    }
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'))
    signal?.addEventListener('abort', () => xhr.abort())
    const body = new FormData()
    body.append('file', file, file.name)
    xhr.send(body)
  })
}

export function tooLarge(): ApiError {
  return new ApiError(413, 'PAYLOAD_TOO_LARGE', 'This file is larger than 50 MB, the most one upload can be.')
}
