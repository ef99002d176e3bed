import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface CaughtMail {
  to: string[]
  subject: string
  text: string
}

/**
 * The demo's own mail server on 127.0.0.1: it takes every message the IOC sends and hands it to
 * `onMail` (the demo prints it), so a newcomer sees notifications work without a mail server of their
 * own. Nothing leaves the machine.
 */
export async function startMailCatcher(onMail: (mail: CaughtMail) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          onMail({ to: session.envelope.rcptTo.map((r) => r.address), subject: mail.subject ?? '', text: mail.text ?? '' })
          callback()
        },
        (error: Error) => callback(error),
      )
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return { url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}
