import { STATUS_CODES } from 'node:http'

/**
 * An error a client caused, with the status and the message it should read. Services throw it; the
 * one error handler in app.ts answers `{ statusCode, error, message }`.
 */
export class HttpError extends Error {
  override name = 'HttpError'
  constructor(
    readonly statusCode: 400 | 401 | 403 | 404 | 409 | 413 | 429,
    message: string,
  ) {
    super(message)
  }

  get error(): string {
    return STATUS_CODES[this.statusCode] ?? 'Error'
  }
}
