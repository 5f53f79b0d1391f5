// One place that turns a rendered message into a delivery: SMTP when SMTP_URL is set, else the local mailbox.
import fs from 'node:fs/promises'
import path from 'node:path'
import nodemailer from 'nodemailer'
import type { Config } from '../config.js'

export interface OutgoingMail {
  id: string
  to: string
  from: string
  replyTo?: string | null
  subject: string
  text: string
  html: string
  headers: Record<string, string>
}

export interface Mailer {
  readonly kind: 'smtp' | 'mailbox'
  send(mail: OutgoingMail): Promise<{ messageId: string }>
  close(): void
}

export function createMailer(config: Pick<Config, 'smtpUrl' | 'dataDir'>): Mailer {
  const message = (mail: OutgoingMail) => ({
    to: mail.to,
    from: mail.from,
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: mail.headers,
    messageId: `<${mail.id}@coeffection>`,
  })
  if (config.smtpUrl) {
    const transport = nodemailer.createTransport(config.smtpUrl)
    return {
      kind: 'smtp',
      async send(mail) {
        const info = await transport.sendMail(message(mail))
        return { messageId: info.messageId }
      },
      close: () => transport.close(),
    }
  }
  const dir = path.join(config.dataDir, 'mail')
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
  return {
    kind: 'mailbox',
    async send(mail) {
      const info = await transport.sendMail(message(mail))
      await fs.mkdir(dir, { recursive: true })
      await fs.writeFile(path.join(dir, `${mail.id}.eml`), info.message as Buffer)
      return { messageId: info.messageId }
    },
    close: () => transport.close(),
  }
}
