/**
 * Sensor simulators for the Tam Kỳ IOC: flood stations and road cameras publishing over MQTT the topics
 * and payloads of `@ioc/shared` (docs/devices-and-mqtt.md), exactly as real devices must. `startSimulation` is what `pnpm demo`, the benchmarks and the CLI use;
 * the scenarios are also exported as pure functions of (seed, device, tick) for tests and tools.
 */
export { startSimulation, SimulationOptionsError, MAX_RATE, type SimulationOptions, type Simulation } from './simulation.ts'
export { BrokerConnectionError } from './mqtt-publisher.ts'
export { SCENARIOS, SCENARIO_NAMES, isScenarioName, type ScenarioName } from './scenarios/index.ts'
export type { TickScenario, BurstScenario, BurstMessage, FloodValues, CameraValues, ScenarioEntry, ScenarioSettings } from './scenarios/scenario.ts'
export { calmScenario, calmReading, calmCamera, CALM_DAY_TICKS, CAMERA_EVERY_TICKS } from './scenarios/calm.ts'
export { stormScenario, stormReading, stormCamera, stormTickOf, STORM_TICKS, STORM_GAP_TICKS, STORM_RAIN, STORM_RIVER } from './scenarios/storm.ts'
export { loadScenario, DEFAULT_LOAD_COUNT } from './scenarios/load.ts'
export { floodPayload, cameraPayload } from './payloads.ts'
export { backfillReadings, type BackfillOptions } from './backfill.ts'
export { gaugePictureJpeg, drawGaugeScene, waterLineY, PICTURE_WIDTH, PICTURE_HEIGHT, type GaugeScene } from './snapshots/gauge-picture.ts'
export { cameraGauges, cameraPicture, type CameraGauge } from './snapshots/camera-pictures.ts'
