#!/usr/bin/env tsx
/**
 * `pnpm devices …`: the embedded MQTT broker's device and gateway credentials, in the store the server
 * uses (same environment: IOC_DB_URL / IOC_DATA_DIR / IOC_CITY). docs/devices-and-mqtt.md, "Devices and MQTT credentials".
 */
import { userInfo } from 'node:os'
import { resolveCityPack } from '@ioc/shared/city-packs/node'
import { ConfigError, loadConfig } from '../config.ts'
import { createAuditLogRepository } from '../plugins/app/audit/audit-log.repository.ts'
import { DeviceCredentialError, createDeviceCredentialsService, type IssuedCredential } from '../plugins/app/broker/device-credentials.service.ts'
import { openDatabase } from '../plugins/app/storage/database-handle.ts'
import { CliExit, EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseCommandLine, runCommand } from './storage-cli.ts'

const USAGE = `Usage: pnpm devices <command>

MQTT credentials of the embedded broker (username = station or camera id), stored with the server's data.
  issue <id…> | --all   a credential for each station/camera (again: a new password, the old one stops working)
  gateway <name>        a gateway credential: may publish for any device under ioc/v1/ (LoRaWAN gateway, VMS, simulators)
  list                  every credential, without secrets
  revoke <username>     disables it; a client connected with it is disconnected within 30 s
issue and gateway print "username,password,topic" CSV to stdout, once: passwords are not stored in the clear.
Devices connect with the client id USERNAME or USERNAME.<anything> (a gateway: lora-gw-1.bridge, …); other ids are refused.
Configured like the server: IOC_DB_URL, IOC_DATA_DIR, IOC_CITY.
Exit codes: 0 done, 1 refused (unknown id or username), 2 bad command line or configuration.`

const csvLine = (c: IssuedCredential) => `${c.username},${c.password},${c.topics.join(' ')}`

process.exitCode = await runCommand('devices', async () => {
  const { values, positionals } = parseCommandLine(process.argv.slice(2), { all: { type: 'boolean' } }, USAGE)
  if (values.help) throw new CliExit(EXIT_OK, USAGE)
  const [command, ...args] = positionals
  const usage = (problem: string) => new CliExit(EXIT_USAGE, `${problem}\n\n${USAGE}`)
  if (command === undefined) throw usage('which command?')
  if (!['issue', 'gateway', 'list', 'revoke'].includes(command)) throw usage(`unknown command "${command}"`)
  if (command === 'issue' && (values.all ? args.length > 0 : args.length === 0)) throw usage('issue takes station/camera ids, or --all')
  if (command !== 'issue' && values.all) throw usage('--all goes with issue')
  if ((command === 'gateway' || command === 'revoke') && args.length !== 1) throw usage(`${command} takes one name`)
  if (command === 'list' && args.length > 0) throw usage('list takes no arguments')

  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) throw new CliExit(EXIT_USAGE, error.message)
    throw error
  }
  if (config.mqtt.url !== undefined) {
    console.error('Note: IOC_MQTT_URL is set. These credentials are for the embedded broker; an external broker has its own password file and ACL (docs/devices-and-mqtt.md, "Devices and MQTT credentials").')
  }
  const database = await openDatabase(config.dbUrl ? { url: config.dbUrl } : { dataDir: config.dataDir })
  try {
    const credentials = createDeviceCredentialsService({ db: database.db, devices: resolveCityPack(config.city) })
    // Issuing and revoking are privileged: recorded in the audit log as the shell user who ran them.
    const audit = createAuditLogRepository(database.db)
    const actor = `cli:${userInfo().username}`
    try {
      if (command === 'issue') {
        const issued = await credentials.issueDevices(values.all ? credentials.deviceIds() : args)
        await audit.record({ action: 'device.credentials_issued', actor, target: `devices:${issued.length}`, detail: { usernames: issued.map((c) => c.username) } })
        console.log('username,password,topic')
        for (const credential of issued) console.log(csvLine(credential))
      } else if (command === 'gateway') {
        const issued = await credentials.issueGateway(args[0]!)
        await audit.record({ action: 'device.credentials_issued', actor, target: `gateway:${issued.username}`, detail: { usernames: [issued.username] } })
        console.log('username,password,topic')
        console.log(csvLine(issued))
      } else if (command === 'list') {
        const all = await credentials.list()
        if (all.length === 0) console.log('No credentials yet: pnpm devices issue --all')
        for (const c of all) console.log([c.username.padEnd(32), c.kind.padEnd(8), (c.disabled ? 'revoked' : 'active').padEnd(8), c.createdAt].join(' '))
      } else {
        if (!(await credentials.revoke(args[0]!))) throw new CliExit(EXIT_FAILED, `no credential "${args[0]}"; see pnpm devices list`)
        await audit.record({ action: 'device.credential_revoked', actor, target: `mqtt:${args[0]}` })
        console.log(`Revoked ${args[0]}: refused from now on, and a client connected with it is disconnected within 30 s.`)
      }
    } catch (error) {
      if (error instanceof DeviceCredentialError) throw new CliExit(EXIT_FAILED, error.message)
      throw error
    }
  } finally {
    await database.close()
  }
})
