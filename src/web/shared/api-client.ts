// The one way the web apps talk to the server: JSON over fetch, errors parsed into ApiError.
import type { ErrorBody, ErrorCode } from '../../shared/contracts/errors.js'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly field?: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

type Options = { base?: string; onUnauthorized?: () => void }

/** Turns a non-2xx response (or its text) into an ApiError with the server's message. */
export function toApiError(status: number, bodyText: string): ApiError {
  try {
    const body = JSON.parse(bodyText) as Partial<ErrorBody>
    if (body.error && typeof body.error.message === 'string') {
      return new ApiError(status, body.error.code, body.error.message, body.error.field)
    }
  } catch {
    // not JSON: fall through
  }
  if (status === 413) return new ApiError(status, 'PAYLOAD_TOO_LARGE', 'The file is too large.')
  return new ApiError(status, status >= 500 ? 'INTERNAL' : 'VALIDATION', `The server answered ${status}.`)
}

export type RequestOptions = { signal?: AbortSignal; skipAuthRedirect?: boolean }

export function createApiClient({ base = '', onUnauthorized }: Options = {}) {
  async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
    let res: Response
    try {
      res = await fetch(base + path, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: opts.signal,
      })
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err
      throw new ApiError(0, 'NETWORK', 'Could not reach the server. Check your connection and try again.')
    }
    const text = await res.text()
    if (!res.ok) {
      if (res.status === 401 && !opts.skipAuthRedirect) onUnauthorized?.()
      throw toApiError(res.status, text)
    }
    return (text ? JSON.parse(text) : undefined) as T
  }
  return {
    get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
    post: <T>(path: string, body: unknown = {}, opts?: RequestOptions) => request<T>('POST', path, body, opts),
    patch: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PATCH', path, body, opts),
    del: <T = unknown>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts),
    /** For callers that upload with XMLHttpRequest and get a 401 there. */
    unauthorized: () => onUnauthorized?.(),
  }
}

export type ApiClient = ReturnType<typeof createApiClient>

/** A message for any thrown value, for inline error text. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  return 'Something went wrong.'
}
