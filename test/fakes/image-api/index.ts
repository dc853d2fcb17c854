export * from '../../../src/simulator/image-api.js';
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
