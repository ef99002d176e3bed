/** GET a JSON body, typed by the caller (the contract types live in @ioc/shared). */
export async function getJson<T>(url: string): Promise<T> {
  return (await (await fetch(url)).json()) as T
}

/** The message of a JSON error answer `{ statusCode, error, message }`. */
export async function errorMessage(response: Response): Promise<string> {
  return ((await response.json()) as { message: string }).message
}
