/**
 * A spreadsheet would run a cell starting with = + - @ as a formula: a name typed as "=HYPERLINK(…)"
 * must stay text.
 */
export function textCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

function quoted(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/**
 * Rows as a CSV Excel opens correctly: UTF-8 with a byte-order mark (or Vietnamese names come out
 * garbled), CRLF line ends, fields quoted when they need it. Cells are written as given: pass text
 * that came from people through `textCell`.
 */
export function csvDocument(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const lines = [headers, ...rows].map((cells) => cells.map(quoted).join(','))
  return `\uFEFF${lines.join('\r\n')}\r\n`
}

/** Saves `text` as a file through the browser's download, without a server round trip. */
export function downloadFile(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.append(link)
  link.click()
  link.remove()
  // The download has its own copy once started; the URL is not needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}
