import { EventEmitter } from 'node:events'
import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { waitForCount } from './wait-for-count.ts'

export interface ReceivedMail {
  from: string
  to: string[]
  subject: string
  text: string
  messageId: string
  headers: ParsedMail['headers']
}

export interface TestSmtpServer {
  /** `smtp://user:pass@127.0.0.1:<port>`, as IOC_SMTP_URL. */
  url: string
  readonly received: readonly ReceivedMail[]
  /** Resolves with the n-th message received (1-based, counting from the start), by event. */
  message(n: number, timeoutMs?: number): Promise<ReceivedMail>
  /** The next `count` messages are refused with a temporary error (451), as a busy mail server does. */
  refuseNext(count: number): void
  /**
   * The next message is taken in and never answered: its sender waits mid-send (to kill it there).
   * Resolves once that message has arrived.
   */
  holdNext(): Promise<void>
  close(): Promise<void>
}

/**
 * A real SMTP server for tests (the `smtp-server` package, which speaks the protocol a city's mail
 * server does; messages parsed back with `mailparser`): the IOC's mail goes through nodemailer over
 * TCP to it, never to a stubbed transport. It asks for a login, as a city's relay would.
 */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = []
  const events = new EventEmitter()
  let refusing = 0
  let holding = false
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (auth.username === 'ioc' && auth.password === 'secret') return callback(null, { user: 'ioc' })
      callback(new Error('invalid login'))
    },
    onData(stream, session, callback) {
      if (holding) {
        holding = false
        stream.resume()
        stream.on('end', () => events.emit('held'))
        return
      }
      if (refusing > 0) {
        refusing--
        stream.resume()
        stream.on('end', () => callback(Object.assign(new Error('try again later'), { responseCode: 451 })))
        return
      }
      simpleParser(stream).then(
        (mail) => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            messageId: mail.messageId ?? '',
            headers: mail.headers,
          })
          events.emit('message')
          callback()
        },
        (error: Error) => callback(error),
      )
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://ioc:secret@127.0.0.1:${port}`,
    received,
    message: async (n, timeoutMs = 10_000) => {
      await waitForCount(events, 'message', () => received.length, n, timeoutMs, 'messages the SMTP server received')
      return received[n - 1]!
    },
    refuseNext: (count) => {
      refusing = count
    },
    holdNext: () => {
      holding = true
      return new Promise<void>((resolve) => events.once('held', () => resolve()))
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
