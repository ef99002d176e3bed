import { describe, expect, it } from 'vitest'
import { DEFAULT_URL, UsageError, parseCli, usage } from './cli-args.ts'

const parse = (line: string, env: Record<string, string> = {}) => parseCli(line.split(' ').filter(Boolean), env)

describe('parseCli', () => {
  it('reads a scenario and its options, with defaults', () => {
    expect(parse('storm')).toEqual({ kind: 'run', scenario: 'storm', url: DEFAULT_URL, rate: 1, seed: 1, loop: false, count: 10_000, city: 'tam-ky', snapshotEverySeconds: 60 })
    expect(parse('storm --url mqtt://10.0.0.5:1883 --rate 20 --seed 7 --loop')).toMatchObject({ url: 'mqtt://10.0.0.5:1883', rate: 20, seed: 7, loop: true })
    expect(parse('load --count 500')).toMatchObject({ scenario: 'load', count: 500 })
    expect(parse('storm --snapshot-every 10')).toMatchObject({ snapshotEverySeconds: 10 })
    expect(parse('storm --snapshot-every 0')).toMatchObject({ snapshotEverySeconds: 0 })
  })

  it('takes the broker and city from IOC_MQTT_URL and IOC_CITY unless given', () => {
    const env = { IOC_MQTT_URL: 'mqtt://broker:1884', IOC_CITY: 'tam-ky' }
    expect(parse('calm', env)).toMatchObject({ url: 'mqtt://broker:1884', city: 'tam-ky' })
    expect(parse('calm --url mqtt://other:1883', env)).toMatchObject({ url: 'mqtt://other:1883' })
  })

  it('answers --help', () => {
    expect(parse('--help')).toEqual({ kind: 'help' })
    expect(parse('storm -h')).toEqual({ kind: 'help' })
    expect(usage()).toMatch(/calm .*\n.*storm .*\n.*load /)
  })

  it.each([
    ['', /no scenario given; choose one of: calm, storm, load/],
    ['nonsense', /unknown scenario "nonsense"; choose one of: calm, storm, load/],
    ['storm --bogus', /unknown option "--bogus"; options are: --url, --rate/],
    ['storm --rate fast', /--rate must be a number of ticks per second above 0/],
    ['storm --rate 0', /--rate must be/],
    ['storm --seed 1.5', /--seed must be an integer/],
    ['load --count 0', /--count must be a positive integer/],
    ['load --count=-3', /--count must be a positive integer/],
    ['storm --rate', /argument missing/],
    ['calm --loop', /--loop applies to storm, sensor-fault, camera-outage only, not to calm/],
    ['storm --count 5', /--count applies to load only, not to storm/],
    ['storm --snapshot-every soon', /--snapshot-every must be a number of seconds/],
    ['storm --snapshot-every=-5', /--snapshot-every must be a number of seconds/],
    ['calm --snapshot-every 10', /--snapshot-every applies to storm only, not to calm/],
    ['storm calm', /unexpected argument "calm"/],
    ['storm --url localhost:1883', /--url must be a broker URL/],
  ])('refuses "%s"', (line, message) => {
    expect(() => parse(line)).toThrow(UsageError)
    expect(() => parse(line)).toThrow(message)
  })
})
