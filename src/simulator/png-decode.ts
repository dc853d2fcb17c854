import { inflateSync } from 'node:zlib';

/** A decoded picture: `rgb` holds width × height × 3 bytes, row by row. */
export interface RgbPicture {
  width: number;
  height: number;
  rgb: Buffer;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Channels per pixel by colour type: grey, RGB, palette, grey+alpha, RGBA. */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Far beyond anything the simulator is sent; keeps a hostile header from asking for gigabytes. */
const MAX_PIXELS = 64 * 1024 * 1024;

/**
 * Decodes the PNGs the simulator derives edits from: 8-bit depth, colour types 0/2/3/4/6, not
 * interlaced. Alpha is dropped (composited over white so transparent areas do not turn black).
 * Returns null for anything else, and the caller falls back to its placeholder.
 */
export function decodePng(file: Uint8Array): RgbPicture | null {
  try {
    return decode(Buffer.from(file.buffer, file.byteOffset, file.byteLength));
  } catch {
    return null;
  }
}

function decode(file: Buffer): RgbPicture | null {
  if (file.length < 8 || !file.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  let header: Buffer | undefined;
  let palette: Buffer | undefined;
  const data: Buffer[] = [];
  for (let offset = 8; offset + 8 <= file.length;) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('latin1', offset + 4, offset + 8);
    const body = file.subarray(offset + 8, offset + 8 + length);
    if (body.length !== length) return null;
    if (type === 'IHDR') header = body;
    else if (type === 'PLTE') palette = body;
    else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  if (!header || header.length < 13) return null;
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const [depth, colourType, , , interlace] = header.subarray(8, 13);
  const channels = CHANNELS[colourType ?? -1];
  if (depth !== 8 || interlace !== 0 || !channels) return null;
  if (width === 0 || height === 0 || width * height > MAX_PIXELS) return null;
  if (colourType === 3 && !palette) return null;
  const stride = width * channels;
  const raw = inflateSync(Buffer.concat(data));
  if (raw.length < (stride + 1) * height) return null;
  const pixels = unfilter(raw, stride, height, channels);
  return { width, height, rgb: toRgb(pixels, width * height, colourType!, palette) };
}

/** Undoes the per-scanline filters (None, Sub, Up, Average, Paeth). */
function unfilter(raw: Buffer, stride: number, height: number, bpp: number): Buffer {
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const left = x >= bpp ? out[row + x - bpp]! : 0;
      const up = y > 0 ? out[row - stride + x]! : 0;
      const upLeft = y > 0 && x >= bpp ? out[row - stride + x - bpp]! : 0;
      const predictor =
        filter === 0
          ? 0
          : filter === 1
            ? left
            : filter === 2
              ? up
              : filter === 3
                ? (left + up) >> 1
                : filter === 4
                  ? paeth(left, up, upLeft)
                  : Number.NaN;
      if (Number.isNaN(predictor)) throw new Error(`unknown PNG filter ${filter}`);
      out[row + x] = (line[x]! + predictor) & 0xff;
    }
  }
  return out;
}

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const toLeft = Math.abs(estimate - left);
  const toUp = Math.abs(estimate - up);
  const toUpLeft = Math.abs(estimate - upLeft);
  if (toLeft <= toUp && toLeft <= toUpLeft) return left;
  return toUp <= toUpLeft ? up : upLeft;
}

function toRgb(pixels: Buffer, count: number, colourType: number, palette?: Buffer): Buffer {
  const rgb = Buffer.alloc(count * 3);
  const overWhite = (value: number, alpha: number) =>
    Math.round((value * alpha + 255 * (255 - alpha)) / 255);
  for (let i = 0; i < count; i++) {
    let r: number, g: number, b: number;
    let alpha = 255;
    if (colourType === 0 || colourType === 4) {
      const grey = pixels[i * (colourType === 0 ? 1 : 2)]!;
      [r, g, b] = [grey, grey, grey];
      if (colourType === 4) alpha = pixels[i * 2 + 1]!;
    } else if (colourType === 3) {
      const entry = pixels[i]! * 3;
      [r, g, b] = [palette![entry] ?? 0, palette![entry + 1] ?? 0, palette![entry + 2] ?? 0];
    } else {
      const step = colourType === 2 ? 3 : 4;
      [r, g, b] = [pixels[i * step]!, pixels[i * step + 1]!, pixels[i * step + 2]!];
      if (colourType === 6) alpha = pixels[i * 4 + 3]!;
    }
    rgb[i * 3] = overWhite(r, alpha);
    rgb[i * 3 + 1] = overWhite(g, alpha);
    rgb[i * 3 + 2] = overWhite(b, alpha);
  }
  return rgb;
}
