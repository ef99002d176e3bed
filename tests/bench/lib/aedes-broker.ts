/**
 * A bare Aedes broker in its own process, built as the server's embedded one is: the baseline
 * "physical limit" for the embedded-broker figures. Prints `ready <port>`.
 */
import { createServer, type AddressInfo } from 'node:net'
import { Aedes } from 'aedes'

const aedes = await Aedes.createBroker()
const server = createServer(aedes.handle)
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`ready ${(server.address() as AddressInfo).port}`)
})
process.on('SIGTERM', () => aedes.close(() => server.close(() => process.exit(0))))
