import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'
import { loggerOptions } from './logger.ts'

/** `pnpm start`: the server alone, configured by the environment (docs/configuration.md). */
async function main(): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Tam Kỳ IOC cannot start: ${error.message}`)
      process.exit(1)
    }
    throw error
  }

  const app = await buildApp({ config }, { logger: loggerOptions(config), connectionTimeout: 30_000, requestTimeout: 30_000 })
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an uncaught error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
  })
  await app.listen({ port: config.port, host: config.host })
}

main().catch((error: unknown) => {
  console.error('Tam Kỳ IOC failed to start:', error instanceof Error ? error.message : error)
  process.exit(1)
})
