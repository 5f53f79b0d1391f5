// A real SMTP server on 127.0.0.1 for delivery tests: every accepted message is parsed with mailparser.
// setFailing(true) makes it answer RCPT TO and DATA with a 451 temporary error, as a mail server that is down.
import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer, type SMTPServerError } from 'smtp-server'

export interface TestSmtpServer {
  url: string
  messages: ParsedMail[]
  /** Resolves once at least n messages have arrived; rejects after timeoutMs. */
  waitFor(n: number, timeoutMs?: number): Promise<ParsedMail[]>
  setFailing(failing: boolean): void
  close(): Promise<void>
}

const temporaryError = (): SMTPServerError => Object.assign(new Error('Service temporarily unavailable (test)'), { responseCode: 451 })

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ParsedMail[] = []
  const waiters = new Set<() => void>()
  let failing = false

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true, // 127.0.0.1 needs no DNS; a slow resolver would stall every connection
    onRcptTo(_address, _session, callback) {
      callback(failing ? temporaryError() : null)
    },
    onData(stream, _session, callback) {
      if (failing) {
        stream.on('end', () => callback(temporaryError()))
        stream.resume()
        return
      }
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail)
          for (const wake of waiters) wake()
          callback()
        })
        .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))))
    },
  })
  // A failed listen (or a socket error) must not go unnoticed as an unhandled 'error' event.
  server.on('error', () => undefined)

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.server.address() as AddressInfo

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor(n, timeoutMs = 5_000) {
      if (messages.length >= n) return Promise.resolve(messages)
      return new Promise((resolve, reject) => {
        const wake = () => {
          if (messages.length < n) return
          clearTimeout(timer)
          waiters.delete(wake)
          resolve(messages)
        }
        const timer = setTimeout(() => {
          waiters.delete(wake)
          reject(new Error(`expected ${n} SMTP messages within ${timeoutMs} ms, got ${messages.length}`))
        }, timeoutMs)
        waiters.add(wake)
      })
    },
    setFailing(value) {
      failing = value
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
