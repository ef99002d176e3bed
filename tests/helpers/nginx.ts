import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort, waitForPort } from './ports.ts'

/** The deployment guide's nginx config (docs/deployment.md), run as written but for its marked lines. */
export const NGINX_RECIPE = fileURLToPath(new URL('../../deploy/nginx/ioc.conf', import.meta.url))

export interface NginxOptions {
  /** Ports on 127.0.0.1 of the IOC instances: they replace the recipe's `# ioc:instance` lines. */
  upstreams: number[]
}

export interface NginxInstance {
  /** Where nginx listens, on 127.0.0.1. */
  port: number
  /** `http://127.0.0.1:<port>` */
  url: string
  stop(): Promise<void>
}

const START_TIMEOUT_MS = 10_000
const STOP_TIMEOUT_MS = 5_000

/**
 * An nginx of our own (the machine's `nginx` binary, a temporary prefix, a free port), never the
 * system service, in front of the given instances with `deploy/nginx/ioc.conf` — so the tests exercise
 * the documented recipe, not a copy of it.
 */
export async function startNginx(options: NginxOptions): Promise<NginxInstance> {
  const binary = findNginx()
  if (options.upstreams.length === 0) throw new Error('startNginx needs at least one upstream port')
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'ioc-nginx-'))
  const temp = join(dir, 'temp')
  for (const name of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(temp, name), { recursive: true })
  writeFileSync(join(dir, 'ioc.conf'), renderRecipe(readFileSync(NGINX_RECIPE, 'utf8'), port, options.upstreams))
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      // Started as root, nginx would run its workers as `nobody`, who cannot enter the temporary dir.
      ...(process.getuid?.() === 0 ? ['user root;'] : []),
      'worker_processes 1;',
      'events {}',
      'http {',
      '    access_log off;',
      `    client_body_temp_path ${join(temp, 'client_body')};`,
      `    proxy_temp_path ${join(temp, 'proxy')};`,
      `    fastcgi_temp_path ${join(temp, 'fastcgi')};`,
      `    uwsgi_temp_path ${join(temp, 'uwsgi')};`,
      `    scgi_temp_path ${join(temp, 'scgi')};`,
      `    include ${join(dir, 'ioc.conf')};`,
      '}',
      '',
    ].join('\n'),
  )
  const errorLog = join(dir, 'error.log')
  const child = spawn(
    binary,
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', errorLog, '-g', `daemon off; pid ${join(dir, 'nginx.pid')}; error_log ${errorLog} warn;`],
    // Its own process group, so that stopping it reaches the workers too.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const stop = async () => {
    await terminate(child)
    rmSync(dir, { recursive: true, force: true })
  }
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`cannot run ${binary}: ${error.message}`)))
    child.once('exit', (code, signal) => reject(new Error(`nginx exited during start (${signal ?? `code ${code}`})`)))
  })
  // Only the start waits on this; the exit that stop() causes later is no error.
  exited.catch(() => undefined)
  try {
    await Promise.race([waitForPort(port, START_TIMEOUT_MS, 'nginx'), exited])
  } catch (error) {
    // nginx writes a start-up error to both; error.log also has what came after.
    const log = existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : ''
    await stop()
    throw new Error(`${(error as Error).message} (ioc.conf there is ${NGINX_RECIPE} with its marked lines rewritten)\n${tail(log.trim() === '' ? stderr : log)}`, {
      cause: error,
    })
  }
  return { port, url: `http://127.0.0.1:${port}`, stop }
}

/**
 * The recipe with its `# ioc:listen` line listening on 127.0.0.1:`listenPort` and each run of
 * `# ioc:instance` lines replaced by one line per upstream (the first marked line's parameters kept).
 * Refuses a recipe with an unmarked `listen` or upstream `server` line, which the test would leave
 * pointing at port 80 or at real instances.
 */
export function renderRecipe(recipe: string, listenPort: number, upstreams: number[]): string {
  const out: string[] = []
  let listens = 0
  let groups = 0
  let inGroup = false
  for (const [index, line] of recipe.split('\n').entries()) {
    const directive = line.replace(/#.*/, '').trim()
    if (line.includes('# ioc:instance')) {
      if (!inGroup) {
        groups += 1
        for (const upstream of upstreams) out.push(line.replace(/\bserver\s+[^\s;]+/, `server 127.0.0.1:${upstream}`))
      }
      inGroup = true
      continue
    }
    inGroup = false
    if (line.includes('# ioc:listen')) {
      listens += 1
      out.push(line.replace(/\blisten\s+[^;]+;/, `listen 127.0.0.1:${listenPort};`))
      continue
    }
    if (/^listen\s/.test(directive) || /^server\s+[^\s{]+.*;$/.test(directive)) {
      throw new Error(`${NGINX_RECIPE}:${index + 1}: "${directive}" has no "# ioc:listen" or "# ioc:instance" marker for tests/helpers/nginx.ts`)
    }
    out.push(line)
  }
  if (listens === 0 || groups === 0) throw new Error(`${NGINX_RECIPE} lost its "# ioc:listen" or "# ioc:instance" markers, which tests/helpers/nginx.ts rewrites`)
  return out.join('\n')
}

function findNginx(): string {
  // Debian puts nginx in /usr/sbin, which an ordinary user's PATH may not hold.
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin']
  for (const dir of dirs) {
    if (dir === '') continue
    const candidate = join(dir, 'nginx')
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here; try the next directory
    }
  }
  throw new Error("nginx is not installed: apt-get install nginx (the scale-out tests run the deployment guide's nginx config)")
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal)
    } catch {
      // the group is already gone
    }
  }
  // SIGTERM is nginx's fast shutdown: it does not wait for open websockets as SIGQUIT would.
  signalGroup('SIGTERM')
  const timer = setTimeout(() => signalGroup('SIGKILL'), STOP_TIMEOUT_MS)
  await exited
  clearTimeout(timer)
}

function tail(text: string, lines = 20): string {
  const kept = text.trim().split('\n').slice(-lines).join('\n')
  return kept === '' ? '(error.log is empty)' : `error.log:\n${kept}`
}
