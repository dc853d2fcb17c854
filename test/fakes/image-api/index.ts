export {
  ASPECT_RATIOS,
  CONTENT_POLICY_FAIL_CODE,
  CONTENT_POLICY_FAIL_MESSAGE,
  CREDIT_COST_BY_RESOLUTION,
  IMAGE_MODEL_ID,
  IMAGE_TO_IMAGE_MODEL_ID,
  MAX_PROMPT_CHARS,
  MAX_SOURCE_BYTES,
  MAX_SOURCE_URLS,
  RESOLUTIONS,
  SOURCE_FETCH_FAIL_CODE,
  type AspectRatio,
  type Resolution,
  type SimulatedEndpoint,
  type SimulatedTask,
  type SourceFetch,
  type TaskDuration,
  type TaskInput,
  type TaskOutcome,
  type TaskRecord,
  type TaskState,
} from '../../../src/simulator/image-api.js';
export {
  encodePng,
  readPngSize,
  simulatedImage,
  simulatedImageAsync,
  simulatedImageSize,
  type PixelFunction,
  type PngSize,
  type Rgb,
  type SimulatedImageParams,
} from '../../../src/simulator/png.js';
export { decodePng, type RgbPicture } from '../../../src/simulator/png-decode.js';
export {
  parseFault,
  type Fault,
  type FaultEndpoint,
  type FaultKind,
  type FaultStatus,
} from './faults.js';
export {
  startImageApiSimulator,
  type ImageApiSimulator,
  type RecordedRequest,
  type SimulatorOptions,
  type SimulatorStats,
} from './simulator.js';
