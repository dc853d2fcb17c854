import { createHash } from 'node:crypto';
import { decodePng, type RgbPicture } from './png-decode.js';
import {
  encodePng,
  simulatedImage,
  simulatedImageSize,
  type AspectRatio,
  type PngSize,
  type Resolution,
  type Rgb,
} from './png.js';

/** The most of a source the simulator keeps per task: enough to show, small enough to hold many. */
const KEPT_SOURCE_SIDE = 128;
/** How much of the tint goes into each pixel of the source. */
const TINT_SHARE = 0.25;

export interface DerivedImageParams {
  prompt: string;
  aspectRatio?: AspectRatio | undefined;
  resolution?: Resolution | undefined;
  /** The first source, shrunk (null when it was not a PNG the simulator can read). */
  source: RgbPicture | null;
}

/** A source file as the simulator keeps it: a PNG shrunk to at most 128 px a side, else null. */
export function keptSourceOf(file: Buffer): RgbPicture | null {
  const picture = decodePng(file);
  if (!picture) return null;
  const scale = Math.min(1, KEPT_SOURCE_SIDE / Math.max(picture.width, picture.height));
  return resample(picture, {
    width: Math.max(1, Math.round(picture.width * scale)),
    height: Math.max(1, Math.round(picture.height * scale)),
  });
}

/**
 * An image-to-image result that visibly comes from its source: the source scaled to the output
 * size, tinted with a colour from the prompt and framed in it. Without a readable source it is
 * the usual placeholder inside the same frame, so an edit never looks like a new image.
 */
export function derivedImage(params: DerivedImageParams): Buffer {
  const tint = tintOf(params.prompt);
  const size = outputSize(params);
  const picture = params.source
    ? resample(params.source, size)
    : decodePng(
        simulatedImage({
          prompt: params.prompt,
          aspectRatio: params.aspectRatio,
          resolution: params.resolution,
        }),
      )!;
  const share = params.source ? TINT_SHARE : 0;
  const frame = Math.max(4, Math.round(Math.min(size.width, size.height) / 24));
  return encodePng(size.width, size.height, (x, y) => {
    if (x < frame || y < frame || x >= size.width - frame || y >= size.height - frame) return tint;
    const offset = (y * picture.width + x) * 3;
    const mix = (channel: 0 | 1 | 2) =>
      Math.round(picture.rgb[offset + channel]! * (1 - share) + tint[channel] * share);
    return [mix(0), mix(1), mix(2)];
  });
}

/** The requested size; with no aspect ratio (or `auto`), the source's own shape. */
function outputSize(params: DerivedImageParams): PngSize {
  const requested = simulatedImageSize(params.aspectRatio, params.resolution);
  const source = params.source;
  if (!source || (params.aspectRatio && params.aspectRatio !== 'auto')) return requested;
  const longest = Math.max(requested.width, requested.height);
  const scale = longest / Math.max(source.width, source.height);
  return {
    width: Math.max(1, Math.round(source.width * scale)),
    height: Math.max(1, Math.round(source.height * scale)),
  };
}

function tintOf(prompt: string): Rgb {
  const digest = createHash('sha256').update(`edit\u0000${prompt}`, 'utf8').digest();
  return [digest[0]! | 0x40, digest[1]! | 0x40, digest[2]! | 0x40];
}

/** Nearest-neighbour scaling: crisp, cheap, and the source's colours stay exactly as they were. */
function resample(picture: RgbPicture, size: PngSize): RgbPicture {
  const rgb = Buffer.alloc(size.width * size.height * 3);
  for (let y = 0; y < size.height; y++) {
    const fromY = Math.min(picture.height - 1, Math.floor((y * picture.height) / size.height));
    for (let x = 0; x < size.width; x++) {
      const fromX = Math.min(picture.width - 1, Math.floor((x * picture.width) / size.width));
      picture.rgb.copy(
        rgb,
        (y * size.width + x) * 3,
        (fromY * picture.width + fromX) * 3,
        (fromY * picture.width + fromX) * 3 + 3,
      );
    }
  }
  return { ...size, rgb };
}
