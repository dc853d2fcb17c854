import { createHash } from 'node:crypto';
import { deflate, deflateSync } from 'node:zlib';
import { promisify } from 'node:util';
import {
  DEFAULT_COMPRESSION_LEVEL,
  ScanlineCanvas,
  assemblePng,
  type PngSize,
  type Rgb,
} from '../core/png/encode.js';

// The encoder moved to the core (the usage chart uses it too); simulator callers keep these names.
export { encodePng, readPngSize } from '../core/png/encode.js';
export type { PixelFunction, PngSize, Rgb } from '../core/png/encode.js';

export const ASPECT_RATIOS = ['auto', '1:1', '4:5', '3:4', '2:3', '16:9', '9:16', '21:9'] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

export const RESOLUTIONS = ['1K', '2K', '4K'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export interface SimulatedImageParams {
  prompt: string;
  aspectRatio?: AspectRatio | undefined;
  resolution?: Resolution | undefined;
  /** Pad with incompressible noise rows until the encoded file is at least this many bytes. */
  minBytes?: number | undefined;
}

const BYTES_PER_PIXEL = 3;
// Noise does not compress, so spending CPU on a higher level would only slow benchmarks down.
const NOISE_COMPRESSION_LEVEL = 1;

const LONGEST_SIDE_BY_RESOLUTION: Record<Resolution, number> = { '1K': 256, '2K': 384, '4K': 512 };
const RATIO_BY_ASPECT: Record<AspectRatio, readonly [number, number]> = {
  auto: [1, 1],
  '1:1': [1, 1],
  '4:5': [4, 5],
  '3:4': [3, 4],
  '2:3': [2, 3],
  '16:9': [16, 9],
  '9:16': [9, 16],
  '21:9': [21, 9],
};
// Keeps the prompt-coloured pattern visible above the noise band even for huge minBytes.
const MAX_NOISE_SHARE = 0.75;

const deflateAsync = promisify(deflate);

/** Dimensions of a simulated image before any minBytes padding. */
export function simulatedImageSize(aspectRatio?: AspectRatio, resolution?: Resolution): PngSize {
  const longestSide = LONGEST_SIDE_BY_RESOLUTION[resolution ?? '1K'];
  const [ratioWidth, ratioHeight] = RATIO_BY_ASPECT[aspectRatio ?? 'auto'];
  if (ratioWidth >= ratioHeight) {
    return {
      width: longestSide,
      height: Math.max(1, Math.round((longestSide * ratioHeight) / ratioWidth)),
    };
  }
  return {
    width: Math.max(1, Math.round((longestSide * ratioWidth) / ratioHeight)),
    height: longestSide,
  };
}

/** A deterministic "this is a simulation" picture whose colours derive from the prompt. */
export function simulatedImage(params: SimulatedImageParams): Buffer {
  const plan = planSimulatedImage(params);
  let png = assemblePng(
    plan.width,
    plan.height,
    deflateSync(renderPlan(plan), { level: plan.level }),
  );
  while (png.length < plan.minBytes) {
    plan.noiseRows += growthRows(plan, png.length);
    plan.height = Math.max(plan.height, plan.noiseRows);
    png = assemblePng(
      plan.width,
      plan.height,
      deflateSync(renderPlan(plan), { level: plan.level }),
    );
  }
  return png;
}

/** Same output as simulatedImage, but compresses on the libuv thread pool so a server stays responsive. */
export async function simulatedImageAsync(params: SimulatedImageParams): Promise<Buffer> {
  const plan = planSimulatedImage(params);
  let png = assemblePng(
    plan.width,
    plan.height,
    await deflateAsync(renderPlan(plan), { level: plan.level }),
  );
  while (png.length < plan.minBytes) {
    plan.noiseRows += growthRows(plan, png.length);
    plan.height = Math.max(plan.height, plan.noiseRows);
    png = assemblePng(
      plan.width,
      plan.height,
      await deflateAsync(renderPlan(plan), { level: plan.level }),
    );
  }
  return png;
}

interface ImagePlan {
  width: number;
  height: number;
  noiseRows: number;
  minBytes: number;
  level: number;
  digest: Buffer;
}

function planSimulatedImage(params: SimulatedImageParams): ImagePlan {
  const digest = createHash('sha256').update(params.prompt, 'utf8').digest();
  const base = simulatedImageSize(params.aspectRatio, params.resolution);
  const minBytes = Math.max(0, Math.ceil(params.minBytes ?? 0));
  if (minBytes === 0) {
    return { ...base, noiseRows: 0, minBytes, level: DEFAULT_COMPRESSION_LEVEL, digest };
  }
  const noisePixelsNeeded = Math.ceil(minBytes / BYTES_PER_PIXEL);
  const targetArea = Math.max(
    base.width * base.height,
    Math.ceil(noisePixelsNeeded / MAX_NOISE_SHARE),
  );
  const scale = Math.sqrt(targetArea / (base.width * base.height));
  const width = Math.ceil(base.width * scale);
  const height = Math.ceil(base.height * scale);
  const noiseRows = Math.min(height, Math.ceil(minBytes / (width * BYTES_PER_PIXEL)));
  return { width, height, noiseRows, minBytes, level: NOISE_COMPRESSION_LEVEL, digest };
}

function growthRows(plan: ImagePlan, currentLength: number): number {
  const missingBytes = plan.minBytes - currentLength;
  return Math.max(1, Math.ceil(missingBytes / (plan.width * BYTES_PER_PIXEL)));
}

function renderPlan(plan: ImagePlan): Buffer {
  const { width, height, noiseRows, digest } = plan;
  const canvas = new ScanlineCanvas(width, height);
  const patternRows = height - noiseRows;
  drawPattern(canvas, patternRows, digest);
  fillNoise(canvas, patternRows, digest.readUInt32LE(28) || 0x9e3779b9);
  return canvas.scanlines;
}

function drawPattern(canvas: ScanlineCanvas, rows: number, digest: Buffer): void {
  const { width, height } = canvas;
  const hue = ((digest.readUInt16BE(0) / 0xffff) * 360) % 360;
  const from = hslToRgb(hue, 0.65, 0.45);
  const to = hslToRgb((hue + 90 + (digest.readUInt8(2) % 180)) % 360, 0.65, 0.55);
  // Quantised gradient steps compress far better with filter 0 and look deliberately synthetic.
  const gradientSteps = 24;
  const stripeWidth = Math.max(8, Math.round(Math.max(width, height) / 16));
  // The band sits in the middle of the pattern area so it stays visible above any noise padding.
  const bandTop = Math.floor(rows * 0.42);
  const bandBottom = Math.ceil(rows * 0.58);
  const barcodeBits = 64;
  const barcodeMargin = Math.floor(width / 16);
  const barcodeWidth = Math.max(1, width - 2 * barcodeMargin);
  const barcodeTop = bandTop + Math.floor((bandBottom - bandTop) / 4);
  const barcodeBottom = bandBottom - Math.floor((bandBottom - bandTop) / 4);

  for (let y = 0; y < rows; y++) {
    const inBand = y >= bandTop && y < bandBottom;
    const inBarcodeRows = y >= barcodeTop && y < barcodeBottom;
    for (let x = 0; x < width; x++) {
      if (inBand) {
        const barcodeX = x - barcodeMargin;
        if (inBarcodeRows && barcodeX >= 0 && barcodeX < barcodeWidth) {
          const bit = Math.floor((barcodeX * barcodeBits) / barcodeWidth);
          const isSet = (digest.readUInt8(bit >> 3) >> (bit & 7)) & 1;
          if (isSet) {
            canvas.set(x, y, 40, 40, 48);
            continue;
          }
        }
        canvas.set(x, y, 236, 236, 240);
        continue;
      }
      const t = Math.floor(((x / width + y / height) / 2) * gradientSteps) / gradientSteps;
      const lighten = Math.floor((x + y) / stripeWidth) % 2 === 0 ? 0 : 24;
      canvas.set(
        x,
        y,
        Math.min(255, Math.round(from[0] + (to[0] - from[0]) * t) + lighten),
        Math.min(255, Math.round(from[1] + (to[1] - from[1]) * t) + lighten),
        Math.min(255, Math.round(from[2] + (to[2] - from[2]) * t) + lighten),
      );
    }
  }
}

function fillNoise(canvas: ScanlineCanvas, fromRow: number, seed: number): void {
  const { scanlines, stride, height } = canvas;
  let state = seed >>> 0;
  for (let y = fromRow; y < height; y++) {
    const rowEnd = (y + 1) * stride;
    for (let offset = y * stride + 1; offset < rowEnd;) {
      // xorshift32: fast, deterministic, and not something deflate can find matches in.
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      for (let shift = 0; shift < 32 && offset < rowEnd; shift += 8) {
        scanlines[offset++] = (state >>> shift) & 0xff;
      }
    }
  }
}

function hslToRgb(hue: number, saturation: number, lightness: number): Rgb {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const sector = hue / 60;
  const secondary = chroma * (1 - Math.abs((sector % 2) - 1));
  const [r, g, b] =
    sector < 1
      ? [chroma, secondary, 0]
      : sector < 2
        ? [secondary, chroma, 0]
        : sector < 3
          ? [0, chroma, secondary]
          : sector < 4
            ? [0, secondary, chroma]
            : sector < 5
              ? [secondary, 0, chroma]
              : [chroma, 0, secondary];
  const match = lightness - chroma / 2;
  return [
    Math.round((r + match) * 255),
    Math.round((g + match) * 255),
    Math.round((b + match) * 255),
  ];
}
